import type { z } from 'zod';
import type { ChannelDef } from './channel-def';
import { escalationChannels } from './channels/escalation';
import { evidenceChannels, evidenceEvents } from './channels/evidence';
import { incidentChannels, incidentEvents } from './channels/incidents';
import { metricsChannels, metricsEvents } from './channels/metrics';
import { monitorChannels, monitorEvents } from './channels/monitor';
import { probeQueryChannels } from './channels/probe-queries';
import { reportChannels } from './channels/reports';
import { riskChannels, riskEvents } from './channels/risks';
import { runbookChannels, runbookEvents } from './channels/runbooks';
import { targetChannels, targetEvents } from './channels/targets';
import { teamChannels } from './channels/team';
import { terminalChannels, terminalEvents } from './channels/terminals';
import type { Result } from './domain';

// The one source of truth for what the UI can ask of the main side and what the main
// side pushes back. Preload, IPC handlers, the browser host and the renderer's api are
// all derived from these two maps. Each feature declares its channels and events in
// shared/channels/<feature>.ts; adding a channel is one entry there plus its handler.

export type { ChannelDef } from './channel-def';

export const channels = {
  ...incidentChannels,
  ...evidenceChannels,
  ...monitorChannels,
  ...probeQueryChannels,
  ...reportChannels,
  ...runbookChannels,
  ...terminalChannels,
  ...escalationChannels,
  ...targetChannels,
  ...metricsChannels,
  ...riskChannels,
  ...teamChannels,
} as const;

export const events = {
  ...incidentEvents,
  ...evidenceEvents,
  ...monitorEvents,
  ...runbookEvents,
  ...terminalEvents,
  ...targetEvents,
  ...metricsEvents,
  ...riskEvents,
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
