import { beforeEach, describe, expect, it, vi } from 'vitest';
import { CHANNEL_NAMES } from '../../shared/contract';

const electron = vi.hoisted(() => {
  const handlers = new Map<string, (event: unknown, input: unknown) => unknown>();
  return {
    handlers,
    ipcMain: {
      handle: vi.fn((channel: string, fn: (event: unknown, input: unknown) => unknown) => handlers.set(channel, fn)),
      removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
    },
  };
});
vi.mock('electron', () => ({ ipcMain: electron.ipcMain }));

const { registerIpc } = await import('../../electron/ipc');

describe('registerIpc', () => {
  const dispatch = vi.fn(async (channel: unknown, input: unknown) => ({ ok: true as const, value: { channel, input } }));
  const trusted = (url: string) => url.startsWith('file:///app/renderer/');
  const event = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } });

  beforeEach(() => {
    electron.handlers.clear();
    dispatch.mockClear();
  });

  it('registers exactly the contract channels', () => {
    registerIpc(dispatch, trusted);
    expect([...electron.handlers.keys()].sort()).toEqual([...CHANNEL_NAMES].sort());
  });

  it('passes calls from the app page to the shared dispatch', async () => {
    registerIpc(dispatch, trusted);
    const result = await electron.handlers.get('incidents.list')!(event('file:///app/renderer/index.html'), { openOnly: true });
    expect(result).toEqual({ ok: true, value: { channel: 'incidents.list', input: { openOnly: true } } });
  });

  it('refuses calls from other pages and from subframes without dispatching', async () => {
    registerIpc(dispatch, trusted);
    const handler = electron.handlers.get('incidents.create')!;
    for (const e of [event('https://evil.example/'), event('file:///app/renderer/index.html', { url: 'x' }), { senderFrame: null }]) {
      expect(await handler(e, { title: 'x', severity: 'low' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(dispatch).not.toHaveBeenCalled();
  });

  it('unregisters everything it registered', () => {
    const unregister = registerIpc(dispatch, trusted);
    unregister();
    expect(electron.handlers.size).toBe(0);
  });
});
