import { z } from 'zod';
import { channel, event, noInput } from '../channel-def';
import { LOG_LEVELS, type CollectionResult } from '../evidence';
import { incidentIdSchema, isoTimeSchema } from '../schemas';
import type { HostKeyOffer, TargetGaugeUpdate, TargetRecord, TargetStatus } from '../targets';
import { requestIdSchema } from './evidence';

// Remote targets (issue 13). Names are checked for shape here and vetted by the target
// service (no leading "-", no whitespace or shell syntax); remote paths are absolute POSIX
// paths or sh patterns and reach the server only single-quoted.

const targetNameSchema = z.string().min(1, { error: 'must not be empty' }).max(255);

export const remotePathSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(4096)
  .refine((p) => !p.includes('\0'), { error: 'must not contain a NUL character' })
  .refine((p) => p.startsWith('/'), { error: 'must be an absolute path on the target' });

export type TargetListing = TargetRecord & { readonly status: TargetStatus };

export const targetChannels = {
  'targets.list': channel<TargetListing[]>()(noInput),
  'targets.add': channel<TargetRecord>()(z.strictObject({ name: targetNameSchema })),
  'targets.remove': channel<void>()(z.strictObject({ name: targetNameSchema })),
  /** Brings the connection up now (skipping any backoff); the state says what happened. */
  'targets.connect': channel<TargetStatus>()(z.strictObject({ name: targetNameSchema })),
  /** The host's keys with fingerprints, for an unknown host. */
  'targets.hostKey': channel<HostKeyOffer>()(z.strictObject({ name: targetNameSchema })),
  /** Records the key with exactly this fingerprint; refused if the host has another key on record. */
  'targets.acceptHostKey': channel<void>()(z.strictObject({ name: targetNameSchema, fingerprint: z.string().min(1).max(200) })),
  'targets.ofIncident': channel<string[]>()(z.strictObject({ incidentId: incidentIdSchema })),
  'targets.addToIncident': channel<void>()(z.strictObject({ incidentId: incidentIdSchema, name: targetNameSchema })),
  'targets.removeFromIncident': channel<void>()(z.strictObject({ incidentId: incidentIdSchema, name: targetNameSchema })),
  /** Machines (`local` or a host) whose alerts are pinned to the incident besides its targets. */
  'targets.alertPins': channel<string[]>()(z.strictObject({ incidentId: incidentIdSchema })),
  'targets.pinAlerts': channel<void>()(z.strictObject({ incidentId: incidentIdSchema, name: targetNameSchema })),
  'targets.unpinAlerts': channel<void>()(z.strictObject({ incidentId: incidentIdSchema, name: targetNameSchema })),
  'targets.collectFiles': channel<CollectionResult>()(
    z.strictObject({
      incidentId: incidentIdSchema,
      target: targetNameSchema,
      paths: z.array(remotePathSchema).min(1, { error: 'name at least one path or pattern' }).max(100),
      tail: z.number().int().positive().max(10_000_000).optional(),
      since: isoTimeSchema.optional(),
      until: isoTimeSchema.optional(),
      grep: z.string().min(1).max(1000).optional(),
      grepIgnoreCase: z.boolean().optional(),
      /** That level and more severe, on JSON (`level`) and plain (ERROR/WARN/INFO/DEBUG) lines. */
      level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
      maxBytes: z.number().int().positive().max(2 ** 50).optional(),
      requestId: requestIdSchema,
    }),
  ),
  'targets.collectSnapshot': channel<CollectionResult>()(z.strictObject({ incidentId: incidentIdSchema, target: targetNameSchema, requestId: requestIdSchema })),
  /** Starts the target's 1 Hz gauges (one remote loop on its connection) if needed; the latest reading, or null before the first. */
  'targets.watchGauges': channel<TargetGaugeUpdate | null>()(z.strictObject({ name: targetNameSchema })),
  'targets.stopGauges': channel<void>()(z.strictObject({ name: targetNameSchema })),
  'targets.cancelCollect': channel<{ readonly cancelled: boolean }>()(z.strictObject({ requestId: requestIdSchema })),
} as const;

export const targetEvents = {
  'targets.status': event<TargetStatus>(),
  'targets.gauges': event<TargetGaugeUpdate>(),
} as const;
