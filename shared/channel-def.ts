import { z } from 'zod';

export interface ChannelDef<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom: carries the output type only. */
  readonly output?: O;
}

/** `channel<Output>()(inputSchema)`: declares one invoke channel. */
export const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });

/** Declares an event and its payload type. */
export const event = <P>() => ({}) as P;

/** Input of a channel that takes nothing (an empty object or no argument at all). */
export const noInput = z.strictObject({}).optional();
