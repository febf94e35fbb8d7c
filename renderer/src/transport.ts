import { splitChannel } from '../../shared/channel-name';
import type { ChannelName, EventName, FirebreakBridge, Unsubscribe } from '../../shared/contract';
import type { Result } from '../../shared/domain';

// Two ways to reach the main side with the same contract: Electron's preload bridge, or
// the browser host's WebSocket. Everything above this module is transport-agnostic.

export type ConnectionState = 'connecting' | 'open' | 'lost';

export interface Transport {
  readonly kind: 'ipc' | 'websocket';
  invoke(channel: ChannelName, input: unknown): Promise<Result<unknown>>;
  on(event: EventName, listener: (payload: unknown) => void): Unsubscribe;
  onConnection(listener: (state: ConnectionState) => void): Unsubscribe;
}

export function bridgeTransport(bridge: FirebreakBridge): Transport {
  return {
    kind: 'ipc',
    invoke: (channel, input) => {
      const [group, method] = splitChannel(channel);
      const fn = (bridge as unknown as Record<string, Record<string, (input: unknown) => Promise<Result<unknown>>>>)[group]?.[method];
      if (!fn) return Promise.resolve({ ok: false, error: { code: 'unknown_channel', message: `the app does not offer ${channel}` } });
      return fn(input);
    },
    on: (event, listener) => bridge.on(event, listener as never),
    onConnection: (listener) => {
      listener('open');
      return () => {};
    },
  };
}

interface Pending {
  resolve: (result: Result<unknown>) => void;
}

/**
 * WebSocket transport for the browser host. The auth cookie set when the page was opened
 * with its token rides along on the upgrade. Reconnects with backoff; calls made while
 * disconnected wait for the connection, calls in flight when it drops fail clearly.
 */
export function webSocketTransport(url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`): Transport {
  let socket: WebSocket | undefined;
  let nextId = 1;
  let delay = 250;
  const pending = new Map<number, Pending>();
  const queue: string[] = [];
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: ConnectionState) => void>();
  let state: ConnectionState = 'connecting';

  const setState = (next: ConnectionState) => {
    state = next;
    for (const l of connectionListeners) l(next);
  };

  const connect = () => {
    const ws = new WebSocket(url);
    socket = ws;
    ws.onopen = () => {
      delay = 250;
      setState('open');
      for (const message of queue.splice(0)) ws.send(message);
    };
    ws.onmessage = (event) => {
      const message = JSON.parse(String(event.data)) as
        | { type: 'response'; id: number | null; result: Result<unknown> }
        | { type: 'event'; event: string; payload: unknown };
      if (message.type === 'response') {
        if (message.id === null) return;
        pending.get(message.id)?.resolve(message.result);
        pending.delete(message.id);
      } else {
        for (const l of listeners.get(message.event) ?? []) l(message.payload);
      }
    };
    ws.onclose = () => {
      for (const [id, p] of pending) {
        p.resolve({ ok: false, error: { code: 'internal', message: 'the connection to the Firebreak host was lost; try again' } });
        pending.delete(id);
      }
      setState('lost');
      setTimeout(connect, delay);
      delay = Math.min(delay * 2, 5_000);
    };
  };
  connect();

  return {
    kind: 'websocket',
    invoke: (channel, input) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, { resolve });
        const message = JSON.stringify({ id, channel, input });
        if (socket?.readyState === WebSocket.OPEN) socket.send(message);
        else queue.push(message);
      }),
    on: (event, listener) => {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
    onConnection: (listener) => {
      connectionListeners.add(listener);
      listener(state);
      return () => connectionListeners.delete(listener);
    },
  };
}
