import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { MetricsSummary } from '../../../../shared/reports';
import { SEVERITIES } from '../../../../shared/severity';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { OnFire } from './OnFire';
import '../reports/reports.css';
import './on-fire.css';

const PERIODS = { '7d': 7, '30d': 30, '90d': 90, all: null } as const;
type Period = keyof typeof PERIODS;

const pct = (rate: number | null) => (rate === null ? null : `${Math.round(rate * 1000) / 10}%`);

function Card({ label, value, hint, testId }: { label: string; value: string; hint?: string; testId: string }) {
  return (
    <div className="metric-card" data-testid={testId}>
      <div className="label">{label}</div>
      <div className="value">{value}</div>
      {hint && <div className="hint">{hint}</div>}
    </div>
  );
}

/** MTTA, MTTR, SLA compliance, incidents by severity and rollback outcomes over a period. */
export function DashboardScreen() {
  const { t } = useTranslation();
  const [period, setPeriod] = useState<Period>('30d');
  const [summary, setSummary] = useState<MetricsSummary | undefined>();
  const [error, setError] = useState<string | undefined>();
  // Any change to an incident (status, SLA) can move the numbers.
  const incidentsVersion = useAppStore((s) => s.incidentsVersion);
  const select = useAppStore((s) => s.select);

  useEffect(() => {
    const days = PERIODS[period];
    const input = days === null ? {} : { since: new Date(Date.now() - days * 86_400_000).toISOString() };
    let stale = false;
    api.metrics.summary(input).then(
      (s) => !stale && (setSummary(s), setError(undefined)),
      (e: unknown) => !stale && setError(errorMessage(e)),
    );
    return () => {
      stale = true;
    };
  }, [period, incidentsVersion]);

  const none = t('dashboard.none');
  const dur = (ms: number | null | undefined) => (ms === null || ms === undefined ? none : formatDuration(ms));
  const max = summary ? Math.max(1, ...SEVERITIES.map((s) => summary.bySeverity[s])) : 1;

  return (
    <main className="dashboard" aria-label={t('dashboard.screen')}>
      <OnFire />
      <header className="dashboard-head">
        <h1>{t('dashboard.title')}</h1>
        <select value={period} onChange={(e) => setPeriod(e.target.value as Period)} aria-label={t('dashboard.period')} data-testid="dashboard-period">
          {(Object.keys(PERIODS) as Period[]).map((p) => (
            <option key={p} value={p}>
              {t(`dashboard.periods.${p}`)}
            </option>
          ))}
        </select>
      </header>
      {error && <p className="error-text">{t('dashboard.failed', { error })}</p>}
      {summary && (
        <>
          <div className="metric-cards">
            <Card testId="metric-incidents" label={t('dashboard.incidents')} value={String(summary.incidents)} />
            <Card testId="metric-mtta" label={t('dashboard.mtta')} value={dur(summary.mttaMs)} hint={t('dashboard.mttaHint')} />
            <Card testId="metric-mttm" label={t('dashboard.mttm')} value={dur(summary.mttmMs)} hint={t('dashboard.mttmHint')} />
            <Card testId="metric-mttr" label={t('dashboard.mttr')} value={dur(summary.mttrMs)} hint={t('dashboard.mttrHint')} />
            <Card
              testId="metric-compliance"
              label={t('dashboard.compliance')}
              value={pct(summary.sla.complianceRate) ?? none}
              hint={t('dashboard.complianceHint', { met: summary.sla.met, breached: summary.sla.breached, running: summary.sla.running })}
            />
            <Card
              testId="metric-rollbacks"
              label={t('dashboard.rollbacks')}
              value={`${summary.rollbacks.runs}${summary.rollbacks.successRate === null ? '' : ` · ${t('dashboard.successRate', { rate: pct(summary.rollbacks.successRate) })}`}`}
              hint={t('dashboard.rollbackHint', { succeeded: summary.rollbacks.succeeded, failed: summary.rollbacks.failed, unfinished: summary.rollbacks.unfinished })}
            />
            <Card
              testId="metric-first-escalation"
              label={t('escalation.metricFirst')}
              value={dur(summary.communications.meanTimeToFirstEscalationMs)}
              hint={t('escalation.metricFirstHint', { count: summary.communications.escalated })}
            />
            <Card
              testId="metric-updates-on-time"
              label={t('escalation.metricOnTime')}
              value={pct(summary.communications.onTimeRate) ?? none}
              hint={t('escalation.metricOnTimeHint', { onTime: summary.communications.updatesOnTime, sent: summary.communications.updatesSent })}
            />
          </div>
          <section>
            <h2 className="small muted">{t('dashboard.bySeverity')}</h2>
            <div className="severity-bars" data-testid="dashboard-severity">
              {SEVERITIES.map((s) => (
                <div key={s} className="severity-bar">
                  <span>{t(`severity.${s}.label`)}</span>
                  <span className="track">
                    <span className={`fill ${s}`} style={{ width: `${(summary.bySeverity[s] / max) * 100}%`, display: 'block' }} />
                  </span>
                  <span>{summary.bySeverity[s]}</span>
                </div>
              ))}
            </div>
          </section>
          <section>
            <h2 className="small muted">{t('dashboard.perIncident')}</h2>
            {summary.perIncident.length === 0 ? (
              <p className="muted">{t('dashboard.empty')}</p>
            ) : (
              <table data-testid="dashboard-incidents">
                <thead>
                  <tr>
                    {(['incident', 'severity', 'ack', 'mitigate', 'resolve', 'sla'] as const).map((c) => (
                      <th key={c}>{t(`dashboard.columns.${c}`)}</th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {summary.perIncident.map((p) => (
                    <tr key={p.incidentId}>
                      <td>
                        <button type="button" className="incident-link" onClick={() => select(p.incidentId)}>
                          {p.ref}
                        </button>{' '}
                        {p.title}
                      </td>
                      <td>{t(`severity.${p.severity}.label`)}</td>
                      <td>{dur(p.timeToAcknowledgeMs)}</td>
                      <td>{dur(p.timeToMitigateMs)}</td>
                      <td>{dur(p.timeToResolveMs)}</td>
                      <td className={p.sla}>
                        {p.sla === 'breached'
                          ? t('dashboard.sla.breached', { time: formatDuration(Math.max(p.response.overByMs, p.recovery.overByMs)) })
                          : t(`dashboard.sla.${p.sla}`)}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      )}
    </main>
  );
}
