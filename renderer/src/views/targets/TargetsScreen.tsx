import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TargetListing } from '../../../../shared/channels/targets';
import { useAppStore } from '../../store/store';
import { TargetState } from './TargetState';
import './targets.css';

/** An unknown host key: its fingerprints, compared by the operator, accepted only by an explicit click. */
function HostKeyOffer({ name }: { readonly name: string }) {
  const { t } = useTranslation();
  const offer = useAppStore((s) => s.hostKeyOffers[name]);
  const accept = useAppStore((s) => s.acceptHostKey);
  if (!offer) return <p className="muted small">{t('common.loading')}</p>;
  return (
    <div className="host-key-offer" role="alert" data-testid={`host-key-offer-${name}`}>
      <p className="small">{t('targets.hostKey.unknown', { host: offer.knownHostsName })}</p>
      <ul className="small">
        {offer.keys.map((k) => (
          <li key={k.fingerprint}>
            <span className="muted">{k.type}</span> <code data-testid="host-key-fingerprint">{k.fingerprint}</code>{' '}
            <button type="button" onClick={() => void accept(name, k.fingerprint)} data-testid={`host-key-accept-${k.type}`}>
              {t('targets.hostKey.accept')}
            </button>
          </li>
        ))}
      </ul>
      <p className="muted small">{t('targets.hostKey.compare')}</p>
    </div>
  );
}

function TargetRow({ target }: { readonly target: TargetListing }) {
  const { t } = useTranslation();
  const remove = useAppStore((s) => s.removeTarget);
  const connect = useAppStore((s) => s.connectTarget);
  const [confirming, setConfirming] = useState(false);
  const state = target.status.state;
  return (
    <li className="target-row" data-testid={`target-${target.name}`}>
      <div className="target-head">
        <strong className="mono">{target.name}</strong>
        <TargetState status={target.status} />
        {target.status.hostKeyFingerprint && state === 'connected' && <code className="muted small">{target.status.hostKeyFingerprint}</code>}
        <span className="spacer" />
        {state !== 'connected' && state !== 'connecting' && state !== 'host-key-changed' && (
          <button type="button" onClick={() => void connect(target.name)} data-testid={`target-connect-${target.name}`}>
            {t('targets.connect')}
          </button>
        )}
        {confirming ? (
          <>
            <button type="button" className="danger-button" onClick={() => void remove(target.name)} data-testid={`target-remove-confirm-${target.name}`}>
              {t('targets.removeConfirm')}
            </button>
            <button type="button" onClick={() => setConfirming(false)}>
              {t('targets.cancel')}
            </button>
          </>
        ) : (
          <button type="button" onClick={() => setConfirming(true)} data-testid={`target-remove-${target.name}`}>
            {t('targets.remove')}
          </button>
        )}
      </div>
      {state === 'host-key-unknown' && <HostKeyOffer name={target.name} />}
      {state === 'host-key-changed' && (
        <p className="error-text small" role="alert" data-testid={`host-key-changed-${target.name}`}>
          {t('targets.hostKey.changed', { name: target.name })}
        </p>
      )}
      {state === 'auth-required' && <p className="warn-text small">{t('targets.authHint', { name: target.name })}</p>}
    </li>
  );
}

/** The profile's targets: add by ssh alias or user@host[:port], see each connection's state, accept a new host key, remove. */
export function TargetsScreen() {
  const { t } = useTranslation();
  const targets = useAppStore((s) => s.targets);
  const error = useAppStore((s) => s.targetsError);
  const load = useAppStore((s) => s.loadTargets);
  const add = useAppStore((s) => s.addTarget);
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  useEffect(() => void load(), [load]);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const trimmed = name.trim();
    if (!trimmed) return;
    setBusy(true);
    if (await add(trimmed)) setName('');
    setBusy(false);
  };
  return (
    <main className="targets-screen" aria-label={t('targets.screen')}>
      <header className="section-head">
        <h2>{t('targets.title')}</h2>
      </header>
      <p className="muted small">{t('targets.intro')}</p>
      <form className="target-add" onSubmit={(e) => void submit(e)}>
        <label>
          {t('targets.addLabel')}
          <input value={name} onChange={(e) => setName(e.target.value)} placeholder={t('targets.addPlaceholder')} spellCheck={false} data-testid="target-add-name" />
        </label>
        <button type="submit" disabled={busy || !name.trim()} data-testid="target-add">
          {t('targets.add')}
        </button>
      </form>
      {error && <p className="error-text">{error}</p>}
      {targets.length === 0 ? (
        <p className="muted" data-testid="targets-empty">
          {t('targets.empty')}
        </p>
      ) : (
        <ul className="target-list">
          {targets.map((target) => (
            <TargetRow key={target.name} target={target} />
          ))}
        </ul>
      )}
    </main>
  );
}
