import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { QueryResult } from '../../../../shared/metrics';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';

const SHOWN = 10;

/**
 * A `promql` block of a runbook: shown as written, and run on request against the configured
 * Prometheus (an instant query, read-only: the HTTP API's GET /api/v1/query); the answer is
 * kept as evidence of the incident on screen, with the query, source and time.
 */
export function PromqlBlock({ query, children }: { readonly query: string; readonly children: React.ReactNode }) {
  const { t } = useTranslation();
  const incidentId = useAppStore((s) => s.selectedId);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ result: QueryResult; sha256: string | null } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async () => {
    if (incidentId === undefined) return;
    setBusy(true);
    setError(null);
    try {
      setOutcome(await api.metrics.saveQuery({ incidentId, query: query.trim() }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="promql-block" data-testid="promql-block">
      {children}
      <button type="button" onClick={() => void run()} disabled={busy || incidentId === undefined} data-testid="promql-run">
        {t('signals.promqlRun')}
      </button>
      {error && <p className="error-text">{error}</p>}
      {outcome && (
        <div className="promql-result" data-testid="promql-result">
          <p className="muted small">{t('signals.promqlKept', { source: outcome.result.source, count: outcome.result.series.length, sha: outcome.sha256?.slice(0, 12) ?? '—' })}</p>
          <table>
            <tbody>
              {outcome.result.series.slice(0, SHOWN).map((s, i) => (
                <tr key={i}>
                  <td>{Object.entries(s.labels).map(([k, v]) => `${k}="${v}"`).join(', ') || '{}'}</td>
                  <td>{s.points[s.points.length - 1]?.[1] ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
