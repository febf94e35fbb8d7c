import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { heatMap, riskLevel, ruleText, type RisksView, type RiskView, type RiskWarning } from '../../../../shared/risks';
import { api, errorMessage, onEvent } from '../../api';
import { useAppStore } from '../../store/store';
import { useLocalized } from './localized';
import './risks.css';
import { formatDateTime } from '../../i18n/dates';

/** The register as the UI shows it, reloaded on every warning and change. */
export function useRisks(): { view: RisksView | null; error: string | null; reload(): void } {
  const [view, setView] = useState<RisksView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const reload = useCallback(() => {
    api.risks.list().then(
      (v) => {
        setView(v);
        setError(null);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);
  useEffect(() => {
    reload();
    const stops = [onEvent('risks.warning', reload), onEvent('risks.changed', reload)];
    return () => stops.forEach((stop) => stop());
  }, [reload]);
  return { view, error, reload };
}

/** 5×5: probability 5 at the top, impact 1 on the left; each cell coloured by its score's level. */
export function HeatMap({ risks, onPick }: { readonly risks: readonly RiskView[]; readonly onPick?: (id: string) => void }) {
  const { t } = useTranslation();
  const cells = heatMap(risks);
  const rows = [5, 4, 3, 2, 1];
  return (
    <table className="heatmap" data-testid="heatmap" aria-label={t('risks.heatMap')}>
      <tbody>
        {rows.map((p) => (
          <tr key={p}>
            <th scope="row">{p}</th>
            {[1, 2, 3, 4, 5].map((i) => (
              <td key={i} className={`heat heat-${riskLevel(p * i)}`} data-testid={`heat-p${p}-i${i}`} title={`${t('risks.probability')} ${p} × ${t('risks.impact')} ${i} = ${p * i}`}>
                {cells[p - 1]![i - 1]!.map((id) => (
                  <button key={id} type="button" className="heat-chip" onClick={() => onPick?.(id)}>
                    {id}
                  </button>
                ))}
              </td>
            ))}
          </tr>
        ))}
        <tr>
          <th />
          {[1, 2, 3, 4, 5].map((i) => (
            <th key={i} scope="col">
              {i}
            </th>
          ))}
        </tr>
      </tbody>
      <caption className="muted small">
        ↑ {t('risks.probability')} · {t('risks.impact')} →
      </caption>
    </table>
  );
}

function WarningCard({ warning }: { readonly warning: RiskWarning }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const select = useAppStore((s) => s.select);
  const start = async (runbookId: string) => {
    if (warning.incidentId === null) return;
    try {
      await api.runs.start({ incidentId: warning.incidentId, runbookId });
      notify('info', t('risks.started', { id: runbookId, incident: warning.incidentId }));
      select(warning.incidentId);
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  return (
    <li className={`risk-warning level-${warning.level}`} data-testid={`risk-warning-${warning.risk}`}>
      <strong>{t('risks.warningTitle', { id: warning.risk, title: warning.title, score: warning.score, level: t(`risks.level.${warning.level}`) })}</strong>
      <span className="muted small"> {formatDateTime(warning.at)}</span>
      <div>{warning.condition}</div>
      {warning.mitigation && <div className="small">{t('risks.mitigation', { text: warning.mitigation })}</div>}
      <div className="risk-actions">
        {warning.incidentId === null && <span className="muted small">{t('risks.noIncident')}</span>}
        {warning.runbooks.map((id) => (
          <button key={id} type="button" className="primary" disabled={warning.incidentId === null} onClick={() => void start(id)} data-testid={`start-runbook-${id}`}>
            {t('risks.startRunbook', { id })}
          </button>
        ))}
      </div>
    </li>
  );
}

function RiskDetail({ risk }: { readonly risk: RiskView }) {
  const { t } = useTranslation();
  const loc = useLocalized();
  return (
    <section className="risk-detail" data-testid={`risk-detail-${risk.id}`}>
      <h3>
        {risk.id} {loc(risk.title)}{' '}
        <span className={`badge level-${risk.level}`}>
          {risk.impact}×{risk.probability}={risk.score} {t(`risks.level.${risk.level}`)}
        </span>
      </h3>
      {risk.description && <p>{loc(risk.description)}</p>}
      <dl>
        <dt>{t('risks.indicators')}</dt>
        <dd>{risk.indicators.map(loc).join('、 ') || '—'}</dd>
        <dt>{t('risks.earlyWarning')}</dt>
        <dd>
          {loc(risk.warning.text)} <span className="muted small">({risk.warning.rules.length ? risk.warning.rules.map(ruleText).join(' | ') : t('risks.noRule')})</span>
        </dd>
        <dt>{t('risks.mitigations')}</dt>
        <dd>
          <ul>
            {risk.mitigations.map((m, i) => (
              <li key={i}>{loc(m)}</li>
            ))}
          </ul>
        </dd>
        <dt>{t('risks.runbooks')}</dt>
        <dd>{risk.runbooks.join(', ') || '—'}</dd>
        <dt>{t('risks.incidents')}</dt>
        <dd>{risk.incidents.map((id) => `#${id}`).join(', ') || '—'}</dd>
      </dl>
    </section>
  );
}

/** The risk register: early warnings with their runbooks, the 5×5 heat map and each risk. */
export function RisksScreen() {
  const { t } = useTranslation();
  const loc = useLocalized();
  const { view, error } = useRisks();
  const [picked, setPicked] = useState<string | null>(null);
  const risk = view?.risks.find((r) => r.id === picked) ?? null;
  return (
    <main className="risks" aria-label={t('risks.screen')}>
      {error && <p className="error-text">{error}</p>}
      <section>
        <h2>{t('risks.warnings')}</h2>
        {view && view.warnings.length === 0 && <p className="muted">{t('risks.noWarnings')}</p>}
        <ul className="risk-warnings">
          {view?.warnings.map((w) => (
            <WarningCard key={`${w.risk}-${w.at}`} warning={w} />
          ))}
        </ul>
      </section>
      <div className="risks-grid">
        <section>
          <h2>{t('risks.heatMap')}</h2>
          {view && <HeatMap risks={view.risks} onPick={setPicked} />}
        </section>
        <section>
          <h2>{t('risks.register')}</h2>
          <table className="risk-table" data-testid="risk-table">
            <thead>
              <tr>
                <th>ID</th>
                <th>{t('risks.register')}</th>
                <th>{t('risks.score')}</th>
                <th>{t('risks.incidents')}</th>
              </tr>
            </thead>
            <tbody>
              {view?.risks.map((r) => (
                <tr key={r.id} className={r.id === picked ? 'on' : ''} onClick={() => setPicked(r.id)} data-testid={`risk-row-${r.id}`}>
                  <td>{r.id}</td>
                  <td>
                    {loc(r.title)} {r.warningActive && <span className="badge level-high">{t('risks.firing')}</span>}
                  </td>
                  <td>
                    <span className={`badge level-${r.level}`}>
                      {r.impact}×{r.probability}={r.score}
                    </span>
                  </td>
                  <td>{r.incidents.map((id) => `#${id}`).join(', ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {view && <p className="muted small">{t('risks.file', { path: view.path })}</p>}
        </section>
      </div>
      {risk && <RiskDetail risk={risk} />}
    </main>
  );
}
