import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import { INDICATORS, type IndicatorId, type SignalHistory, type SignalPoint, type SignalsView } from '../../../../shared/metrics';
import { api, errorMessage, onEvent } from '../../api';
import { useAppStore } from '../../store/store';
import { QueryEvidence } from './QueryEvidence';
import { TimeChart, type ChartThreshold } from './TimeChart';
import '../risks/risks.css';

const KEEP = 720;
const WARN = '#d29922';
const DANGER = '#f85149';

function bandLines(id: IndicatorId): ChartThreshold[] {
  const { warning, danger } = INDICATORS[id].bands;
  return [
    { value: warning, color: WARN },
    { value: danger, color: DANGER },
  ];
}

function formatValue(value: number | null, unit: string): string {
  if (value === null) return '—';
  return `${value.toFixed(unit === '%' ? 2 : 1)} ${unit}`;
}

/**
 * Seed 000's service indicators beside the gauges: the value, level and reason of each, and
 * charts on the same time axis as the gauge charts (the gauges' window, epoch seconds).
 */
export function ServiceMetrics() {
  const { t } = useTranslation();
  const [view, setView] = useState<SignalsView | null>(null);
  const [points, setPoints] = useState<readonly SignalPoint[]>([]);
  const [error, setError] = useState<string | null>(null);
  const windowStart = useAppStore((s) => s.gaugeUpdates[0]?.sample.at);

  useEffect(() => {
    let alive = true;
    api.metrics.history().then(
      (h: SignalHistory) => alive && setPoints(h.points.slice(-KEEP)),
      () => undefined,
    );
    api.metrics.signals().then(
      (v) => alive && setView(v),
      (e: unknown) => alive && setError(errorMessage(e)),
    );
    const stop = onEvent('metrics.signals', (v) => {
      setView(v);
      setPoints((old) => {
        const values: SignalPoint['values'] = Object.fromEntries(v.readings.map((r) => [r.id, r.value]));
        return [...old, { at: v.at, values }].slice(-KEEP);
      });
    });
    return () => {
      alive = false;
      stop();
    };
  }, []);

  const shown = useMemo(() => (windowStart === undefined ? points : points.filter((p) => p.at >= windowStart)), [points, windowStart]);
  const column = (id: IndicatorId) => shown.map((p) => p.values[id] ?? null) as (number | null)[];
  const x = shown.map((p) => p.at / 1000);
  const chart = (testId: string, ids: readonly IndicatorId[], format: (v: number) => string) => (
    <TimeChart
      testId={testId}
      data={[x, ...ids.map(column)] as uPlot.AlignedData}
      series={ids.map((id, i) => ({ label: t(`signals.names.${id}`), stroke: ['#58a6ff', '#bc8cff', '#3fb950'][i]!, width: 2 }))}
      format={format}
      thresholds={ids.length === 1 ? bandLines(ids[0]!) : []}
    />
  );

  return (
    <section className="signals card" data-testid="service-metrics" aria-label={t('signals.title')}>
      <h3>{t('signals.title')}</h3>
      {error && <p className="error-text">{error}</p>}
      {view && view.sources.length === 0 && <p className="muted small">{t('signals.noSource')}</p>}
      {view && (
        <table>
          <tbody>
            {view.readings.map((r) => (
              <tr key={r.id} data-testid={`signal-${r.id}`} className={`signal-${r.level}`}>
                <th scope="row">{t(`signals.names.${r.id}`)}</th>
                <td>{formatValue(r.value, r.unit)}</td>
                <td>
                  {t(`signals.level.${r.level}`)}
                  {r.alert ? ` (${t(`signals.alert.${r.alert}`)})` : ''}
                </td>
                <td className="muted small">{r.reason ?? r.source ?? ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view?.sources.map((s) => (
        <p key={s.name} className="muted small">
          {t('signals.source', { name: s.name, state: s.error ? `${s.state}: ${s.error}` : s.state })}
        </p>
      ))}
      {/* A single point gives uPlot no time span to draw (its axis would spread over years). */}
      {shown.length >= 2 && (
        <>
          {chart('chart-response-time', ['response_time_p95'], (v) => `${Math.round(v)} ms`)}
          {chart('chart-error-rate', ['error_rate'], (v) => `${v.toFixed(1)} %`)}
          {chart('chart-throughput', ['throughput'], (v) => (v >= 1000 ? `${Math.round(v / 1000)}k/s` : `${Math.round(v)}/s`))}
        </>
      )}
      {view?.sources.some((s) => s.kind === 'prometheus') && <QueryEvidence />}
    </section>
  );
}
