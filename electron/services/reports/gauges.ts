import { DateFormatter } from '../../../shared/datetime';
import type { Db } from '../db/open';
import { escapeHtml } from './markdown';

// Optional sources owned by other features, read only when their tables exist.
// Resource history around an incident, when the gauges feature has recorded any: its
// gauge_history table (electron/services/gauges/migration.ts) holds downsampled buckets.
// The table may not exist (older profile, feature absent), in which case reports omit it.

export interface GaugePoint {
  readonly t: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
}

export interface GaugeSeries {
  readonly metric: string;
  readonly subject: string;
  readonly points: readonly GaugePoint[];
}

interface Row {
  metric: string;
  subject: string;
  bucket_start: string;
  min: number;
  avg: number;
  max: number;
}

/** Charts stay legible: long histories are thinned to at most this many points per series. */
const MAX_POINTS = 400;

export function readGaugeHistory(db: Db, incidentId: number): GaugeSeries[] {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'gauge_history'").get();
  if (!exists) return [];
  const rows = db
    .prepare<[number], Row>('SELECT metric, subject, bucket_start, min, avg, max FROM gauge_history WHERE incident_id = ? ORDER BY metric, subject, bucket_start')
    .all(incidentId);
  const series = new Map<string, { metric: string; subject: string; points: GaugePoint[] }>();
  for (const r of rows) {
    const key = `${r.metric}\u0000${r.subject}`;
    const s = series.get(key) ?? { metric: r.metric, subject: r.subject, points: [] };
    s.points.push({ t: Date.parse(r.bucket_start), min: r.min, avg: r.avg, max: r.max });
    series.set(key, s);
  }
  return [...series.values()].map((s) => ({ ...s, points: thin(s.points) }));
}

function thin(points: GaugePoint[]): GaugePoint[] {
  if (points.length <= MAX_POINTS) return points;
  const size = Math.ceil(points.length / MAX_POINTS);
  const out: GaugePoint[] = [];
  for (let i = 0; i < points.length; i += size) {
    const chunk = points.slice(i, i + size);
    out.push({
      t: chunk[0]!.t,
      min: Math.min(...chunk.map((p) => p.min)),
      avg: chunk.reduce((a, p) => a + p.avg, 0) / chunk.length,
      max: Math.max(...chunk.map((p) => p.max)),
    });
  }
  return out;
}

const fmt = (n: number) => (Math.abs(n) >= 100 ? n.toFixed(0) : n.toFixed(1));

/**
 * A small line chart (avg line, min–max band) as inline SVG. Presentation attributes only,
 * no style attributes or scripts, so it is allowed under the console's CSP and prints as is.
 * Marks: detection and resolution of the incident as dashed verticals.
 */
export function gaugeChartSvg(series: GaugeSeries, marks: readonly { t: number; label: string }[] = [], dates: DateFormatter = new DateFormatter({ timeZone: 'UTC' })): string {
  // 24-hour axis times in the report's zone, the zone said once at the right end.
  const hhmm = (t: number) => dates.clockTime(t);
  const W = 640;
  const H = 180;
  const L = 40;
  const R = 10;
  const T = 18;
  const B = 24;
  const pts = series.points;
  if (pts.length === 0) return '';
  const t0 = pts[0]!.t;
  const t1 = Math.max(pts[pts.length - 1]!.t, t0 + 1);
  const hi = Math.max(...pts.map((p) => p.max));
  const lo = Math.min(0, ...pts.map((p) => p.min));
  const top = hi <= 100 && lo >= 0 ? 100 : hi + (hi - lo) * 0.1 || 1;
  const x = (t: number) => L + ((t - t0) / (t1 - t0)) * (W - L - R);
  const y = (v: number) => T + (1 - (v - lo) / (top - lo)) * (H - T - B);
  const line = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.avg).toFixed(1)}`).join('');
  const band = `${pts.map((p, i) => `${i ? 'L' : 'M'}${x(p.t).toFixed(1)},${y(p.max).toFixed(1)}`).join('')}${[...pts]
    .reverse()
    .map((p) => `L${x(p.t).toFixed(1)},${y(p.min).toFixed(1)}`)
    .join('')}Z`;
  const title = `${series.metric}${series.subject ? ` (${series.subject})` : ''}`;
  const grid = [lo, (lo + top) / 2, top]
    .map((v) => `<line x1="${L}" x2="${W - R}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd" stroke-width="1"/><text x="${L - 4}" y="${(y(v) + 3).toFixed(1)}" font-size="9" text-anchor="end" fill="#555">${fmt(v)}</text>`)
    .join('');
  const markSvg = marks
    .filter((m) => m.t >= t0 && m.t <= t1)
    .map((m) => `<line x1="${x(m.t).toFixed(1)}" x2="${x(m.t).toFixed(1)}" y1="${T}" y2="${H - B}" stroke="#b00" stroke-dasharray="3,3"/><text x="${(x(m.t) + 3).toFixed(1)}" y="${T + 9}" font-size="9" fill="#b00">${escapeHtml(m.label)}</text>`)
    .join('');
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(title)}">` +
    `<text x="${L}" y="12" font-size="11" font-weight="bold" fill="#222">${escapeHtml(title)}</text>${grid}` +
    `<path d="${band}" fill="#9ab8d8" fill-opacity="0.45" stroke="none"/><path d="${line}" fill="none" stroke="#1f4e79" stroke-width="1.5"/>${markSvg}` +
    `<text x="${L}" y="${H - 8}" font-size="9" fill="#555">${hhmm(t0)}</text><text x="${W - R}" y="${H - 8}" font-size="9" text-anchor="end" fill="#555">${hhmm(t1)} (${dates.zone(t1)})</text></svg>`
  );
}

/** The incident's saved runbook variables when the runbook feature's table exists; secrets never. */
export function readRunbookVariables(db: Db, incidentId: number): Record<string, string> {
  const exists = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'runbook_variables'").get();
  if (!exists) return {};
  try {
    const rows = db.prepare<[number], { name: string; value: string }>('SELECT name, value FROM runbook_variables WHERE incident_id = ? AND secret = 0').all(incidentId);
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  } catch {
    // Another feature's table whose shape changed: the report still renders, with a prompt.
    return {};
  }
}
