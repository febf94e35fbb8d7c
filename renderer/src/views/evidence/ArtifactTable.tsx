import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArtifactRecord, ArtifactStatus, Derivation } from '../../../../shared/evidence';
import { assertNever } from '../../../../shared/assert';
import { formatBytes } from '../system/format';

/** How much a status should worry the reader: ok, a caveat on what was stored, or nothing stored. */
export function statusTone(status: ArtifactStatus): 'ok' | 'warn' | 'bad' | 'info' {
  switch (status) {
    case 'ok':
      return 'ok';
    case 'binary':
    case 'symlink-recorded':
    case 'special-file-skipped':
      return 'info';
    case 'truncated-by-cap':
    case 'grew-during-copy':
    case 'changed-during-copy':
      return 'warn';
    case 'unreadable':
    case 'vanished':
    case 'command-failed':
      return 'bad';
    default:
      return assertNever(status, 'artifact status');
  }
}

/** A collection of 10,000 log files should not make the tab sluggish: the rest on request. */
const PAGE_ROWS = 300;

function derivationText(d: Derivation): string {
  return [d.tail !== undefined ? `tail ${d.tail}` : '', d.grep ? `grep /${d.grep}/` : '', d.since ? `since ${d.since}` : '', d.linesKept !== undefined ? `${d.linesKept} lines` : '']
    .filter(Boolean)
    .join(', ');
}

function CopyHash({ hash }: { readonly hash: string }) {
  const { t } = useTranslation();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(hash);
      setState('copied');
    } catch {
      setState('failed');
    }
    setTimeout(() => setState('idle'), 2000);
  };
  return (
    <button type="button" className="copy" onClick={() => void copy()} title={state === 'failed' ? t('evidence.copyFailed') : hash} data-testid="copy-hash">
      {state === 'copied' ? t('evidence.copied') : t('evidence.copy')}
    </button>
  );
}

export function ArtifactTable({
  artifacts,
  selectedId,
  onSelect,
}: {
  readonly artifacts: readonly ArtifactRecord[];
  readonly selectedId: number | undefined;
  readonly onSelect: (artifact: ArtifactRecord) => void;
}) {
  const { t, i18n } = useTranslation();
  const [limit, setLimit] = useState(PAGE_ROWS);
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });
  const shown = artifacts.slice(0, limit);
  return (
    <div className="artifact-scroll">
      <table className="artifacts" data-testid="artifacts">
        <thead>
          <tr>
            <th>{t('evidence.columns.name')}</th>
            <th className="num">{t('evidence.columns.size')}</th>
            <th>{t('evidence.columns.sha256')}</th>
            <th>{t('evidence.columns.collector')}</th>
            <th>{t('evidence.columns.time')}</th>
            <th>{t('evidence.columns.status')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((a) => (
            <tr key={a.id} className={a.id === selectedId ? 'selected' : undefined} data-testid="artifact-row" data-status={a.status} data-name={a.name}>
              <td className="name">
                <button type="button" className="artifact-name" onClick={() => onSelect(a)} title={a.name} data-testid="artifact-open">
                  {a.name}
                </button>
                {a.source && a.source.path !== `/${a.name}` && <div className="muted small path">{t('evidence.source', { path: a.source.path })}</div>}
                {a.derivation && derivationText(a.derivation) && <div className="muted small">{t('evidence.derived', { how: derivationText(a.derivation) })}</div>}
              </td>
              <td className="num">{a.size === null ? '–' : formatBytes(a.size)}</td>
              <td className="hash">
                {a.sha256 ? (
                  <>
                    <code title={a.sha256} data-testid="artifact-sha256">
                      {a.sha256}
                    </code>
                    <CopyHash hash={a.sha256} />
                  </>
                ) : (
                  <span className="muted small">{t('evidence.nothingStored')}</span>
                )}
              </td>
              <td className="small">{a.collector}</td>
              <td className="small nowrap">{time.format(new Date(a.collectedAt))}</td>
              <td className="status">
                <span className={`status-tag tone-${statusTone(a.status)}`} title={t(`evidence.statusHint.${a.status}`)} data-testid="artifact-status">
                  {t(`evidence.status.${a.status}`)}
                </span>
                {(a.status !== 'ok' || a.detail) && <div className="small muted status-text">{a.detail ?? t(`evidence.statusHint.${a.status}`)}</div>}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {artifacts.length > shown.length && (
        <button type="button" className="show-all" onClick={() => setLimit(artifacts.length)} data-testid="artifacts-show-all">
          {t('evidence.showAll', { count: artifacts.length })}
        </button>
      )}
    </div>
  );
}
