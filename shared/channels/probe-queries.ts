import { z } from 'zod';
import { channel } from '../channel-def';
import type { ProbeQueryOutcome } from '../probe-query';
import { incidentIdSchema } from '../schemas';

// A runbook's `redis` or `cypher` block run against a configured probe target, its answer kept
// as evidence of the incident (issue 14). Read-only unless `confirmation` is the typed word.

export const probeQueryChannels = {
  'probes.query': channel<ProbeQueryOutcome>()(
    z.strictObject({
      incidentId: incidentIdSchema,
      language: z.enum(['redis', 'cypher']),
      text: z.string().min(1, { error: 'must not be empty' }).max(20_000),
      /** Probe target name; optional when exactly one target of the kind is configured. */
      probe: z.string().min(1).max(64).optional(),
      confirmation: z.string().max(200).optional(),
      timeoutMs: z.number().int().min(100).max(120_000).optional(),
    }),
  ),
} as const;
