import fs from 'node:fs';
import path from 'node:path';
import { classifySignal, INDICATOR_IDS, INDICATORS, type IndicatorId, type SignalLevel, type SignalsView } from '../../../shared/metrics';

// The indicators' history on disk, so a report can show them around the incident window
// whichever process polled them: one JSON line per poll in <profile>/signals/YYYY-MM-DD.jsonl
// (UTC days), files older than KEEP_DAYS removed.

export const SIGNALS_DIR = 'signals';
const KEEP_DAYS = 35;
const DAY_MS = 86_400_000;

interface Line {
  readonly at: number;
  readonly v: Partial<Record<IndicatorId, number | null>>;
}

const dayOf = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export class SignalRecorder {
  private readonly dir: string;
  private prunedDay: string | null = null;

  constructor(home: string) {
    this.dir = path.join(home, SIGNALS_DIR);
  }

  record(view: SignalsView): void {
    const values: Line['v'] = {};
    for (const r of view.readings) values[r.id] = r.value === null ? null : Math.round(r.value * 1000) / 1000;
    const day = dayOf(view.at);
    fs.mkdirSync(this.dir, { recursive: true });
    fs.appendFileSync(path.join(this.dir, `${day}.jsonl`), `${JSON.stringify({ at: view.at, v: values } satisfies Line)}\n`);
    if (this.prunedDay !== day) {
      this.prunedDay = day;
      const oldest = dayOf(view.at - KEEP_DAYS * DAY_MS);
      for (const name of fs.readdirSync(this.dir)) if (/^\d{4}-\d{2}-\d{2}\.jsonl$/.test(name) && name.slice(0, 10) < oldest) fs.rmSync(path.join(this.dir, name), { force: true });
    }
  }
}

export interface SignalSummary {
  readonly id: IndicatorId;
  readonly unit: string;
  /** Points with a value / all points in the window. */
  readonly known: number;
  readonly points: number;
  readonly min: number | null;
  readonly avg: number | null;
  readonly max: number | null;
  /** The worst band any point reached; unknown when no point had a value. */
  readonly worst: SignalLevel;
}

const RANK: Record<SignalLevel, number> = { unknown: -1, normal: 0, warning: 1, danger: 2 };

/** min / avg / max and the worst band of each indicator between `from` and `to` (epoch ms). */
export function summarizeSignals(home: string, from: number, to: number): SignalSummary[] | null {
  const dir = path.join(home, SIGNALS_DIR);
  const acc = new Map<IndicatorId, { values: number[]; points: number; worst: SignalLevel }>(INDICATOR_IDS.map((id) => [id, { values: [], points: 0, worst: 'unknown' }]));
  let any = false;
  for (let day = Date.parse(`${dayOf(from)}T00:00:00Z`); day <= to; day += DAY_MS) {
    let text: string;
    try {
      text = fs.readFileSync(path.join(dir, `${dayOf(day)}.jsonl`), 'utf8');
    } catch {
      continue;
    }
    for (const raw of text.split('\n')) {
      if (!raw) continue;
      let line: Line;
      try {
        line = JSON.parse(raw) as Line;
      } catch {
        continue; // a torn last line
      }
      if (!(line.at >= from && line.at <= to)) continue;
      any = true;
      for (const id of INDICATOR_IDS) {
        const a = acc.get(id)!;
        a.points++;
        const value = line.v[id];
        if (typeof value !== 'number') continue;
        a.values.push(value);
        const level = classifySignal(value, INDICATORS[id].bands);
        if (RANK[level] > RANK[a.worst]) a.worst = level;
      }
    }
  }
  if (!any) return null;
  return INDICATOR_IDS.map((id) => {
    const a = acc.get(id)!;
    const n = a.values.length;
    return {
      id,
      unit: INDICATORS[id].unit,
      known: n,
      points: a.points,
      min: n ? Math.min(...a.values) : null,
      avg: n ? a.values.reduce((s, v) => s + v, 0) / n : null,
      max: n ? Math.max(...a.values) : null,
      worst: a.worst,
    };
  });
}
