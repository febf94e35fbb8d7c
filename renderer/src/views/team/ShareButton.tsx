import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { incidentRef } from '../../../../shared/incident-ref';
import { useAppStore } from '../../store/store';

/** Share / stop sharing one incident with the team (`firebreak team share|unshare ID`); nothing when this laptop is in no team. */
export function ShareButton({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const joined = useAppStore((s) => s.teamStatus?.joined);
  const load = useAppStore((s) => s.loadTeam);
  const share = useAppStore((s) => s.shareIncident);
  const unshare = useAppStore((s) => s.unshareIncident);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (joined === undefined) void load();
  }, [joined, load]);
  if (!joined) return null;
  const run = (work: (id: number) => Promise<void>) => {
    setBusy(true);
    void work(incident.id).finally(() => setBusy(false));
  };
  return (
    <span className="incident-share">
      {incident.sharedUid ? (
        <>
          <span className="team-shared-note small" data-testid="incident-shared">
            {t('team.share.shared', { ref: incidentRef(incident.id, incident.sharedUid) })}
          </span>
          <button type="button" disabled={busy} onClick={() => run(unshare)} data-testid="incident-unshare">
            {t('team.share.unshare')}
          </button>
        </>
      ) : (
        <button type="button" disabled={busy} onClick={() => run(share)} data-testid="incident-share">
          {t('team.share.share')}
        </button>
      )}
    </span>
  );
}
