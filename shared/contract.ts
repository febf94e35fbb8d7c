import { z } from 'zod';
import type { AppInfo, ChainVerification, Incident, IncidentView, Result, TimelineEntry } from './domain';
import {
  createIncidentSchema,
  incidentIdSchema,
  listIncidentsSchema,
  noteSchema,
  severitySchema,
  transitionSchema,
  updateIncidentSchema,
} from './schemas';

// The one source of truth for what the UI can ask of the main side and what the main
// side pushes back. Preload, IPC handlers, the browser host and the renderer's api are
// all derived from these two maps: adding a channel is one entry here plus its handler.

export interface ChannelDef<I extends z.ZodType, O> {
  readonly input: I;
  /** Phantom: carries the output type only. */
  readonly output?: O;
}

const channel =
  <O>() =>
  <I extends z.ZodType>(input: I): ChannelDef<I, O> => ({ input });

const noInput = z.strictObject({}).optional();

export const channels = {
  'app.info': channel<AppInfo>()(noInput),

  'incidents.list': channel<IncidentView[]>()(listIncidentsSchema),
  'incidents.get': channel<IncidentView>()(z.strictObject({ id: incidentIdSchema })),
  'incidents.create': channel<IncidentView>()(createIncidentSchema),
  'incidents.update': channel<IncidentView>()(updateIncidentSchema),
  'incidents.transition': channel<IncidentView>()(transitionSchema),
  'incidents.setSeverity': channel<IncidentView>()(
    z.strictObject({ id: incidentIdSchema, severity: severitySchema, reason: z.string().max(2000).optional() }),
  ),
  'incidents.pauseSla': channel<IncidentView>()(
    z.strictObject({ id: incidentIdSchema, reason: z.string().trim().min(1, { error: 'must not be empty' }).max(2000) }),
  ),
  'incidents.resumeSla': channel<IncidentView>()(z.strictObject({ id: incidentIdSchema })),

  'timeline.list': channel<TimelineEntry[]>()(
    z.strictObject({ incidentId: incidentIdSchema, afterSeq: z.number().int().nonnegative().optional() }),
  ),
  'timeline.addNote': channel<TimelineEntry>()(noteSchema),
  'timeline.correct': channel<TimelineEntry>()(noteSchema.extend({ entryId: z.number().int().positive() })),
  'timeline.verify': channel<ChainVerification>()(z.strictObject({ incidentId: incidentIdSchema.optional() }).optional()),
} as const;

export const events = {
  'incidents.changed': {} as { readonly incident: IncidentView },
  'timeline.appended': {} as { readonly entry: TimelineEntry },
} as const;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<K extends ChannelName> = z.input<Channels[K]['input']>;
export type ChannelParsed<K extends ChannelName> = z.output<Channels[K]['input']>;
export type ChannelOutput<K extends ChannelName> = Channels[K] extends ChannelDef<z.ZodType, infer O> ? O : never;

export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = (typeof events)[E];

export const CHANNEL_NAMES = Object.keys(channels) as ChannelName[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.hasOwn(channels, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.hasOwn(events, name);
}

// ---- The grouped api shape (`api.incidents.create(...)`) derived from channel names ----

type GroupOf<K> = K extends `${infer G}.${string}` ? G : never;
type ArgsOf<K extends ChannelName> = undefined extends ChannelInput<K> ? [input?: ChannelInput<K>] : [input: ChannelInput<K>];

export type Unsubscribe = () => void;

/** What the preload exposes as `window.firebreak`: results, never throws. */
export type FirebreakBridge = {
  readonly [G in GroupOf<ChannelName>]: {
    readonly [K in ChannelName as K extends `${G}.${infer M}` ? M : never]: (...args: ArgsOf<K>) => Promise<Result<ChannelOutput<K>>>;
  };
} & {
  readonly on: <E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void) => Unsubscribe;
};

export { splitChannel } from './channel-name';
