import type { z } from 'zod';
import type { ChannelDef } from '../../shared/channel-def';

type OutputOf<D> = D extends ChannelDef<z.ZodType, infer O> ? O : never;

/** The handlers for one feature's channel map: validated input in, output (or a promise of it) out. */
export type HandlersFor<M extends Record<string, ChannelDef<z.ZodType, unknown>>> = {
  readonly [K in keyof M]: (input: z.output<M[K]['input']>) => OutputOf<M[K]> | Promise<OutputOf<M[K]>>;
};
