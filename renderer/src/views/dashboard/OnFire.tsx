import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { statusIndex } from '../../../../shared/lifecycle';
import { computeSlaClocks, type SlaClock } from '../../../../shared/sla';
import { sortByUrgency } from '../../../../shared/urgency';
import { formatIncidentRefShort } from '../system/refs';
import { alertLevel, describeAlert } from '../system/alert-text';
import { BreakerState } from '../system/Probes';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage } from '../../api';
import { useNow } from '../../hooks';
import { useAppStore } from '../../store/store';

/** How many open incidents the panel lists before "and N more". */
const SHOWN = 6;

interface Deadline {
  readonly incident: IncidentView;
  readonly clock: SlaClock;
}

/** The running SLA clock closest to (or furthest past) its target, across open incidents. */
function nearestDeadline(incidents: readonly IncidentView[], now: number): Deadline | null {
  let best: Deadline | null = null;
  for (const incident of incidents) {
    for (const clock of computeSlaClocks(incident, now)) {
      if (clock.stopped || clock.paused) continue;
      if (!best || clock.remainingMs < best.clock.remainingMs) best = { incident, clock };
    }
  }
  return best;
}

const slaText = (clock: SlaClock | undefined, t: (k: string, o?: Record<string, unknown>) => string): string =>
  !clock
    ? t('onFire.slaStopped')
    : clock.remainingMs < 0
      ? t('onFire.slaOver', { time: formatDuration(-clock.remainingMs) })
      : t('onFire.slaLeft', { time: formatDuration(clock.remainingMs) });

/**
 * What is on fire now, first on the Dashboard: open incidents by urgency (severity, then SLA),
 * the nearest SLA breach with its countdown, active alerts and unreachable probes and targets;
 * each links to where to act.
 */
export function OnFire() {
  const { t } = useTranslation();
  const now = useNow(1000);
  const version = useAppStore((s) => s.incidentsVersion);
  const select = useAppStore((s) => s.select);
  const setScreen = useAppStore((s) => s.setScreen);
  const alerts = useAppStore((s) => s.alerts);
  const probes = useAppStore((s) => s.probes);
  const targets = useAppStore((s) => s.targets);
  const loadTargets = useAppStore((s) => s.loadTargets);
  const [open, setOpen] = useState<readonly IncidentView[]>([]);
  const [error, setError] = useState<string>();

  useEffect(() => void loadTargets(), [loadTargets]);
  useEffect(() => {
    let stale = false;
    api.incidents.list({ openOnly: true }).then(
      (list) => !stale && (setOpen(list.filter((i) => statusIndex(i.status) < statusIndex('resolved'))), setError(undefined)),
      (e: unknown) => !stale && setError(errorMessage(e)),
    );
    return () => {
      stale = true;
    };
  }, [version]);

  // The order is by the minute: re-sorting every second would make rows jump under the cursor.
  const minute = Math.floor(now / 60_000);
  const ranked = useMemo(() => sortByUrgency(open, minute * 60_000), [open, minute]);
  const deadline = nearestDeadline(open, now);
  const active = alerts?.active ?? [];
  const downProbes = (probes?.results ?? []).filter((r) => r.state === 'down');
  const downTargets = targets.filter((x) => x.status.state === 'unreachable' || x.status.state === 'host-key-changed' || x.status.state === 'auth-required');
  const calm = open.length === 0 && active.length === 0 && downProbes.length === 0 && downTargets.length === 0;

  return (
    <section className="on-fire" aria-label={t('onFire.title')} data-testid="on-fire">
      <h2>{t('onFire.title')}</h2>
      {error && <p className="error-text">{error}</p>}
      {calm ? (
        <p className="muted" data-testid="on-fire-calm">
          {t('onFire.calm')}
        </p>
      ) : (
        <div className="on-fire-grid">
          <div className="fire-card fire-incidents" data-testid="fire-incidents">
            <h3>{t('onFire.openIncidents', { count: open.length })}</h3>
            {ranked.length === 0 ? (
              <p className="muted small">{t('onFire.noOpen')}</p>
            ) : (
              <ol>
                {ranked.slice(0, SHOWN).map((incident) => {
                  const clock = computeSlaClocks(incident, now)
                    .filter((c) => !c.stopped)
                    .sort((a, b) => a.remainingMs - b.remainingMs)[0];
                  return (
                    <li key={incident.id} className={`sev-${incident.severity}`}>
                      <span className={`badge severity-${incident.severity}`}>{t(`severity.${incident.severity}.label`)}</span>
                      <button type="button" className="incident-link" onClick={() => select(incident.id)} data-testid={`fire-incident-${incident.id}`}>
                        {formatIncidentRefShort(incident.id)} {incident.title}
                      </button>
                      <span className="muted small">{t(`status.${incident.status}`)}</span>
                      <span className={`fire-sla ${clock?.level ?? ''}`}>{slaText(clock, t)}</span>
                    </li>
                  );
                })}
              </ol>
            )}
            {ranked.length > SHOWN && (
              <button type="button" className="incident-link" onClick={() => setScreen('incidents')}>
                {t('onFire.more', { count: ranked.length - SHOWN })}
              </button>
            )}
          </div>
          <div className={`fire-card fire-deadline${deadline && deadline.clock.remainingMs < 0 ? ' breached' : ''}`} data-testid="fire-deadline">
            <h3>{t('onFire.nearestBreach')}</h3>
            {deadline ? (
              <>
                <div className="countdown" data-testid="fire-countdown">
                  {deadline.clock.remainingMs < 0 ? `−${formatDuration(-deadline.clock.remainingMs)}` : formatDuration(deadline.clock.remainingMs)}
                </div>
                <p className="small">
                  {t(deadline.clock.remainingMs < 0 ? 'onFire.breachedSince' : 'onFire.breachIn', { clock: t(`sla.${deadline.clock.kind}`) })}{' '}
                  <button type="button" className="incident-link" onClick={() => select(deadline.incident.id)}>
                    {formatIncidentRefShort(deadline.incident.id)} {deadline.incident.title}
                  </button>
                </p>
              </>
            ) : (
              <p className="muted small">{t('onFire.noDeadline')}</p>
            )}
          </div>
          <div className="fire-card" data-testid="fire-alerts">
            <h3>{t('onFire.activeAlerts', { count: active.length })}</h3>
            {active.length === 0 ? (
              <p className="muted small">{t('monitor.alerts.noActive')}</p>
            ) : (
              <ul>
                {active.slice(0, SHOWN).map(({ key, alert }) => (
                  <li key={key} className={`alert-item level-${alertLevel(alert)}`}>
                    <span className="alert-dot" />
                    <span>{describeAlert(alert as unknown as Record<string, unknown>, t)}</span>
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="incident-link" onClick={() => setScreen('system')} data-testid="fire-alerts-go">
              {t('onFire.toSystem')}
            </button>
          </div>
          <div className="fire-card" data-testid="fire-unreachable">
            <h3>{t('onFire.unreachable', { count: downProbes.length + downTargets.length })}</h3>
            {downProbes.length + downTargets.length === 0 ? (
              <p className="muted small">{t('onFire.allReachable')}</p>
            ) : (
              <ul>
                {downProbes.map((r) => (
                  <li key={`probe-${r.name}`}>
                    <button type="button" className="incident-link" onClick={() => setScreen('system')}>
                      {t('onFire.probe', { name: r.name, target: r.target })}
                    </button>{' '}
                    {r.breaker === 'closed' ? <span className="muted small">{r.error ?? r.reasons.join('; ')}</span> : <BreakerState result={r} />}
                  </li>
                ))}
                {downTargets.map((x) => (
                  <li key={`target-${x.name}`}>
                    <button type="button" className="incident-link" onClick={() => setScreen('targets')}>
                      {t('onFire.target', { name: x.name })}
                    </button>{' '}
                    <span className="muted small">{x.status.message ?? t(`targets.state.${x.status.state}`, { since: x.status.since })}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
      )}
    </section>
  );
}
