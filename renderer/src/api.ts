import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
  FirebreakBridge,
  Unsubscribe,
} from '../../shared/contract';
import type { ErrorCode } from '../../shared/domain';
import { bridgeTransport, webSocketTransport, type ConnectionState, type Transport } from './transport';

// The only module that reaches window.firebreak or the WebSocket. Calls resolve with the
// value or reject with an ApiError carrying the boundary's code and message.

declare global {
  interface Window {
    readonly firebreak?: FirebreakBridge;
  }
}

export class ApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

type GroupOf<K> = K extends `${infer G}.${string}` ? G : never;
type ArgsOf<K extends ChannelName> = undefined extends ChannelInput<K> ? [input?: ChannelInput<K>] : [input: ChannelInput<K>];

export type Api = {
  readonly [G in GroupOf<ChannelName>]: {
    readonly [K in ChannelName as K extends `${G}.${infer M}` ? M : never]: (...args: ArgsOf<K>) => Promise<ChannelOutput<K>>;
  };
};

/**
 * `api.incidents.create(input)` → invoke("incidents.create", input). Built on demand rather
 * than from the contract's channel list, so the renderer bundle carries the contract's
 * types but not its zod schemas; the main side validates and rejects unknown channels.
 */
function buildApi(transport: Transport): Api {
  const group = (groupName: string) =>
    new Proxy(
      {},
      {
        get: (_target, method) => async (input?: unknown) => {
          const result = await transport.invoke(`${groupName}.${String(method)}` as ChannelName, input);
          if (!result.ok) throw new ApiError(result.error.code, result.error.message);
          return result.value;
        },
      },
    );
  return new Proxy({}, { get: (_target, groupName) => group(String(groupName)) }) as Api;
}

let current: Transport | undefined;

/** Electron's preload bridge when present, else the browser host's WebSocket; chosen on first use. */
function transport(): Transport {
  current ??= typeof window !== 'undefined' && window.firebreak ? bridgeTransport(window.firebreak) : webSocketTransport();
  return current;
}

export const api: Api = buildApi({
  get kind() {
    return transport().kind;
  },
  invoke: (channel, input) => transport().invoke(channel, input),
  on: (event, listener) => transport().on(event, listener),
  onConnection: (listener) => transport().onConnection(listener),
});

export function onEvent<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): Unsubscribe {
  return transport().on(event, listener as (payload: unknown) => void);
}

export function onConnection(listener: (state: ConnectionState) => void): Unsubscribe {
  return transport().onConnection(listener);
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
