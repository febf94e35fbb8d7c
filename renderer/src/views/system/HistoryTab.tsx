import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import type { IncidentView } from '../../../../shared/domain';
import type { GaugeMetric, HistoryRow } from '../../../../shared/monitor';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { formatBytes, formatCount, formatShortPercent, LEVEL_COLOR, PALETTE } from './format';
import { TimeChart } from './TimeChart';
import './system.css';
import { dateTimeFormat } from '../../i18n/dates';

const PERCENT: readonly [number, number] = [0, 100];
/** History is written once a minute; reloading more often would show nothing new. */
const RELOAD_MS = 60_000;

function series(rows: readonly HistoryRow[], metric: GaugeMetric, subject = ''): { x: number[]; avg: (number | null)[]; max: (number | null)[] } {
  const picked = rows.filter((r) => r.metric === metric && r.subject === subject);
  return { x: picked.map((r) => r.bucketStart / 1000), avg: picked.map((r) => r.avg), max: picked.map((r) => r.max) };
}

const FORMAT: Record<GaugeMetric, (v: number) => string> = {
  cpu: formatShortPercent,
  memory: formatShortPercent,
  swap: formatShortPercent,
  disk: formatShortPercent,
  load1: formatCount,
  disk_read_ops: formatCount,
  disk_write_ops: formatCount,
  net_rx: (v) => `${formatBytes(v)}/s`,
  net_tx: (v) => `${formatBytes(v)}/s`,
};

/** The incident's resource history: one-minute min/avg/max kept while it was the alert target. */
export function HistoryTab({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const [rows, setRows] = useState<HistoryRow[]>();
  const [error, setError] = useState<string>();
  const rules = useAppStore((s) => s.rulesView?.rules);

  useEffect(() => {
    let live = true;
    const load = () =>
      api.gauges.history({ incidentId: incident.id }).then(
        (r) => live && (setRows(r), setError(undefined)),
        (e: unknown) => live && setError(errorMessage(e)),
      );
    void load();
    const timer = setInterval(() => void load(), RELOAD_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [incident.id]);

  const peaks = useMemo(() => {
    const out = new Map<string, { metric: GaugeMetric; subject: string; max: number; at: number }>();
    for (const r of rows ?? []) {
      const key = `${r.metric}\u0000${r.subject}`;
      const seen = out.get(key);
      if (!seen || r.max > seen.max) out.set(key, { metric: r.metric, subject: r.subject, max: r.max, at: r.bucketStart });
    }
    return [...out.values()];
  }, [rows]);

  if (error) return <p className="error-text pad">{error}</p>;
  if (!rows) return <p className="muted pad">{t('common.loading')}</p>;
  if (rows.length === 0) return <p className="muted pad" data-testid="history-empty">{t('monitor.history.empty')}</p>;

  const cpu = series(rows, 'cpu');
  const mem = series(rows, 'memory');
  const time = dateTimeFormat;
  const level = (metric: 'cpu' | 'memory') =>
    (rules?.rules ?? []).flatMap((r) => (r.enabled && r.kind === 'level' && r.metric === metric ? [r.warning && { value: r.warning.value, color: LEVEL_COLOR.warning }, r.danger && { value: r.danger.value, color: LEVEL_COLOR.danger }] : [])).filter((x): x is { value: number; color: string } => Boolean(x));

  return (
    <section className="history" data-testid="history">
      <p className="muted small">{t('monitor.history.intro')}</p>
      <div className="gauge-grid">
        <section className="gauge-card">
          <header>
            <h3>{t('monitor.gauges.cpu')}</h3>
          </header>
          <TimeChart data={[cpu.x, cpu.avg, cpu.max] as uPlot.AlignedData} series={[{ label: t('monitor.history.avg'), stroke: PALETTE[0]!, width: 2 }, { label: t('monitor.history.max'), stroke: PALETTE[2]!, width: 1 }]} format={formatShortPercent} range={PERCENT} thresholds={level('cpu')} />
        </section>
        <section className="gauge-card">
          <header>
            <h3>{t('monitor.gauges.memory')}</h3>
          </header>
          <TimeChart data={[mem.x, mem.avg, mem.max] as uPlot.AlignedData} series={[{ label: t('monitor.history.avg'), stroke: PALETTE[0]!, width: 2 }, { label: t('monitor.history.max'), stroke: PALETTE[2]!, width: 1 }]} format={formatShortPercent} range={PERCENT} thresholds={level('memory')} />
        </section>
      </div>
      <table className="proc-table history-peaks">
        <caption>{t('monitor.history.peaks')}</caption>
        <tbody>
          {peaks.map((p) => (
            <tr key={`${p.metric}-${p.subject}`}>
              <td>{t(`monitor.history.metrics.${p.metric}`)}</td>
              <td className="mono">{p.subject}</td>
              <td className="num">{FORMAT[p.metric](p.max)}</td>
              <td className="muted">{time.format(new Date(p.at))}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
