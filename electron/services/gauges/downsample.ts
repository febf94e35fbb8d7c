import type { HistoryRow } from '../../../shared/gauges';
import { measurements, type GaugeMetric, type GaugeSample } from './types';

export type { HistoryRow } from '../../../shared/gauges';

interface Accumulator {
  metric: GaugeMetric;
  subject: string;
  count: number;
  min: number;
  max: number;
  sum: number;
}

const round3 = (n: number) => Math.round(n * 1000) / 1000;

/**
 * Folds 1 Hz samples into fixed buckets. `add` returns the rows of the bucket that a sample
 * closed (empty most of the time); `flush` returns the open bucket's rows.
 */
export class Downsampler {
  private bucketStart: number | null = null;
  private readonly acc = new Map<string, Accumulator>();

  constructor(readonly bucketMs = 60_000) {}

  add(sample: GaugeSample): HistoryRow[] {
    const bucket = Math.floor(sample.at / this.bucketMs) * this.bucketMs;
    let closed: HistoryRow[] = [];
    if (this.bucketStart !== null && bucket !== this.bucketStart) closed = this.flush();
    this.bucketStart = bucket;
    for (const m of measurements(sample)) {
      if (!Number.isFinite(m.value)) continue;
      const key = `${m.metric}\u0000${m.subject}`;
      const a = this.acc.get(key);
      if (!a) this.acc.set(key, { metric: m.metric, subject: m.subject, count: 1, min: m.value, max: m.value, sum: m.value });
      else {
        a.count++;
        a.sum += m.value;
        if (m.value < a.min) a.min = m.value;
        if (m.value > a.max) a.max = m.value;
      }
    }
    return closed;
  }

  flush(): HistoryRow[] {
    if (this.bucketStart === null) return [];
    const start = this.bucketStart;
    const rows = [...this.acc.values()].map((a) => ({
      metric: a.metric,
      subject: a.subject,
      bucketStart: start,
      bucketMs: this.bucketMs,
      samples: a.count,
      min: round3(a.min),
      avg: round3(a.sum / a.count),
      max: round3(a.max),
    }));
    this.acc.clear();
    this.bucketStart = null;
    return rows;
  }
}
