import { z } from 'zod';

// Service metrics (seed 000's "what users feel"): where they come from, the indicators built
// from them, and the normal / warning / danger bands of seed 000's risk dashboard. Pure: no
// Node APIs; the metrics service and the renderer both use it.

export type SignalLevel = 'normal' | 'warning' | 'danger' | 'unknown';

export const INDICATOR_IDS = ['response_time_p95', 'throughput', 'availability', 'error_rate', 'pool_use', 'query_time'] as const;
export type IndicatorId = (typeof INDICATOR_IDS)[number];

/**
 * A band edge pair. `higherIsWorse` response time: < warning is normal, ≤ danger warning,
 * above danger. Lower-is-worse (throughput, availability): > warning normal, ≥ danger warning.
 */
export interface Bands {
  readonly direction: 'higher-is-worse' | 'lower-is-worse';
  readonly warning: number;
  readonly danger: number;
}

/** Which crossings are alerts on the incident ("act now") and which are notices ("watch"). */
export type AlertClass = 'act-now' | 'watch';

export interface IndicatorDef {
  readonly id: IndicatorId;
  readonly unit: 'ms' | 'req/s' | '%';
  readonly bands: Bands;
  /** Seed 000's alert settings: 即座対応 (act now) at this level, 監視 (watch) at that one. */
  readonly actNowAt: 'warning' | 'danger' | null;
  readonly watchAt: 'warning' | 'danger' | null;
}

// Seed 000, 主要監視指標 and アラート設定: "エラー率 > 5%" and "稼働率 < 99%" are act-now (the danger
// edges); "API応答時間 > 200ms" is watch (the warning edge). No other indicator is on either
// list: their bands only colour the readings and charts.
export const INDICATORS: Readonly<Record<IndicatorId, IndicatorDef>> = {
  response_time_p95: { id: 'response_time_p95', unit: 'ms', bands: { direction: 'higher-is-worse', warning: 200, danger: 500 }, actNowAt: null, watchAt: 'warning' },
  throughput: { id: 'throughput', unit: 'req/s', bands: { direction: 'lower-is-worse', warning: 500, danger: 200 }, actNowAt: null, watchAt: null },
  availability: { id: 'availability', unit: '%', bands: { direction: 'lower-is-worse', warning: 99.5, danger: 99 }, actNowAt: 'danger', watchAt: null },
  error_rate: { id: 'error_rate', unit: '%', bands: { direction: 'higher-is-worse', warning: 1, danger: 5 }, actNowAt: 'danger', watchAt: null },
  pool_use: { id: 'pool_use', unit: '%', bands: { direction: 'higher-is-worse', warning: 70, danger: 85 }, actNowAt: null, watchAt: null },
  query_time: { id: 'query_time', unit: 'ms', bands: { direction: 'higher-is-worse', warning: 100, danger: 500 }, actNowAt: null, watchAt: null },
};

/** The band a value falls in; null (no data, a stale or unreachable source) is unknown, never normal. */
export function classifySignal(value: number | null, bands: Bands): SignalLevel {
  if (value === null || !Number.isFinite(value)) return 'unknown';
  if (bands.direction === 'higher-is-worse') {
    if (value > bands.danger) return 'danger';
    if (value >= bands.warning) return 'warning';
    return 'normal';
  }
  if (value < bands.danger) return 'danger';
  if (value <= bands.warning) return 'warning';
  return 'normal';
}

const LEVEL_ORDER: Record<SignalLevel, number> = { unknown: -1, normal: 0, warning: 1, danger: 2 };

/** act-now / watch / nothing for a level of an indicator. */
export function alertClassOf(def: IndicatorDef, level: SignalLevel): AlertClass | null {
  if (level === 'unknown' || level === 'normal') return null;
  if (def.actNowAt && LEVEL_ORDER[level] >= LEVEL_ORDER[def.actNowAt]) return 'act-now';
  if (def.watchAt && LEVEL_ORDER[level] >= LEVEL_ORDER[def.watchAt]) return 'watch';
  return null;
}

// ---- Sources and the indicator mapping (the user-editable file metrics.json in the profile) ----

const sourceNameSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'letters, digits, dot, dash, underscore (1–64), starting with a letter or digit');
const httpUrlSchema = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && !url.username && !url.password;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without credentials');

export const metricsSourceSchema = z.strictObject({
  name: sourceNameSchema,
  kind: z.enum(['prometheus', 'scrape']),
  url: httpUrlSchema,
  /** A targets-issue host name: the source is fetched through that SSH connection. */
  target: z.string().min(1).max(255).optional(),
});
export type MetricsSource = z.infer<typeof metricsSourceSchema>;

/**
 * How one indicator is computed. For a Prometheus source: `promql`. For a direct scrape: the
 * metric names (counters are rated from deltas, the histogram's buckets give the quantile).
 */
export const indicatorMappingSchema = z.strictObject({
  promql: z.string().min(1).max(4000).optional(),
  /** error_rate: errors counter / requests counter; throughput: requests counter. */
  errors: z.string().min(1).max(200).optional(),
  requests: z.string().min(1).max(200).optional(),
  /** response_time_p95 / query_time: histogram base name (…_bucket). */
  histogram: z.string().min(1).max(200).optional(),
  quantile: z.number().gt(0).lt(1).optional(),
  /** pool_use: in-use gauge and (optional) maximum gauge. */
  gauge: z.string().min(1).max(200).optional(),
  max: z.number().positive().optional(),
});
export type IndicatorMapping = z.infer<typeof indicatorMappingSchema>;

export const metricsConfigSchema = z.strictObject({
  sources: z.array(metricsSourceSchema).max(32).default([]),
  indicators: z.partialRecord(z.enum(INDICATOR_IDS), indicatorMappingSchema).default({}),
  /** A reading older than this is stale (unknown). */
  staleAfterMs: z.number().int().min(1000).max(3_600_000).default(30_000),
  /** Poll interval of the live monitor (app and serve). */
  intervalMs: z.number().int().min(1000).max(600_000).default(5_000),
});
export type MetricsConfig = z.infer<typeof metricsConfigSchema>;

/** Seed 000's own metric names (prometheus_client: Counter api_errors_total, Histogram api_response_time_seconds, Gauge database_connections). */
export const DEFAULT_MAPPINGS: Readonly<Record<IndicatorId, IndicatorMapping>> = {
  error_rate: {
    errors: 'api_errors_total',
    requests: 'api_response_time_seconds_count',
    promql: '100 * sum(rate(api_errors_total[1m])) / sum(rate(api_response_time_seconds_count[1m]))',
  },
  throughput: { requests: 'api_response_time_seconds_count', promql: 'sum(rate(api_response_time_seconds_count[1m]))' },
  response_time_p95: {
    histogram: 'api_response_time_seconds',
    quantile: 0.95,
    promql: '1000 * histogram_quantile(0.95, sum by (le) (rate(api_response_time_seconds_bucket[1m])))',
  },
  // Availability (システム稼働率) is uptime, not the complement of the error rate: Prometheus'
  // own `up` over five minutes; for a direct scrape, the share of this console's scrapes that
  // the endpoint answered (the last 60).
  availability: { promql: '100 * avg(avg_over_time(up[5m]))' },
  pool_use: { gauge: 'database_connections', max: 20, promql: '100 * sum(database_connections) / 20' },
  query_time: {
    histogram: 'database_query_time_seconds',
    quantile: 0.95,
    promql: '1000 * histogram_quantile(0.95, sum by (le) (rate(database_query_time_seconds_bucket[1m])))',
  },
};

export function mappingFor(config: Pick<MetricsConfig, 'indicators'>, id: IndicatorId): IndicatorMapping {
  return { ...DEFAULT_MAPPINGS[id], ...(config.indicators[id] ?? {}) };
}

// ---- Readings ----

export interface IndicatorReading {
  readonly id: IndicatorId;
  readonly value: number | null;
  readonly unit: IndicatorDef['unit'];
  readonly level: SignalLevel;
  readonly alert: AlertClass | null;
  /** Source name, or null when no source is configured. */
  readonly source: string | null;
  /** When the value was measured (epoch ms); null when never. */
  readonly at: number | null;
  /** Why the value is unknown ("no source", "unreachable: …", "stale", "series missing", "no traffic"). */
  readonly reason: string | null;
}

export interface SignalsView {
  readonly at: number;
  readonly readings: readonly IndicatorReading[];
  readonly sources: readonly SourceStatus[];
}

export interface SourceStatus {
  readonly name: string;
  readonly kind: MetricsSource['kind'];
  readonly url: string;
  readonly target: string | null;
  readonly state: 'ok' | 'unreachable' | 'stale' | 'never';
  readonly lastOkAt: number | null;
  readonly error: string | null;
}

/** A point of an indicator's history for the charts (same epoch-ms axis as the gauges). */
export interface SignalPoint {
  readonly at: number;
  readonly values: Readonly<Partial<Record<IndicatorId, number | null>>>;
}

export interface SignalHistory {
  readonly points: readonly SignalPoint[];
}

/** One series of a PromQL result (instant: one point; range: many). */
export interface QuerySeries {
  readonly labels: Readonly<Record<string, string>>;
  readonly points: readonly (readonly [number, number])[];
}

export interface QueryResult {
  readonly source: string;
  readonly query: string;
  readonly kind: 'instant' | 'range';
  /** Epoch ms. */
  readonly from: number;
  readonly to: number;
  readonly stepMs: number | null;
  readonly series: readonly QuerySeries[];
}
