import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { CHANNEL_NAMES, isEventName, splitChannel, type FirebreakBridge } from '../shared/contract';

// The renderer's only door to the main side: one function per contract channel, grouped
// (`firebreak.incidents.create`), plus `on` for contract events. No ipcRenderer, no Node.

const groups: Record<string, Record<string, (input?: unknown) => Promise<unknown>>> = {};
for (const name of CHANNEL_NAMES) {
  const [group, method] = splitChannel(name);
  groups[group] ??= {};
  groups[group][method] = (input?: unknown) => ipcRenderer.invoke(name, input);
}

const bridge = {
  ...groups,
  on: (event: string, listener: (payload: unknown) => void) => {
    if (!isEventName(event)) throw new Error(`unknown event ${event}`);
    const wrapped = (_: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on(event, wrapped);
    return () => ipcRenderer.off(event, wrapped);
  },
} as unknown as FirebreakBridge;

contextBridge.exposeInMainWorld('firebreak', bridge);
