import { z } from 'zod';
import { channel, event, noInput } from '../channel-def';
import { metricsSourceSchema, type AlertClass, type IndicatorId, type MetricsSource, type QueryResult, type SignalHistory, type SignalLevel, type SignalsView } from '../metrics';
import { incidentIdSchema } from '../schemas';

// Service metrics (issue 21): sources, seed 000's indicators, PromQL queries and saving a
// query's result as evidence.

const epochMs = z.number().int().nonnegative();
const querySchema = z.strictObject({
  query: z.string().min(1, { error: 'must not be empty' }).max(4000),
  source: z.string().min(1).max(64).optional(),
  /** Omitted: an instant query; given: a range query from..to. */
  from: epochMs.optional(),
  to: epochMs.optional(),
  stepMs: z.number().int().min(1000).max(86_400_000).optional(),
});

export const metricsChannels = {
  'metrics.sources': channel<MetricsSource[]>()(noInput),
  'metrics.addSource': channel<MetricsSource[]>()(metricsSourceSchema),
  'metrics.removeSource': channel<MetricsSource[]>()(z.strictObject({ name: z.string().min(1).max(64) })),
  /** The indicators now; `fresh` scrapes/queries again (twice, a second apart, for scrape sources). */
  'metrics.signals': channel<SignalsView>()(z.strictObject({ fresh: z.boolean().optional() }).optional()),
  /** Indicator history kept in memory for the charts (same epoch-ms axis as the gauges). */
  'metrics.history': channel<SignalHistory>()(z.strictObject({ sinceMs: epochMs.optional() }).optional()),
  /** A read-only PromQL query against a Prometheus source. */
  'metrics.query': channel<QueryResult>()(querySchema),
  /** Runs the query and keeps its result as evidence of the incident (query, source, time range). */
  'metrics.saveQuery': channel<{ readonly result: QueryResult; readonly sha256: string | null }>()(querySchema.extend({ incidentId: incidentIdSchema })),
} as const;

export const metricsEvents = {
  'metrics.signals': event<SignalsView>(),
  /** A crossing of seed 000's alert settings: act-now (on the incident's timeline, incidentId set) or watch (a notice). */
  'metrics.alert': event<{
    readonly indicator: IndicatorId;
    readonly alert: AlertClass;
    readonly level: SignalLevel;
    readonly value: number;
    readonly unit: string;
    readonly source: string | null;
    readonly at: number;
    readonly incidentId: number | null;
  }>(),
} as const;
