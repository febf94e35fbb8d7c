import type { RawData } from 'ws';
import type { ApiErrorBody, Result } from '../../shared/domain';

// The wire format between the renderer's WebSocket transport and the host.

export interface ClientRequest {
  readonly id: number;
  readonly channel: string;
  readonly input: unknown;
}

export type ServerMessage =
  | { readonly type: 'response'; readonly id: number | null; readonly result: Result<unknown> }
  | { readonly type: 'event'; readonly event: string; readonly payload: unknown };

type Parsed = { ok: true; message: ClientRequest } | { ok: false; id: number | null; error: ApiErrorBody };

/** Turns a raw frame into a request, or a precise reason why it is not one. */
export function parseClientMessage(raw: RawData, isBinary: boolean): Parsed {
  if (isBinary) return { ok: false, id: null, error: { code: 'invalid_input', message: 'binary frames are not accepted; send JSON text' } };
  let value: unknown;
  try {
    value = JSON.parse(raw.toString());
  } catch {
    return { ok: false, id: null, error: { code: 'invalid_input', message: 'message is not valid JSON' } };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, id: null, error: { code: 'invalid_input', message: 'message must be a JSON object {id, channel, input}' } };
  }
  const { id, channel, input } = value as Record<string, unknown>;
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) {
    return { ok: false, id: null, error: { code: 'invalid_input', message: 'id: must be an integer' } };
  }
  if (typeof channel !== 'string') return { ok: false, id, error: { code: 'invalid_input', message: 'channel: must be a string' } };
  return { ok: true, message: { id, channel, input } };
}
