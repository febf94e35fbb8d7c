import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TeamDeviceView, TeamJoinResult, TeamSyncView } from '../../../../shared/channels/team';
import { useAppStore } from '../../store/store';
import './team.css';

/** Sync state is not an event yet: the screen reads it again while it is shown. */
const REFRESH_MS = 3000;

function SelfCard({ status }: { readonly status: TeamSyncView }) {
  const { t } = useTranslation();
  return (
    <section className="team-card" aria-label={t('team.thisDevice')} data-testid="team-self">
      <h3>
        {t('team.thisDevice')}{' '}
        {status.joined && (
          <span className={`team-state team-state-${status.approved ? 'approved' : 'pending'}`} data-testid="team-self-state">
            {t(status.approved ? 'team.devices.states.approved' : 'team.devices.states.pending')}
          </span>
        )}
      </h3>
      <dl className="team-facts">
        <dt>{t('team.deviceName')}</dt>
        <dd>{status.deviceName}</dd>
        <dt>{t('team.deviceId')}</dt>
        <dd className="mono" data-testid="team-device-id">
          {status.deviceId}
        </dd>
        <dt>{t('team.fingerprint')}</dt>
        <dd className="mono" data-testid="team-fingerprint">
          {status.fingerprint ?? t('team.devices.noKey')}
        </dd>
      </dl>
      <p className="muted small">{t('team.fingerprintHint')}</p>
      {status.keyProblem && <p className="error-text small">{t('team.keyProblem', { problem: status.keyProblem })}</p>}
    </section>
  );
}

function JoinForm({ onJoined }: { readonly onJoined: (team: string, result: TeamJoinResult) => void }) {
  const { t } = useTranslation();
  const join = useAppStore((s) => s.joinTeam);
  const [url, setUrl] = useState('');
  const [team, setTeam] = useState('');
  const [caFile, setCaFile] = useState('');
  const [user, setUser] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    const result = await join({
      url: url.trim(),
      team: team.trim(),
      ...(caFile.trim() && { caFile: caFile.trim() }),
      ...(user && { user }),
      ...(password && { password }),
    });
    // The password leaves the form either way: it lives in the secret store, not in the page.
    setPassword('');
    setBusy(false);
    if (result) onJoined(team.trim(), result);
  };
  return (
    <form className="team-join team-card" onSubmit={(e) => void submit(e)} aria-label={t('team.join.title')} autoComplete="off">
      <h3>{t('team.join.title')}</h3>
      <label>
        {t('team.join.url')}
        <input value={url} onChange={(e) => setUrl(e.target.value)} placeholder={t('team.join.urlPlaceholder')} spellCheck={false} data-testid="team-join-url" />
      </label>
      <label>
        {t('team.join.team')}
        <input value={team} onChange={(e) => setTeam(e.target.value)} placeholder={t('team.join.teamPlaceholder')} spellCheck={false} data-testid="team-join-team" />
      </label>
      <label>
        {t('team.join.caFile')}
        <input value={caFile} onChange={(e) => setCaFile(e.target.value)} placeholder={t('team.join.caFilePlaceholder')} spellCheck={false} data-testid="team-join-ca" />
      </label>
      <label>
        {t('team.join.user')}
        <input value={user} onChange={(e) => setUser(e.target.value)} spellCheck={false} autoComplete="off" data-testid="team-join-user" />
      </label>
      <label>
        {t('team.join.password')}
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" data-testid="team-join-password" />
      </label>
      <p className="muted small">{t('team.join.passwordHint')}</p>
      <button type="submit" className="primary" disabled={busy || !url.trim() || !team.trim()} data-testid="team-join-submit">
        {busy ? t('team.join.joining') : t('team.join.submit')}
      </button>
    </form>
  );
}

function StatusLine({ status }: { readonly status: TeamSyncView }) {
  const { t } = useTranslation();
  const pending = status.behind + status.unpushed;
  const state = !status.connected
    ? status.offlineSince
      ? t('team.status.offlineSince', { time: new Date(status.offlineSince).toLocaleString() })
      : t('team.status.offline')
    : pending > 0
      ? t('team.status.behind', { count: pending })
      : t('team.status.inSync');
  return (
    <section className="team-card" data-testid="team-status">
      <h3>{t('team.status.heading', { team: status.team, url: status.url })}</h3>
      <p>
        <span className={`badge ${status.connected ? 'team-online' : 'team-offline'}`} data-testid="team-state">
          {state}
        </span>{' '}
        <span className="muted small">{t('team.status.counts', { shared: status.shared, unpushed: status.unpushed, behind: status.behind })}</span>
      </p>
      {status.lastError && !status.connected && <p className="warn-text small">{t('team.status.lastError', { error: status.lastError })}</p>}
    </section>
  );
}

function DeviceRow({ device, onApprove }: { readonly device: TeamDeviceView; readonly onApprove: (d: TeamDeviceView) => void }) {
  const { t } = useTranslation();
  return (
    <tr data-testid={`team-device-${device.deviceId}`} data-state={device.state}>
      <td>{device.name}</td>
      <td className="mono small">{device.deviceId}</td>
      <td className="mono small">{device.fingerprint ?? t('team.devices.noKey')}</td>
      <td>
        <span className={`team-state team-state-${device.state}`}>{t(`team.devices.states.${device.state}`)}</span>
      </td>
      <td>
        {device.state === 'pending' && device.fingerprint && (
          <button type="button" onClick={() => onApprove(device)} data-testid={`team-approve-${device.deviceId}`}>
            {t('team.devices.approve')}
          </button>
        )}
      </td>
    </tr>
  );
}

/** The confirm before an approval: the fingerprint, compared aloud with the device's owner, is what gets approved. */
function ApproveConfirm({ device, onDone }: { readonly device: TeamDeviceView; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const approve = useAppStore((s) => s.approveDevice);
  const [busy, setBusy] = useState(false);
  return (
    <div className="team-confirm" role="alertdialog" aria-label={t('team.devices.confirmTitle', { name: device.name })} data-testid="team-approve-dialog">
      <h4>{t('team.devices.confirmTitle', { name: device.name })}</h4>
      <p className="small">{t('team.devices.confirmBody')}</p>
      <p className="mono team-confirm-fingerprint" data-testid="team-approve-fingerprint">
        {device.fingerprint}
      </p>
      <p className="muted small mono">{device.deviceId}</p>
      <button
        type="button"
        className="primary"
        disabled={busy}
        onClick={() => {
          setBusy(true);
          void approve(device.deviceId, device.fingerprint!).then(() => onDone());
        }}
        data-testid="team-approve-confirm"
      >
        {t('team.devices.confirm')}
      </button>{' '}
      <button type="button" onClick={onDone}>
        {t('team.devices.cancel')}
      </button>
    </div>
  );
}

function Devices() {
  const { t } = useTranslation();
  const devices = useAppStore((s) => s.teamDevices);
  const [approving, setApproving] = useState<TeamDeviceView | undefined>();
  return (
    <section className="team-card" aria-label={t('team.devices.title')}>
      <h3>{t('team.devices.title')}</h3>
      <table className="team-table">
        <thead>
          <tr>
            <th>{t('team.devices.name')}</th>
            <th>{t('team.devices.id')}</th>
            <th>{t('team.devices.fingerprint')}</th>
            <th>{t('team.devices.state')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {devices.map((d) => (
            <DeviceRow key={d.deviceId} device={d} onApprove={setApproving} />
          ))}
        </tbody>
      </table>
      {approving && <ApproveConfirm device={approving} onDone={() => setApproving(undefined)} />}
    </section>
  );
}

function Quarantine() {
  const { t } = useTranslation();
  const rows = useAppStore((s) => s.teamQuarantine);
  return (
    <section className="team-card" aria-label={t('team.quarantine.title')} data-testid="team-quarantine">
      <h3>{t('team.quarantine.title')}</h3>
      <p className="muted small">{t('team.quarantine.intro')}</p>
      {rows.length === 0 ? (
        <p className="muted">{t('team.quarantine.empty')}</p>
      ) : (
        <table className="team-table">
          <thead>
            <tr>
              <th>{t('team.quarantine.received')}</th>
              <th>{t('team.quarantine.incident')}</th>
              <th>{t('team.quarantine.entry')}</th>
              <th>{t('team.quarantine.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((q, i) => (
              <tr key={i}>
                <td className="small">{new Date(q.receivedAt).toLocaleString()}</td>
                <td className="mono small">{q.incidentUid.slice(0, 8)}</td>
                <td className="mono small">{q.deviceId ? `${q.deviceId.slice(0, 8)}:${q.deviceSeq}` : '–'}</td>
                <td className="small">{q.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function Leave({ team }: { readonly team: string }) {
  const { t } = useTranslation();
  const leave = useAppStore((s) => s.leaveTeam);
  const [confirming, setConfirming] = useState(false);
  if (!confirming)
    return (
      <button type="button" className="danger-button" onClick={() => setConfirming(true)} data-testid="team-leave">
        {t('team.leave.button')}
      </button>
    );
  return (
    <div className="team-confirm" role="alertdialog" data-testid="team-leave-dialog">
      <p>{t('team.leave.confirm', { team })}</p>
      <button type="button" className="danger-button" onClick={() => void leave().then(() => setConfirming(false))} data-testid="team-leave-confirm">
        {t('team.leave.yes')}
      </button>{' '}
      <button type="button" onClick={() => setConfirming(false)}>
        {t('team.leave.cancel')}
      </button>
    </div>
  );
}

/** Team mode from the UI: what `firebreak team join|status|devices|approve|quarantine|leave` offer. */
export function TeamScreen() {
  const { t } = useTranslation();
  const status = useAppStore((s) => s.teamStatus);
  const error = useAppStore((s) => s.teamError);
  const load = useAppStore((s) => s.loadTeam);
  const [joinedNote, setJoinedNote] = useState<string | undefined>();
  useEffect(() => {
    void load();
    const timer = window.setInterval(() => void load(), REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [load]);
  return (
    <main className="team-screen" aria-label={t('team.screen')}>
      <header className="section-head">
        <h2>{t('team.title')}</h2>
      </header>
      <p className="muted small">{t('team.intro')}</p>
      {error && (
        <p className="error-text" role="alert" data-testid="team-error">
          {error}
        </p>
      )}
      {joinedNote && (
        <p className="team-note" data-testid="team-joined">
          {joinedNote}
        </p>
      )}
      {status && <SelfCard status={status} />}
      {status && !status.joined && (
        <>
          <p className="muted">{t('team.notJoined')}</p>
          <JoinForm onJoined={(team, result) => setJoinedNote(t(result.founder ? 'team.join.founder' : 'team.join.pending', { team }))} />
        </>
      )}
      {status?.joined && (
        <>
          <StatusLine status={status} />
          <Devices />
          <Quarantine />
          <Leave team={status.team ?? ''} />
        </>
      )}
    </main>
  );
}
