import type { StateCreator } from 'zustand';
import type { AppInfo } from '../../../shared/domain';
import type { ConnectionState } from '../transport';
import type { AppState } from './store';

export interface Toast {
  readonly id: number;
  readonly kind: 'error' | 'info';
  readonly message: string;
}

export interface UiSlice {
  /** Which top-level screen is showing (see views/screens.tsx). */
  screen: string;
  selectedId: number | undefined;
  newIncidentOpen: boolean;
  connection: ConnectionState;
  appInfo: AppInfo | undefined;
  toasts: readonly Toast[];
  setScreen(screen: string): void;
  select(id: number | undefined): void;
  setNewIncidentOpen(open: boolean): void;
  setConnection(state: ConnectionState): void;
  setAppInfo(info: AppInfo): void;
  notify(kind: Toast['kind'], message: string): void;
  dismiss(id: number): void;
}

let toastId = 0;

export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set, get) => ({
  screen: 'incidents',
  selectedId: undefined,
  newIncidentOpen: false,
  connection: 'connecting',
  appInfo: undefined,
  toasts: [],
  setScreen: (screen) => set({ screen }),
  select: (id) => set({ selectedId: id, ...(id !== undefined ? { screen: 'incidents' } : {}) }),
  setNewIncidentOpen: (open) => set({ newIncidentOpen: open }),
  setConnection: (connection) => set({ connection }),
  setAppInfo: (appInfo) => set({ appInfo }),
  notify: (kind, message) => {
    const id = ++toastId;
    set({ toasts: [...get().toasts, { id, kind, message }] });
    setTimeout(() => get().dismiss(id), kind === 'error' ? 8_000 : 4_000);
  },
  dismiss: (id) => set({ toasts: get().toasts.filter((t) => t.id !== id) }),
});
