import type { z } from 'zod';
import { channels, isChannelName, type ChannelName } from '../shared/contract';
import type { Result } from '../shared/domain';
import { ServiceError } from './services/errors';
import type { Handlers } from './handlers';

export type Dispatch = (channel: unknown, input: unknown) => Promise<Result<unknown>>;

/** "title: must not be empty; severity: must be one of …" — every issue with its field. */
export function formatZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const field = issue.path.length ? issue.path.map(String).join('.') : 'input';
      if (issue.code === 'unrecognized_keys') return `${field}: unknown field${issue.keys.length > 1 ? 's' : ''} ${issue.keys.join(', ')}`;
      return `${field}: ${issue.message}`;
    })
    .join('; ');
}

/**
 * The single boundary every transport goes through: unknown channel → error, input parsed
 * with the channel's schema, handler called, any throw turned into `{ok:false}`. Nothing
 * throws across it.
 */
export function createDispatch(handlers: Handlers, onInternalError: (channel: string, error: unknown) => void = logInternal): Dispatch {
  return async (channel, input) => {
    if (!isChannelName(channel)) {
      return { ok: false, error: { code: 'unknown_channel', message: `unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}` } };
    }
    const parsed = channels[channel].input.safeParse(input);
    if (!parsed.success) return { ok: false, error: { code: 'invalid_input', message: formatZodError(parsed.error) } };
    try {
      const handler = handlers[channel] as (input: unknown) => unknown;
      return { ok: true, value: await handler(parsed.data) };
    } catch (error) {
      if (error instanceof ServiceError) return { ok: false, error: { code: error.code, message: error.message } };
      onInternalError(channel, error);
      return { ok: false, error: { code: 'internal', message: internalMessage(channel, error) } };
    }
  };
}

function internalMessage(channel: ChannelName, error: unknown): string {
  const detail = error instanceof Error ? error.message : String(error);
  return `${channel} failed: ${detail}`;
}

function logInternal(channel: string, error: unknown): void {
  console.error(`firebreak: ${channel} failed:`, error);
}
