import { labelOf, type Exposition, type Sample } from './exposition';

// Rates and quantiles computed on the laptop from two scrapes of a /metrics endpoint, so the
// indicators still work while the Prometheus server is down.

export interface Snapshot {
  /** Epoch ms of the scrape. */
  readonly at: number;
  readonly byName: ReadonlyMap<string, readonly Sample[]>;
  readonly byKey: ReadonlyMap<string, Sample>;
  /** Families declared with # TYPE/# HELP (a declared counter with no series yet is 0, not missing). */
  readonly declared: ReadonlySet<string>;
}

export function snapshotOf(exposition: Exposition, at: number): Snapshot {
  const byName = new Map<string, Sample[]>();
  const byKey = new Map<string, Sample>();
  for (const sample of exposition.samples) {
    let list = byName.get(sample.name);
    if (!list) byName.set(sample.name, (list = []));
    list.push(sample);
    byKey.set(sample.key, sample);
  }
  return { at, byName, byKey, declared: new Set(exposition.families.keys()) };
}

/** A derived value, or why there is none. */
export type Derived = { readonly value: number } | { readonly value: null; readonly reason: string };

/**
 * Increase of a counter between two scrapes, summed over its series. A value lower than
 * before is a counter reset (the process restarted): the increase is then the new value, as
 * Prometheus' rate() counts it. A series that appeared between the scrapes started at 0
 * (client libraries create labelled counters on first use, so its whole value is new).
 */
export function counterIncrease(prev: Snapshot, cur: Snapshot, name: string): Derived {
  const series = cur.byName.get(name);
  if (!series || series.length === 0) {
    const family = name.endsWith('_total') ? name.slice(0, -'_total'.length) : name;
    return cur.declared.has(name) || cur.declared.has(family) ? { value: 0 } : { value: null, reason: `series ${name} missing` };
  }
  let increase = 0;
  for (const sample of series) {
    if (!Number.isFinite(sample.value)) continue;
    const before = prev.byKey.get(sample.key);
    if (before === undefined || !Number.isFinite(before.value)) increase += prev.byName.size === 0 ? 0 : sample.value;
    else increase += sample.value >= before.value ? sample.value - before.value : sample.value;
  }
  return { value: increase };
}

/** Per-second rate of a counter between two scrapes. */
export function counterRate(prev: Snapshot, cur: Snapshot, name: string): Derived {
  const seconds = (cur.at - prev.at) / 1000;
  if (!(seconds > 0)) return { value: null, reason: 'needs two scrapes' };
  const increase = counterIncrease(prev, cur, name);
  return increase.value === null ? increase : { value: increase.value / seconds };
}

/**
 * The q-quantile of a histogram's observations between two scrapes, from its `_bucket`
 * series summed by `le` (Prometheus' histogram_quantile: linear interpolation inside the
 * bucket; the +Inf bucket answers the highest finite bound). No observations in the window
 * ("no traffic") is no value, never 0.
 */
export function histogramQuantile(prev: Snapshot, cur: Snapshot, base: string, q: number): Derived {
  const buckets = cur.byName.get(`${base}_bucket`);
  if (!buckets || buckets.length === 0) return { value: null, reason: `series ${base}_bucket missing` };
  const byLe = new Map<number, number>();
  for (const sample of buckets) {
    const leText = labelOf(sample, 'le');
    if (leText === undefined) continue;
    const le = leText === '+Inf' ? Infinity : Number(leText);
    if (Number.isNaN(le)) continue;
    const before = prev.byKey.get(sample.key);
    let delta: number;
    if (before === undefined) delta = prev.byName.size === 0 ? 0 : sample.value;
    else delta = sample.value >= before.value ? sample.value - before.value : sample.value;
    byLe.set(le, (byLe.get(le) ?? 0) + delta);
  }
  const bounds = [...byLe.keys()].sort((a, b) => a - b);
  if (bounds.length === 0 || bounds[bounds.length - 1] !== Infinity) return { value: null, reason: `${base} has no +Inf bucket` };
  // Cumulative counts must not decrease; scrapes racing an observation can break that by one.
  const counts: number[] = [];
  let running = 0;
  for (const le of bounds) {
    running = Math.max(running, byLe.get(le)!);
    counts.push(running);
  }
  const total = counts[counts.length - 1]!;
  if (!(total > 0)) return { value: null, reason: 'no traffic' };
  const rank = q * total;
  let index = counts.findIndex((count) => count >= rank);
  if (index === -1) index = counts.length - 1;
  if (bounds[index] === Infinity) {
    // Above the highest finite bound: that bound is the best the buckets can say.
    return bounds.length >= 2 ? { value: bounds[bounds.length - 2]! } : { value: null, reason: `${base} has only the +Inf bucket` };
  }
  const upper = bounds[index]!;
  const lower = index === 0 ? (upper > 0 ? 0 : upper) : bounds[index - 1]!;
  const countBelow = index === 0 ? 0 : counts[index - 1]!;
  const inBucket = counts[index]! - countBelow;
  if (inBucket <= 0) return { value: upper };
  return { value: lower + (upper - lower) * ((rank - countBelow) / inBucket) };
}

/** The largest current value of a gauge across its series (e.g. the busiest pool). */
export function gaugeMax(cur: Snapshot, name: string): Derived {
  const series = cur.byName.get(name);
  if (!series || series.length === 0) return { value: null, reason: `series ${name} missing` };
  let max = -Infinity;
  for (const sample of series) if (Number.isFinite(sample.value) && sample.value > max) max = sample.value;
  return max === -Infinity ? { value: null, reason: `${name} has no finite value` } : { value: max };
}
