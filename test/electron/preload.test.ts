import { describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES, EVENT_NAMES } from '../../shared/contract';

const electron = vi.hoisted(() => {
  const exposed: Record<string, unknown> = {};
  const listeners = new Map<string, (...args: unknown[]) => void>();
  return {
    exposed,
    listeners,
    contextBridge: { exposeInMainWorld: vi.fn((key: string, api: unknown) => (exposed[key] = api)) },
    ipcRenderer: {
      invoke: vi.fn(async (channel: string, input: unknown) => ({ ok: true, value: { channel, input } })),
      on: vi.fn((event: string, fn: (...args: unknown[]) => void) => listeners.set(event, fn)),
      off: vi.fn((event: string) => listeners.delete(event)),
    },
  };
});
vi.mock('electron', () => ({ contextBridge: electron.contextBridge, ipcRenderer: electron.ipcRenderer }));

await import('../../electron/preload');
const bridge = electron.exposed.firebreak as Record<string, Record<string, (input?: unknown) => Promise<unknown>>> & {
  on: (event: string, fn: (payload: unknown) => void) => () => void;
};

describe('preload', () => {
  it('exposes one window.firebreak and nothing else', () => {
    expect(Object.keys(electron.exposed)).toEqual(['firebreak']);
  });

  it('exposes exactly the contract’s functions, grouped, plus on()', () => {
    const exposed = Object.entries(bridge).flatMap(([group, value]) =>
      typeof value === 'function' ? [group] : Object.keys(value).map((method) => `${group}.${method}`),
    );
    expect(exposed.sort()).toEqual([...CHANNEL_NAMES, 'on'].sort());
    expect(JSON.stringify(Object.keys(bridge))).not.toMatch(/ipcRenderer|send|invoke|require|process/);
  });

  it('invokes the channel of the same name', async () => {
    expect(await bridge.incidents!.create!({ title: 't', severity: 'low' })).toEqual({ ok: true, value: { channel: 'incidents.create', input: { title: 't', severity: 'low' } } });
  });

  it('subscribes only to contract events, and unsubscribes', () => {
    const payloads: unknown[] = [];
    const off = bridge.on(EVENT_NAMES[0]!, (p) => payloads.push(p));
    electron.listeners.get(EVENT_NAMES[0]!)!({ sender: 'ignored' }, { hello: 1 });
    expect(payloads).toEqual([{ hello: 1 }]);
    off();
    expect(electron.listeners.has(EVENT_NAMES[0]!)).toBe(false);
    expect(() => bridge.on('ipc-internal', () => undefined)).toThrow(/unknown event/);
  });
});
