// Severity scheme of seed 004, with seed 003's P-levels accepted as aliases.
export const SEVERITIES = ['critical', 'high', 'medium', 'low'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const SEVERITY_ALIASES: Readonly<Record<string, Severity>> = {
  p0: 'critical',
  p1: 'high',
  p2: 'medium',
  p3: 'low',
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

export interface SeverityTargets {
  /** Initial response (acknowledge) target, ms from detection. */
  readonly responseMs: number;
  /** Recovery target, ms from detection. */
  readonly recoveryMs: number;
  readonly alias: string;
  /** 0 is the most urgent; used for sorting. */
  readonly rank: number;
}

export const SEVERITY_TARGETS: Readonly<Record<Severity, SeverityTargets>> = {
  critical: { responseMs: 15 * MINUTE, recoveryMs: 1 * HOUR, alias: 'P0', rank: 0 },
  high: { responseMs: 30 * MINUTE, recoveryMs: 4 * HOUR, alias: 'P1', rank: 1 },
  medium: { responseMs: 60 * MINUTE, recoveryMs: 8 * HOUR, alias: 'P2', rank: 2 },
  low: { responseMs: 240 * MINUTE, recoveryMs: 24 * HOUR, alias: 'P3', rank: 3 },
};

/** Accepts `critical`, `Critical`, `P0`, `p0` …; returns undefined for anything else. */
export function parseSeverity(input: string): Severity | undefined {
  const key = input.trim().toLowerCase();
  if ((SEVERITIES as readonly string[]).includes(key)) return key as Severity;
  return SEVERITY_ALIASES[key];
}
