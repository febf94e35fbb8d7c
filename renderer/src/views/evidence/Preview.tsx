import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { LOG_LEVELS, type ArtifactRecord, type LogLevel, type SearchResult } from '../../../../shared/evidence';
import { api, errorMessage } from '../../api';
import { formatBytes } from '../system/format';
import { RetractArtifact } from './Retract';

/** Bytes per read: enough for a screenful of log, small enough to page through a 4 GiB file. */
const PAGE = 64 * 1024;

/**
 * Text preview of a stored artifact, read page by page from the store (each read is a
 * custody entry). Content is only ever a React text node, never HTML.
 */
export function Preview({
  artifact,
  onClose,
  onRetracted,
}: {
  readonly artifact: ArtifactRecord;
  readonly onClose: () => void;
  readonly onRetracted: (artifact: ArtifactRecord) => void;
}) {
  const { t } = useTranslation();
  const [text, setText] = useState('');
  const [loaded, setLoaded] = useState(0);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [pattern, setPattern] = useState('');
  const [ignoreCase, setIgnoreCase] = useState(true);
  const [level, setLevel] = useState<LogLevel | ''>('');
  const [found, setFound] = useState<SearchResult>();
  const total = artifact.size ?? 0;
  const previewable = artifact.sha256 !== null && !artifact.binary;

  const load = async (offset: number) => {
    setBusy(true);
    try {
      const chunk = await api.evidence.read({ artifactId: artifact.id, offset, length: PAGE });
      setText((prev) => (offset === 0 ? chunk.content : prev + chunk.content));
      setLoaded(offset + Math.min(PAGE, chunk.totalSize - offset));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  useEffect(() => {
    setText('');
    setLoaded(0);
    setFound(undefined);
    if (previewable) void load(0);
  }, [artifact.id]);

  const search = async () => {
    if (!pattern && !level) return;
    try {
      // A level alone lists every line of that level: `^` matches any line.
      setFound(await api.evidence.search({ artifactId: artifact.id, pattern: pattern || '^', ignoreCase, ...(level ? { level } : {}), maxMatches: 500 }));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <section className="evidence-preview" aria-label={t('evidence.preview.title')} data-testid="evidence-preview">
      <header className="section-head">
        <h3>{artifact.name}</h3>
        <button type="button" onClick={onClose} data-testid="preview-close">
          {t('evidence.preview.close')}
        </button>
      </header>
      <RetractArtifact artifact={artifact} onRetracted={onRetracted} />
      {!artifact.sha256 ? (
        <p className="muted">{t('evidence.preview.none')}</p>
      ) : artifact.binary ? (
        <p className="muted">{t('evidence.preview.binary', { type: artifact.mediaType })}</p>
      ) : (
        <>
          <form
            className="preview-search"
            onSubmit={(e) => {
              e.preventDefault();
              void search();
            }}
          >
            <input value={pattern} onChange={(e) => setPattern(e.target.value)} placeholder={t('evidence.preview.search')} aria-label={t('evidence.preview.search')} spellCheck={false} data-testid="preview-search" />
            <label className="check">
              <input type="checkbox" checked={ignoreCase} onChange={(e) => setIgnoreCase(e.target.checked)} />
              {t('evidence.preview.ignoreCase')}
            </label>
            <select value={level} onChange={(e) => setLevel(e.target.value as LogLevel | '')} aria-label={t('evidence.form.level')} title={t('evidence.form.levelHint')} data-testid="preview-level">
              <option value="">{t('evidence.form.levelAny')}</option>
              {LOG_LEVELS.map((l) => (
                <option key={l} value={l}>
                  {t(`evidence.form.levels.${l}`)}
                </option>
              ))}
            </select>
            <button type="submit" disabled={!pattern && !level} data-testid="preview-find">
              {t('evidence.preview.find')}
            </button>
          </form>
          {found && (
            <div className="matches" data-testid="preview-matches">
              <p className="small muted">
                {found.matches.length ? t('evidence.preview.matches', { count: found.matches.length }) : t('evidence.preview.noMatches')}
                {found.truncated && ` ${t('evidence.preview.truncated', { count: found.matches.length })}`}
              </p>
              {found.matches.length > 0 && (
                <ol className="match-list">
                  {found.matches.map((m) => (
                    <li key={m.offset}>
                      <span className="line-no">{m.line}</span>
                      <code>{m.text}</code>
                    </li>
                  ))}
                </ol>
              )}
            </div>
          )}
          <pre className="preview-text" data-testid="preview-text">
            {text}
          </pre>
          <div className="preview-foot small muted">
            <span>{t('evidence.preview.showing', { shown: formatBytes(loaded), total: formatBytes(total) })}</span>
            {loaded < total && (
              <button type="button" onClick={() => void load(loaded)} disabled={busy} data-testid="preview-more">
                {busy ? t('evidence.preview.loading') : t('evidence.preview.more', { left: formatBytes(total - loaded) })}
              </button>
            )}
            <span>{t('evidence.preview.viewed')}</span>
          </div>
        </>
      )}
      {error && (
        <p className="error-text small" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
