// Grandfather-father-son retention: the newest backup of each of the last N days, weeks
// and months is kept; everything else may go.

export interface RetentionPolicy {
  readonly daily: number;
  readonly weekly: number;
  readonly monthly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { daily: 7, weekly: 4, monthly: 12 };

export interface Dated {
  readonly at: Date;
}

const dayKey = (d: Date) => d.toISOString().slice(0, 10);
const monthKey = (d: Date) => d.toISOString().slice(0, 7);

/** ISO week (Monday start) as "2026-W48", in UTC. */
export function isoWeekKey(d: Date): string {
  const date = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  const day = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - day);
  const yearStart = new Date(Date.UTC(date.getUTCFullYear(), 0, 1));
  const week = Math.ceil(((date.getTime() - yearStart.getTime()) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/** The items to keep; the caller deletes the rest. */
export function selectRetained<T extends Dated>(items: readonly T[], policy: RetentionPolicy = DEFAULT_RETENTION): Set<T> {
  const newestFirst = [...items].sort((a, b) => b.at.getTime() - a.at.getTime());
  const keep = new Set<T>();
  for (const [limit, key] of [
    [policy.daily, dayKey],
    [policy.weekly, isoWeekKey],
    [policy.monthly, monthKey],
  ] as const) {
    const seen = new Set<string>();
    for (const item of newestFirst) {
      const k = key(item.at);
      if (seen.has(k)) continue;
      if (seen.size >= limit) break;
      seen.add(k);
      keep.add(item);
    }
  }
  return keep;
}
