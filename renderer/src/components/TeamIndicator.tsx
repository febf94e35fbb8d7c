import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamSyncView } from '../../../shared/channels/team';
import { api } from '../api';
import { formatDateTime } from '../i18n/dates';

/**
 * Team sync state in the header (docs/team.md): nothing when this laptop is not in a team;
 * otherwise connected / behind by N / offline since. Polled: sync state is not an event yet.
 */
export function TeamIndicator() {
  const { t } = useTranslation();
  const [status, setStatus] = useState<TeamSyncView | undefined>();
  useEffect(() => {
    let live = true;
    const load = () =>
      api.team
        .status()
        .then((s) => live && setStatus(s))
        .catch(() => undefined);
    void load();
    const timer = window.setInterval(load, 5000);
    return () => {
      live = false;
      window.clearInterval(timer);
    };
  }, []);
  if (!status?.joined) return null;
  const pending = status.behind + status.unpushed;
  const team = status.team;
  const text = !status.connected
    ? status.offlineSince
      ? t('team.indicator.offlineSince', { team, time: formatDateTime(status.offlineSince) })
      : t('team.indicator.offline', { team })
    : pending > 0
      ? t('team.indicator.behind', { team, count: pending })
      : t('team.indicator.inSync', { team });
  const title = [
    `${status.shared} shared incidents`,
    `${status.unpushed} entries to push, ${status.behind} to read`,
    status.quarantined ? `${status.quarantined} remote entries quarantined` : '',
    status.lastError ? `last error: ${status.lastError}` : '',
    `this device: ${status.fingerprint ?? status.deviceId}`,
  ]
    .filter(Boolean)
    .join('\n');
  return (
    <span className={`badge team-sync ${status.connected ? 'team-online' : 'team-offline'}`} title={title} data-testid="team-sync">
      {text}
      {status.quarantined > 0 ? t('team.indicator.quarantined', { count: status.quarantined }) : ''}
    </span>
  );
}
