import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { HistoryRow } from './downsample';
import type { GaugeMetric } from './types';

interface HistoryDbRow {
  metric: string;
  subject: string;
  bucket_start: string;
  bucket_ms: number;
  samples: number;
  min: number;
  avg: number;
  max: number;
}

export interface HistoryQuery {
  readonly metric?: GaugeMetric;
  readonly subject?: string;
  /** Epoch ms, inclusive. */
  readonly from?: number;
  readonly to?: number;
}

/** Downsampled gauge history per incident (rows from the Downsampler). */
export class GaugeHistoryRepository {
  private readonly insert;

  constructor(private readonly db: Db) {
    // A bucket written twice (flush on incident switch, then again) merges instead of failing.
    this.insert = db.prepare(
      `INSERT INTO gauge_history (incident_id, metric, subject, bucket_start, bucket_ms, samples, min, avg, max)
       VALUES (@incidentId, @metric, @subject, @bucketStart, @bucketMs, @samples, @min, @avg, @max)
       ON CONFLICT (incident_id, metric, subject, bucket_start) DO UPDATE SET
         avg = (avg * samples + excluded.avg * excluded.samples) / (samples + excluded.samples),
         samples = samples + excluded.samples,
         min = MIN(min, excluded.min),
         max = MAX(max, excluded.max)`,
    );
  }

  write(incidentId: number, rows: readonly HistoryRow[]): number {
    if (rows.length === 0) return 0;
    this.db.transaction(() => {
      for (const row of rows) this.insert.run({ incidentId, ...row, bucketStart: new Date(row.bucketStart).toISOString() });
    })();
    return rows.length;
  }

  list(incidentId: number, query: HistoryQuery = {}): HistoryRow[] {
    const where = ['incident_id = @incidentId'];
    if (query.metric) where.push('metric = @metric');
    if (query.subject !== undefined) where.push('subject = @subject');
    if (query.from !== undefined) where.push('bucket_start >= @from');
    if (query.to !== undefined) where.push('bucket_start <= @to');
    const rows = this.db
      .prepare<Record<string, unknown>, HistoryDbRow>(`SELECT * FROM gauge_history WHERE ${where.join(' AND ')} ORDER BY bucket_start, metric, subject`)
      .all({
        incidentId,
        metric: query.metric,
        subject: query.subject,
        from: query.from === undefined ? undefined : new Date(query.from).toISOString(),
        to: query.to === undefined ? undefined : new Date(query.to).toISOString(),
      });
    return rows.map((r) => ({
      metric: r.metric as GaugeMetric,
      subject: r.subject,
      bucketStart: Date.parse(r.bucket_start),
      bucketMs: r.bucket_ms,
      samples: r.samples,
      min: r.min,
      avg: r.avg,
      max: r.max,
    }));
  }
}

/** JSON documents in monitor_settings; the caller validates with its zod schema. */
export class MonitorSettingsRepository {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  get<T>(key: string, parse: (value: unknown) => T): T | undefined {
    const row = this.db.prepare<[string], { value: string }>('SELECT value FROM monitor_settings WHERE key = ?').get(key);
    return row ? parse(JSON.parse(row.value)) : undefined;
  }

  set<T>(key: string, value: T, parse: (value: unknown) => T): T {
    const valid = parse(value);
    this.db
      .prepare(
        `INSERT INTO monitor_settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(valid), new Date(this.clock.now()).toISOString());
    return valid;
  }
}

export const RULES_SETTINGS_KEY = 'gauges.rules';
export const PROBES_SETTINGS_KEY = 'probes.config';
