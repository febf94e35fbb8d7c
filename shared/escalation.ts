import { z } from 'zod';
import type { IsoTime } from './domain';
import type { IncidentStatus } from './lifecycle';
import type { Severity } from './severity';

// Escalation policy, contacts, on-call and stakeholder updates (issue 17, seed 004 §11–12).
// Pure data and rules, shared by the main side (suggestions, reports) and the renderer
// (the clocks and "in hours now" marks), so both judge cover and cadence the same way.

export const CONTACT_KINDS = ['person', 'team', 'vendor'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const CONTACT_VIAS = ['phone', 'email', 'chat'] as const;
export type ContactVia = (typeof CONTACT_VIAS)[number];

export const WEEKDAYS = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

export const ESCALATION_LEVEL_NUMBERS = [1, 2, 3] as const;
export type EscalationLevel = (typeof ESCALATION_LEVEL_NUMBERS)[number];

/** Hours of cover in the contact's own time zone; `end` before `start` runs past midnight. */
export interface CoverHours {
  readonly days: readonly Weekday[];
  /** "HH:MM", 24-hour. */
  readonly start: string;
  readonly end: string;
}

export interface Contact {
  readonly id: number;
  readonly name: string;
  readonly kind: ContactKind;
  /** Escalation level 1–3; null for vendors and others outside the ladder. */
  readonly level: EscalationLevel | null;
  readonly role: string;
  readonly phone: string;
  readonly email: string;
  readonly chat: string;
  /** IANA time zone of the hours (Asia/Tokyo, Europe/London…). */
  readonly timeZone: string;
  /** null: reachable around the clock. */
  readonly hours: CoverHours | null;
  /** A bundled stand-in (seed 004's "[連絡先]") that must be filled in. */
  readonly placeholder: boolean;
  readonly notes: string;
}

/** When a level's contacts may be called outside their hours (seed 004 §11.1). */
export type LevelCover = 'always' | 'critical' | 'emergency';

export interface PolicyLevel {
  readonly level: EscalationLevel;
  readonly name: string;
  readonly nameJa: string;
  readonly cover: LevelCover;
}

/**
 * Seed 004 §11.1: Level 1 operations (24 h), Level 2 system administrators (24 h when
 * Critical, business hours otherwise), Level 3 the development team (business hours, 24 h
 * in an emergency — a Critical incident is the emergency).
 */
export const ESCALATION_POLICY: readonly PolicyLevel[] = [
  { level: 1, name: 'Operations', nameJa: '運用担当者', cover: 'always' },
  { level: 2, name: 'System administrators', nameJa: 'システム管理者', cover: 'critical' },
  { level: 3, name: 'Development team', nameJa: '開発チーム', cover: 'emergency' },
];

const MINUTE = 60_000;

const minutes = (fallback: number) => z.number().int().min(1, { error: 'must be at least 1 minute' }).max(10_080, { error: 'must be at most 10080 minutes (a week)' }).default(fallback);
const perSeverity = (d: Readonly<Record<Severity, number>>) =>
  z.strictObject({ critical: minutes(d.critical), high: minutes(d.high), medium: minutes(d.medium), low: minutes(d.low) }).prefault({});

/**
 * The escalation policy as the operator keeps it (`<profile>/escalation-policy.yaml`): the three
 * levels and when each may be called, how often stakeholders hear from us and how long without
 * progress suggests escalating, per severity. Every field has seed 004's default.
 */
export const escalationPolicySchema = z.strictObject({
  version: z.literal(1).default(1),
  levels: z
    .array(
      z.strictObject({
        level: z.union([z.literal(1), z.literal(2), z.literal(3)], { error: 'must be 1, 2 or 3' }),
        name: z.string().trim().min(1).max(100),
        nameJa: z.string().trim().min(1).max(100),
        cover: z.enum(['always', 'critical', 'emergency'], { error: 'must be always, critical or emergency' }),
      }),
    )
    .length(3, { error: 'must list the three levels' })
    .refine((levels) => levels.every((l, i) => l.level === i + 1), { error: 'must list levels 1, 2 and 3 in order' })
    .default(ESCALATION_POLICY.map((l) => ({ ...l }))),
  /** How often stakeholders hear from us while an incident is open. */
  updateCadenceMinutes: perSeverity({ critical: 30, high: 60, medium: 120, low: 240 }),
  /** No recorded progress for this long suggests escalating. */
  noProgressMinutes: perSeverity({ critical: 20, high: 45, medium: 120, low: 480 }),
});
export type EscalationPolicy = z.output<typeof escalationPolicySchema>;

export const DEFAULT_ESCALATION_POLICY: EscalationPolicy = escalationPolicySchema.parse({});

/** `escalation.policy`: the policy in force, its file, and why the file is not used (if so). */
export interface EscalationPolicyView {
  readonly path: string | null;
  readonly policy: EscalationPolicy;
  readonly error: string | null;
}

export function policyLevel(level: EscalationLevel, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): PolicyLevel {
  return policy.levels[level - 1]!;
}

/** Whether this level may be called at any hour for an incident of this severity. */
export function allowsAnyHour(level: EscalationLevel, severity: Severity, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): boolean {
  const cover = policyLevel(level, policy).cover;
  return cover === 'always' || severity === 'critical';
}

export function updateCadenceMs(severity: Severity, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): number {
  return policy.updateCadenceMinutes[severity] * MINUTE;
}

export function noProgressMs(severity: Severity, policy: EscalationPolicy = DEFAULT_ESCALATION_POLICY): number {
  return policy.noProgressMinutes[severity] * MINUTE;
}

/** Seed 004's defaults (the policy file may change them: use updateCadenceMs / noProgressMs). */
export const UPDATE_CADENCE_MS: Readonly<Record<Severity, number>> = {
  critical: updateCadenceMs('critical'),
  high: updateCadenceMs('high'),
  medium: updateCadenceMs('medium'),
  low: updateCadenceMs('low'),
};
export const NO_PROGRESS_MS: Readonly<Record<Severity, number>> = {
  critical: noProgressMs('critical'),
  high: noProgressMs('high'),
  medium: noProgressMs('medium'),
  low: noProgressMs('low'),
};

/** Fraction of the cadence left under which the update clock turns amber (as the SLA clocks do). */
export const UPDATE_WARNING_FRACTION = 0.25;

export interface UpdateClock {
  readonly cadenceMs: number;
  /** From the last update sent, else from detection. */
  readonly dueAt: IsoTime;
  readonly remainingMs: number;
  readonly level: 'ok' | 'warning' | 'missed';
  /** Resolved or closed incidents need no more updates. */
  readonly stopped: boolean;
}

export function computeUpdateClock(
  incident: { readonly severity: Severity; readonly detectedAt: IsoTime; readonly status: IncidentStatus },
  lastSentAt: IsoTime | null,
  nowMs: number,
  /** The cadence for this incident's severity (EscalationState.updateCadenceMs); default seed 004's. */
  cadenceMs: number = UPDATE_CADENCE_MS[incident.severity],
): UpdateClock {
  const dueMs = Date.parse(lastSentAt ?? incident.detectedAt) + cadenceMs;
  const remainingMs = dueMs - nowMs;
  const level = remainingMs < 0 ? 'missed' : remainingMs < cadenceMs * UPDATE_WARNING_FRACTION ? 'warning' : 'ok';
  const stopped = incident.status === 'resolved' || incident.status === 'closed';
  return { cadenceMs, dueAt: new Date(dueMs).toISOString(), remainingMs, level, stopped };
}

// ---- Hours of cover, by Intl (no time-zone data beyond what the runtime ships) ----

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', weekday: 'short', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    formatters.set(timeZone, f);
  }
  return f;
}

export function isValidTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

export interface ZonedParts {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly weekday: Weekday;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** The wall-clock date and time at `ms` in `timeZone`. */
export function zonedParts(ms: number, timeZone: string): ZonedParts {
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(new Date(ms))) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: parts.weekday!.toLowerCase().slice(0, 3) as Weekday,
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

/** The instant at which the wall clock in `timeZone` reads the given local time (earlier one in a DST overlap). */
export function zonedTimeToUtc(local: { year: number; month: number; day: number; hour: number; minute: number; second?: number }, timeZone: string): number {
  const asUtc = Date.UTC(local.year, local.month - 1, local.day, local.hour, local.minute, local.second ?? 0);
  const offsetAt = (ms: number) => {
    const p = zonedParts(ms, timeZone);
    return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
  };
  // Two passes settle on the offset in force at the result, across a DST change.
  let guess = asUtc - offsetAt(asUtc);
  guess = asUtc - offsetAt(guess);
  return guess;
}

export function parseClockTime(value: string): number | undefined {
  const m = /^([01]?\d|2[0-4]):([0-5]\d)$/.exec(value.trim());
  if (!m) return undefined;
  const minutes = Number(m[1]) * 60 + Number(m[2]);
  return minutes <= 24 * 60 ? minutes : undefined;
}

/** Whether `ms` falls in the contact's hours of cover, read in the contact's time zone. */
export function isInCover(contact: Pick<Contact, 'hours' | 'timeZone'>, ms: number): boolean {
  const hours = contact.hours;
  if (!hours) return true;
  const start = parseClockTime(hours.start) ?? 0;
  const end = parseClockTime(hours.end) ?? 24 * 60;
  const local = zonedParts(ms, contact.timeZone);
  const minutes = local.hour * 60 + local.minute;
  const today = WEEKDAYS.indexOf(local.weekday);
  const yesterday = WEEKDAYS[(today + 6) % 7]!;
  if (start < end) return hours.days.includes(local.weekday) && minutes >= start && minutes < end;
  // Overnight: the evening belongs to the day it starts, the early hours to the day before.
  return (hours.days.includes(local.weekday) && minutes >= start) || (hours.days.includes(yesterday) && minutes < end);
}

/** "mon-fri", "sat,sun", "mon tue", "friday-monday" → the days in week order; undefined when a word is not a day. */
export function parseDays(value: string): Weekday[] | undefined {
  const days = new Set<Weekday>();
  for (const part of value.toLowerCase().split(/[\s,;]+/).filter(Boolean)) {
    const [from, to = from] = part.split('-').map((p) => p.slice(0, 3) as Weekday);
    const a = WEEKDAYS.indexOf(from!);
    const b = WEEKDAYS.indexOf(to!);
    if (a < 0 || b < 0) return undefined;
    for (let i = a; ; i = (i + 1) % 7) {
      days.add(WEEKDAYS[i]!);
      if (i === b) break;
    }
  }
  return WEEKDAYS.filter((d) => days.has(d));
}

// ---- Views the contract returns ----

export interface OnCallSlot {
  readonly name: string;
  /** The directory entry of that name, if there is one (how to reach them). */
  readonly contact: Contact | null;
  readonly startsAt: IsoTime;
  readonly endsAt: IsoTime;
  /** Set when an override (swap, holiday cover) put this person here. */
  readonly override: { readonly id: number; readonly reason: string } | null;
}

export interface OnCallView {
  readonly at: IsoTime;
  readonly primary: OnCallSlot | null;
  readonly secondary: OnCallSlot | null;
  /** The next turn after `at` (the next change of primary or secondary), if the rotation has one. */
  readonly next: { readonly at: IsoTime; readonly primary: string | null; readonly secondary: string | null } | null;
}

export const ONCALL_ROLES = ['primary', 'secondary'] as const;
export type OnCallRole = (typeof ONCALL_ROLES)[number];

export interface OnCallShift {
  readonly id: number;
  readonly role: OnCallRole;
  readonly name: string;
  readonly startsAt: IsoTime;
  readonly endsAt: IsoTime;
  readonly source: string;
}

export interface OnCallOverride {
  readonly id: number;
  readonly role: OnCallRole;
  readonly name: string;
  readonly startsAt: IsoTime;
  readonly endsAt: IsoTime;
  readonly reason: string;
}

export const SUGGESTION_TRIGGERS = ['sla.warning', 'sla.breached', 'severity.raised', 'no.progress'] as const;
export type SuggestionTrigger = (typeof SUGGESTION_TRIGGERS)[number];

/** What tripped a suggestion: clock (response|recovery), leftMs/overMs/targetMs, from/to, idleMs/limitMs. */
export type SuggestionFacts = Readonly<Record<string, string | number>>;

export interface SuggestedContact {
  readonly name: string;
  readonly id: number | null;
  readonly inCover: boolean;
  readonly placeholder: boolean;
  readonly phone: string;
  readonly email: string;
  readonly chat: string;
}

export interface EscalationSuggestion {
  readonly entryId: number;
  readonly at: IsoTime;
  readonly trigger: SuggestionTrigger;
  readonly level: EscalationLevel;
  /** What tripped it, in words ("response SLA: 2m 30s left"). */
  readonly detail: string;
  readonly facts: SuggestionFacts;
  readonly contacts: readonly SuggestedContact[];
  /** Cleared once the incident is escalated to this level or higher. */
  readonly open: boolean;
}

export interface EscalationRecord {
  readonly entryId: number;
  readonly at: IsoTime;
  readonly actor: string;
  readonly level: EscalationLevel;
  readonly contact: string;
  readonly via: ContactVia | null;
  readonly reason: string;
  readonly acknowledgedAt: IsoTime | null;
}

export const UPDATE_LANGUAGES = ['en', 'ja'] as const;
export type UpdateLanguage = (typeof UPDATE_LANGUAGES)[number];

export const UPDATE_CHANNELS = ['clipboard', 'eml', 'markdown', 'mailto', 'other'] as const;
export type UpdateChannel = (typeof UPDATE_CHANNELS)[number];

export interface SentUpdate {
  readonly entryId: number;
  readonly at: IsoTime;
  readonly actor: string;
  readonly language: UpdateLanguage;
  readonly via: UpdateChannel;
  readonly sha256: string;
  readonly text: string;
  readonly dueAt: IsoTime;
  readonly onTime: boolean;
  readonly path: string | null;
}

export interface EscalationState {
  readonly incidentId: number;
  /** 1 until someone escalates: the on-call operator (Level 1) holds every incident first. */
  readonly level: EscalationLevel;
  readonly escalations: readonly EscalationRecord[];
  readonly suggestions: readonly EscalationSuggestion[];
  readonly updates: readonly SentUpdate[];
  readonly lastUpdateAt: IsoTime | null;
  /** The policy's update cadence for this incident's severity. */
  readonly updateCadenceMs: number;
  /** Why the policy file could not be used (file:line: field message); seed 004's defaults apply meanwhile. */
  readonly policyError: string | null;
}

/** What an incident's timeline alone says (the policy's figures are added by the service). */
export type EscalationHistory = Omit<EscalationState, 'updateCadenceMs' | 'policyError'>;

export interface UpdateDraft {
  readonly incidentId: number;
  readonly language: UpdateLanguage;
  readonly template: string;
  readonly subject: string;
  readonly text: string;
  /** E-mail addresses of the contacts marked as stakeholders (role contains "stakeholder"). */
  readonly to: readonly string[];
  readonly mailto: string;
  /** When the next update is due if this one goes out now. */
  readonly nextUpdateAt: IsoTime;
}

export interface ContactImportResult {
  readonly added: number;
  readonly updated: number;
  readonly contacts: readonly Contact[];
}

export interface RotationImportResult {
  readonly shifts: number;
  readonly from: IsoTime | null;
  readonly to: IsoTime | null;
}
