import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../../api';
import { useAppStore } from '../../store/store';
import './targets.css';

const NONE: readonly string[] = [];
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/**
 * "Collect from <host>": files or globs (with tail / grep) or the system snapshot, from one
 * of the incident's targets. Progress and cancel are the local collectors' (one store entry per request).
 */
export function RemoteCollect({ incidentId, disabled }: { readonly incidentId: number; readonly disabled: boolean }) {
  const { t } = useTranslation();
  const names = useAppStore((s) => s.incidentTargets[incidentId] ?? NONE);
  const load = useAppStore((s) => s.loadIncidentTargets);
  const start = useAppStore((s) => s.startCollection);
  const busy = useAppStore((s) => Object.values(s.collections).some((c) => c.incidentId === incidentId));
  const [host, setHost] = useState('');
  const [paths, setPaths] = useState('');
  const [tail, setTail] = useState('');
  const [grep, setGrep] = useState('');
  useEffect(() => void load(incidentId), [incidentId, load]);
  if (names.length === 0) return null;
  const target = names.includes(host) ? host : names[0]!;

  const files = (event: FormEvent) => {
    event.preventDefault();
    const list = lines(paths);
    if (list.length === 0) return;
    const tailLines = Number(tail);
    void start(incidentId, 'files', (requestId) =>
      api.targets.collectFiles({
        incidentId,
        target,
        paths: list,
        requestId,
        ...(tail && Number.isInteger(tailLines) && tailLines > 0 ? { tail: tailLines } : {}),
        ...(grep ? { grep } : {}),
      }),
    );
  };
  const snapshot = () => void start(incidentId, 'snapshot', (requestId) => api.targets.collectSnapshot({ incidentId, target, requestId }));

  return (
    <section className="remote-collect" aria-label={t('targets.collectFrom', { name: target })}>
      <header className="section-head">
        <h3>{t('targets.collectFrom', { name: target })}</h3>
        {names.length > 1 && (
          <select value={target} onChange={(e) => setHost(e.target.value)} data-testid="remote-collect-host">
            {names.map((n) => (
              <option key={n} value={n}>
                {n}
              </option>
            ))}
          </select>
        )}
        <button type="button" onClick={snapshot} disabled={disabled || busy} data-testid="remote-snapshot">
          {t('targets.snapshot')}
        </button>
      </header>
      <form onSubmit={files}>
        <label>
          {t('targets.paths')}
          <textarea rows={2} cols={48} value={paths} onChange={(e) => setPaths(e.target.value)} placeholder="/var/log/syslog&#10;/var/log/nginx/*.log" spellCheck={false} data-testid="remote-paths" />
        </label>
        <label>
          {t('targets.tail')}
          <input type="number" min={1} value={tail} onChange={(e) => setTail(e.target.value)} style={{ width: 90 }} data-testid="remote-tail" />
        </label>
        <label>
          {t('targets.grep')}
          <input value={grep} onChange={(e) => setGrep(e.target.value)} spellCheck={false} data-testid="remote-grep" />
        </label>
        <button type="submit" disabled={disabled || busy || lines(paths).length === 0} data-testid="remote-collect-files">
          {t('targets.collectFiles', { name: target })}
        </button>
      </form>
    </section>
  );
}
