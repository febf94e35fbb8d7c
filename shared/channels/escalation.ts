import { z } from 'zod';
import { channel, noInput } from '../channel-def';
import type {
  Contact,
  ContactImportResult,
  EscalationPolicyView,
  EscalationState,
  OnCallOverride,
  OnCallShift,
  OnCallView,
  RotationImportResult,
  SentUpdate,
  UpdateDraft,
} from '../escalation';
import {
  CONTACT_KINDS,
  CONTACT_VIAS,
  ONCALL_ROLES,
  UPDATE_CHANNELS,
  UPDATE_LANGUAGES,
  WEEKDAYS,
  isValidTimeZone,
  parseClockTime,
} from '../escalation';
import { incidentIdSchema, isoTimeSchema } from '../schemas';
import { SEVERITIES } from '../severity';

// Contacts, on-call, escalation and stakeholder updates (issue 17).

const text = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` });
const requiredText = (max: number) => text(max).trim().min(1, { error: 'must not be empty' });
/** Kept byte for byte (its hash is recorded), but not blank. */
const exactText = (max: number) => text(max).refine((v) => v.trim() !== '', { error: 'must not be empty' });

export const timeZoneSchema = z
  .string()
  .trim()
  .min(1, { error: 'must not be empty' })
  .refine(isValidTimeZone, { error: 'must be an IANA time zone such as Asia/Tokyo or Europe/London' });

const clockTimeSchema = z.string().refine((v) => parseClockTime(v) !== undefined, { error: 'must be a time such as 09:00 or 18:30' });

export const coverHoursSchema = z.strictObject({
  days: z.array(z.enum(WEEKDAYS, { error: `must be days of ${WEEKDAYS.join(', ')}` })).min(1, { error: 'must name at least one day' }).max(7),
  start: clockTimeSchema,
  end: clockTimeSchema,
});

export const escalationLevelSchema = z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1, 2 or 3' });

/** One contact as the user gives it (the form, YAML or CSV import, `contacts add`). */
export const contactInputSchema = z.strictObject({
  name: requiredText(200),
  kind: z.enum(CONTACT_KINDS, { error: `must be one of ${CONTACT_KINDS.join(', ')}` }).default('person'),
  level: escalationLevelSchema.nullable().default(null),
  role: text(200).default(''),
  phone: text(100).default(''),
  email: z.union([z.literal(''), z.email({ error: 'must be an e-mail address' })]).default(''),
  chat: text(200).default(''),
  timeZone: timeZoneSchema.default('UTC'),
  /** null or absent: around the clock. */
  hours: coverHoursSchema.nullable().default(null),
  notes: text(2000).default(''),
});
export type ContactInput = z.input<typeof contactInputSchema>;

export const contactFileFormatSchema = z.enum(['yaml', 'csv'], { error: 'must be yaml or csv' });

export const escalateSchema = z.strictObject({
  incidentId: incidentIdSchema,
  level: escalationLevelSchema,
  /** A directory name, or anyone else's name; empty: the level's contacts in general. */
  contact: text(200).default(''),
  via: z.enum(CONTACT_VIAS, { error: `must be one of ${CONTACT_VIAS.join(', ')}` }).nullable().default(null),
  reason: requiredText(2000),
});

export const updateLanguageSchema = z.enum(UPDATE_LANGUAGES, { error: 'must be en or ja' }).default('en');

export const recordUpdateSchema = z.strictObject({
  incidentId: incidentIdSchema,
  language: updateLanguageSchema,
  via: z.enum(UPDATE_CHANNELS, { error: `must be one of ${UPDATE_CHANNELS.join(', ')}` }),
  /** Exactly what was sent (the operator may have edited the draft). */
  text: exactText(100_000),
  subject: text(500).default(''),
});

export const saveUpdateSchema = z.strictObject({
  incidentId: incidentIdSchema,
  language: updateLanguageSchema,
  format: z.enum(['eml', 'md'], { error: 'must be eml or md' }),
  text: exactText(100_000),
  subject: text(500).default(''),
  /** Absolute file path; default <home>/updates/INC-0001-update-<time>.<ext>. */
  path: z
    .string()
    .min(1)
    .max(4096)
    .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { error: 'must be an absolute path' })
    .optional(),
});

export const overrideSchema = z.strictObject({
  role: z.enum(ONCALL_ROLES, { error: 'must be primary or secondary' }),
  name: requiredText(200),
  startsAt: isoTimeSchema,
  endsAt: isoTimeSchema,
  reason: requiredText(500),
});

export const escalationChannels = {
  'contacts.list': channel<Contact[]>()(noInput),
  'contacts.add': channel<Contact>()(contactInputSchema),
  'contacts.remove': channel<Contact>()(z.strictObject({ name: requiredText(200) })),
  'contacts.import': channel<ContactImportResult>()(z.strictObject({ format: contactFileFormatSchema, text: requiredText(5_000_000), source: text(4096).default('input') })),
  'contacts.export': channel<string>()(z.strictObject({ format: contactFileFormatSchema })),

  'oncall.now': channel<OnCallView>()(z.strictObject({ at: isoTimeSchema.optional() }).optional()),
  'oncall.shifts': channel<OnCallShift[]>()(noInput),
  'oncall.import': channel<RotationImportResult>()(z.strictObject({ format: z.enum(['csv', 'ics'], { error: 'must be csv or ics' }), text: requiredText(5_000_000), source: text(4096).default('input') })),
  'oncall.overrides': channel<OnCallOverride[]>()(noInput),
  'oncall.addOverride': channel<OnCallOverride>()(overrideSchema),
  'oncall.removeOverride': channel<OnCallOverride>()(z.strictObject({ id: z.number().int().positive() })),

  /** The incident's level, escalations, suggestions and updates; checks the triggers first. */
  'escalation.state': channel<EscalationState>()(z.strictObject({ incidentId: incidentIdSchema })),
  /** incident id → current level, for the incident list. */
  'escalation.levels': channel<Record<number, number>>()(noInput),
  'escalation.escalate': channel<EscalationState>()(escalateSchema),
  'escalation.acknowledge': channel<EscalationState>()(z.strictObject({ incidentId: incidentIdSchema, entryId: z.number().int().positive() })),
  /** The policy in force (escalation-policy.yaml in the profile) and why the file is not used, if so. */
  'escalation.policy': channel<EscalationPolicyView>()(noInput),
  /** Overrides one severity's stakeholder update cadence in the policy file. */
  'escalation.setCadence': channel<EscalationPolicyView>()(
    z.strictObject({ severity: z.enum(SEVERITIES, { error: 'must be critical, high, medium or low' }), minutes: z.number().int().min(1, { error: 'must be at least 1 minute' }).max(10_080, { error: 'must be at most 10080 minutes (a week)' }) }),
  ),

  'updates.draft': channel<UpdateDraft>()(z.strictObject({ incidentId: incidentIdSchema, language: updateLanguageSchema })),
  'updates.record': channel<SentUpdate>()(recordUpdateSchema),
  'updates.save': channel<SentUpdate>()(saveUpdateSchema),
} as const;
