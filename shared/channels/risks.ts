import { z } from 'zod';
import { channel, event, noInput } from '../channel-def';
import { riskIdSchema, type RescoreRecord, type RiskView, type RisksView, type RiskWarning } from '../risks';
import { incidentIdSchema } from '../schemas';

// The risk register (issue 21): seed 000's risks, links to incidents, re-scoring with a reason.

const scale = z.number().int().min(1, { error: 'must be 1–5' }).max(5, { error: 'must be 1–5' });

export interface RescoreProposalView {
  readonly risk: string;
  readonly title: string;
  readonly current: { readonly impact: number; readonly probability: number; readonly score: number };
  readonly proposed: { readonly impact: number; readonly probability: number; readonly score: number };
  readonly reason: string;
}

export const riskChannels = {
  'risks.list': channel<RisksView>()(noInput),
  'risks.get': channel<RiskView & { readonly history: readonly RescoreRecord[] }>()(z.strictObject({ id: riskIdSchema })),
  'risks.link': channel<RiskView>()(z.strictObject({ incidentId: incidentIdSchema, risk: riskIdSchema, note: z.string().max(2000).optional() })),
  'risks.unlink': channel<RiskView>()(z.strictObject({ incidentId: incidentIdSchema, risk: riskIdSchema, reason: z.string().min(1).max(2000) })),
  'risks.rescore': channel<RescoreRecord>()(
    z.strictObject({
      risk: riskIdSchema,
      impact: scale,
      probability: scale,
      reason: z.string().trim().min(1, { error: 'must not be empty' }).max(2000),
      context: z.string().max(200).optional(),
      incidentId: incidentIdSchema.optional(),
    }),
  ),
  /** The risks an incident realised, with proposed re-scores (the postmortem). */
  'risks.forIncident': channel<{ readonly risks: readonly RiskView[]; readonly proposals: readonly RescoreProposalView[] }>()(z.strictObject({ incidentId: incidentIdSchema })),
  'risks.history': channel<RescoreRecord[]>()(z.strictObject({ risk: riskIdSchema.optional() }).optional()),
} as const;

export const riskEvents = {
  'risks.warning': event<RiskWarning>(),
  'risks.changed': event<{ readonly at: number }>(),
} as const;
