import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryResult } from '../../../../shared/metrics';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';

const RANGES = [15, 60, 360] as const;

/**
 * A PromQL range query over the last minutes, kept as evidence of the incident that receives
 * alerts (the query, the source and the time range go with the result).
 */
export function QueryEvidence() {
  const { t } = useTranslation();
  const incidentId = useAppStore((s) => s.alerts?.target.effective ?? null);
  const notify = useAppStore((s) => s.notify);
  const [query, setQuery] = useState('sum(rate(api_errors_total[1m]))');
  const [minutes, setMinutes] = useState<number>(15);
  const [saved, setSaved] = useState<{ result: QueryResult; sha256: string | null } | null>(null);
  const [busy, setBusy] = useState(false);
  const save = async () => {
    if (incidentId === null) return;
    setBusy(true);
    try {
      // The range ends at the server's "now": ask Prometheus for its clock first.
      const clock = await api.metrics.query({ query: 'time()' });
      const to = Math.floor((clock.series[0]?.points[0]?.[1] ?? Date.now() / 1000) * 1000);
      const outcome = await api.metrics.saveQuery({ incidentId, query, from: to - minutes * 60_000, to });
      setSaved(outcome);
      notify('info', t('signals.querySaved', { incident: incidentId, count: outcome.result.series.length }));
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="query-evidence" data-testid="query-evidence">
      <label>
        PromQL <input className="query-input" value={query} onChange={(e) => setQuery(e.target.value)} data-testid="query-input" />
      </label>{' '}
      <select value={minutes} onChange={(e) => setMinutes(Number(e.target.value))} aria-label={t('signals.queryRange')}>
        {RANGES.map((m) => (
          <option key={m} value={m}>
            {t('signals.lastMinutes', { count: m })}
          </option>
        ))}
      </select>{' '}
      <button type="button" disabled={busy || incidentId === null || !query.trim()} onClick={() => void save()} data-testid="query-save">
        {t('signals.saveQuery')}
      </button>
      {incidentId === null && <span className="muted small"> {t('signals.noIncident')}</span>}
      {saved && (
        <p className="muted small" data-testid="query-saved">
          {t('signals.querySavedDetail', {
            source: saved.result.source,
            from: new Date(saved.result.from).toISOString(),
            to: new Date(saved.result.to).toISOString(),
            sha: saved.sha256?.slice(0, 12) ?? '—',
          })}
        </p>
      )}
    </div>
  );
}
