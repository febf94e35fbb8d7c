import { z } from 'zod';
import { STATUSES } from './lifecycle';
import { parseSeverity, type Severity } from './severity';

// Input schemas shared by every boundary (IPC, browser host, CLI). Strict objects so a
// misspelt field is an error that names it rather than something silently ignored.

export const severitySchema = z.string().transform((value, ctx): Severity => {
  const severity = parseSeverity(value);
  if (severity === undefined) {
    ctx.addIssue({ code: 'custom', message: `must be one of critical, high, medium, low (or P0–P3), got "${value}"` });
    return z.NEVER;
  }
  return severity;
});

export const statusSchema = z.enum(STATUSES, { error: `must be one of ${STATUSES.join(', ')}` });

export const incidentIdSchema = z.number({ error: 'must be an incident id (a positive whole number)' }).int().positive();

export const isoTimeSchema = z.iso.datetime({ offset: true, error: 'must be an ISO 8601 date-time such as 2026-11-23T09:30:00Z' });

const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
const requiredText = (max: number) => text(max).trim().min(1, { error: 'must not be empty' });
const labelList = z.array(requiredText(100)).max(50, { error: 'must have at most 50 entries' });

export const incidentFieldsSchema = z.strictObject({
  title: requiredText(200),
  summary: text(20_000).optional(),
  impact: text(20_000).optional(),
  responder: text(200).optional(),
  services: labelList.optional(),
  tags: labelList.optional(),
});

export const createIncidentSchema = incidentFieldsSchema.extend({
  severity: severitySchema,
  detectedAt: isoTimeSchema.optional(),
});

export const updateIncidentSchema = z.strictObject({
  id: incidentIdSchema,
  patch: incidentFieldsSchema.partial().refine((p) => Object.keys(p).length > 0, { error: 'must change at least one field' }),
});

export const transitionSchema = z.strictObject({
  id: incidentIdSchema,
  to: statusSchema,
  reason: text(2000).optional(),
  at: isoTimeSchema.optional(),
});

export const listIncidentsSchema = z
  .strictObject({
    status: z.array(statusSchema).optional(),
    severity: z.array(severitySchema).optional(),
    query: text(200).optional(),
    openOnly: z.boolean().optional(),
  })
  .optional();

export const noteSchema = z.strictObject({
  incidentId: incidentIdSchema,
  text: requiredText(20_000),
});
