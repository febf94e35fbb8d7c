import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { assertNever } from '../../../../shared/assert';
import { collectionState, collectionWarnings, LOG_LEVELS, type CollectionEstimate, type CollectionResult, type CollectionState, type EvidenceProgressEvent, type LogLevel } from '../../../../shared/evidence';
import type { ChannelInput } from '../../../../shared/contract';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import type { CollectorKind, RunningCollection } from '../../store/evidence-slice';
import { formatBytes, formatCount, formatRate } from '../system/format';

/** `datetime-local` wants local "YYYY-MM-DDTHH:MM". */
function localInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const toIso = (local: string): string | undefined => (local ? new Date(local).toISOString() : undefined);
const lines = (text: string) => text.split('\n').map((l) => l.trim()).filter(Boolean);

/** "3 files stored · 1.2 GiB of 2.0 GiB read · 850 MiB/s · 31,003 lines matched · 2 s left": the parts that are known. */
function ProgressText({ p }: { readonly p: EvidenceProgressEvent }) {
  const { t } = useTranslation();
  const bytes = p.totalBytes ? t('evidence.bytesOf', { bytes: formatBytes(p.bytes), total: formatBytes(p.totalBytes) }) : formatBytes(p.bytes);
  return (
    <span className="muted" data-testid="evidence-progress-text">
      {t('evidence.progress', { files: p.files, bytes, rate: formatRate(p.bytesPerSecond) })}
      {p.linesMatched ? <span data-testid="evidence-progress-matched"> · {t('evidence.linesMatched', { count: p.linesMatched, lines: formatCount(p.linesMatched) })}</span> : null}
      {p.etaMs !== null && p.etaMs !== undefined ? <span data-testid="evidence-progress-left"> · {t('evidence.timeLeft', { time: formatDuration(p.etaMs) })}</span> : null}
    </span>
  );
}

function Progress({ run }: { readonly run: RunningCollection }) {
  const { t } = useTranslation();
  const cancel = useAppStore((s) => s.cancelCollection);
  const p = run.progress;
  return (
    <div className="evidence-progress" role="status" data-testid="evidence-progress">
      <span className="spinner" aria-hidden="true" />
      <strong>{t(`evidence.running.${run.collector}`)}</strong>
      {p ? <ProgressText p={p} /> : <span className="muted">{t('evidence.starting')}</span>}
      {p?.current && (
        <code className="current" title={p.current}>
          {/* rtl on the box puts the ellipsis on the left (the file name stays visible); bdi keeps the path itself left-to-right. */}
          <bdi>{p.current}</bdi>
        </code>
      )}
      <button type="button" onClick={() => void cancel(run.requestId)} disabled={run.cancelling} data-testid="evidence-cancel">
        {run.cancelling ? t('evidence.cancelling') : t('evidence.cancel')}
      </button>
    </div>
  );
}

type FilesRequest = Omit<ChannelInput<'evidence.collectFiles'>, 'requestId' | 'confirmLarge'>;

/**
 * Collecting `/` copied 1.7 GiB without a word (issue 15): above the threshold the quick
 * count is shown and the operator decides.
 */
function LargeConfirm(props: { readonly estimate: CollectionEstimate; readonly onConfirm: () => void; readonly onCancel: () => void }) {
  const { t } = useTranslation();
  const e = props.estimate;
  const more = e.moreThan ? 'more' : 'exact';
  return (
    <section className="large-confirm" role="alertdialog" aria-label={t('evidence.large.title')} data-testid="large-confirm">
      <h3>{t('evidence.large.title')}</h3>
      <p data-testid="large-estimate">{t(`evidence.large.${more}`, { files: e.files.toLocaleString(), bytes: formatBytes(e.bytes) })}</p>
      <p className="muted small">{t('evidence.large.why', { files: e.threshold.files.toLocaleString(), bytes: formatBytes(e.threshold.bytes) })}</p>
      <div className="form-actions">
        <button type="button" className="danger-button" onClick={props.onConfirm} data-testid="large-confirm-yes">
          {t('evidence.large.confirm')}
        </button>
        <button type="button" autoFocus onClick={props.onCancel} data-testid="large-confirm-no">
          {t('evidence.large.cancel')}
        </button>
      </div>
    </section>
  );
}

/** Green only when everything was stored whole; amber when complete with warnings. */
function stateTone(state: CollectionState): 'ok-text' | 'warn-text' | 'error-text' | 'muted' {
  switch (state) {
    case 'complete':
      return 'ok-text';
    case 'complete-with-warnings':
    case 'cancelled':
    case 'incomplete':
      return 'warn-text';
    case 'failed':
      return 'error-text';
    case 'running':
      return 'muted';
    default:
      return assertNever(state, 'collection state');
  }
}

/** How many files the warning under a collection names before it says "and N more". */
const PROBLEMS_SHOWN = 5;

export function ResultLine({ result }: { readonly result: CollectionResult }) {
  const { t } = useTranslation();
  const c = result.collection;
  // Anything not stored whole (skipped, vanished, unreadable, cut, a link not followed) is evidence missing.
  const problems = collectionWarnings(result.artifacts);
  const state = collectionState(c.status, problems.length);
  return (
    <>
      <p className={`small evidence-result ${stateTone(state)}`} data-state={state} data-testid="evidence-result">
        {t('evidence.result', { id: c.id, collector: c.collector, status: t(`evidence.collectionStatus.${state}`), count: c.artifactCount, bytes: formatBytes(c.bytes) })}
        {problems.length > 0 && <span className="warn-text"> · {t('evidence.resultProblems', { count: problems.length })}</span>}
        {c.error && <span className="muted"> · {c.error}</span>}
      </p>
      {problems.length > 0 && (
        <ul className="small warn-text evidence-problems" role="alert" data-testid="evidence-problems">
          {problems.slice(0, PROBLEMS_SHOWN).map((a) => (
            <li key={a.id} data-status={a.status}>
              <strong>{t(`evidence.status.${a.status}`)}</strong> {a.name}
              {a.detail && <span className="muted"> — {a.detail}</span>}
            </li>
          ))}
          {problems.length > PROBLEMS_SHOWN && <li>{t('evidence.resultProblemsMore', { count: problems.length - PROBLEMS_SHOWN })}</li>}
        </ul>
      )}
    </>
  );
}

/** One-click collectors (logs, snapshot) and the two that need a form (files, changes). */
export function Collectors({ incidentId, disabled }: { readonly incidentId: number; readonly disabled: boolean }) {
  const { t } = useTranslation();
  const start = useAppStore((s) => s.startCollection);
  const collections = useAppStore((s) => s.collections);
  const running = Object.values(collections).filter((c) => c.incidentId === incidentId);
  const [open, setOpen] = useState<'files' | 'changes' | undefined>();
  const [paths, setPaths] = useState('');
  const [tail, setTail] = useState('');
  const [since, setSince] = useState('');
  const [grep, setGrep] = useState('');
  const [level, setLevel] = useState<LogLevel | ''>('');
  const [maxMb, setMaxMb] = useState('');
  const [roots, setRoots] = useState('');
  const [changesSince, setChangesSince] = useState(() => localInput(Date.now() - 24 * 3_600_000));
  const [until, setUntil] = useState('');
  const [formError, setFormError] = useState<string>();
  const [estimating, setEstimating] = useState(false);
  const [large, setLarge] = useState<{ readonly request: FilesRequest; readonly estimate: CollectionEstimate }>();

  const run = (kind: CollectorKind, call: (requestId: string) => Promise<CollectionResult>) => void start(incidentId, kind, call);

  const collectFiles = (request: FilesRequest, confirmLarge: boolean) =>
    run('files', (requestId) => api.evidence.collectFiles({ ...request, requestId, ...(confirmLarge ? { confirmLarge } : {}) }));

  const submitFiles = async (e: FormEvent) => {
    e.preventDefault();
    const list = lines(paths);
    if (!list.length) return setFormError(t('evidence.form.needPaths'));
    setFormError(undefined);
    setLarge(undefined);
    const sinceIso = toIso(since);
    const request: FilesRequest = {
      incidentId,
      paths: list,
      ...(tail ? { tail: Number(tail) } : {}),
      ...(sinceIso ? { since: sinceIso } : {}),
      ...(grep ? { grep } : {}),
      ...(level ? { level } : {}),
      ...(maxMb ? { maxBytes: Math.round(Number(maxMb) * 1024 * 1024) } : {}),
    };
    setEstimating(true);
    try {
      const estimate = await api.evidence.estimateFiles({ paths: list });
      if (estimate.large) setLarge({ request, estimate });
      else collectFiles(request, false);
    } catch (error) {
      setFormError(errorMessage(error));
    } finally {
      setEstimating(false);
    }
  };

  const submitChanges = (e: FormEvent) => {
    e.preventDefault();
    const list = lines(roots);
    if (!list.length) return setFormError(t('evidence.form.needPaths'));
    setFormError(undefined);
    const untilIso = toIso(until);
    run('changes', (requestId) => api.evidence.collectChanges({ incidentId, requestId, roots: list, since: toIso(changesSince)!, ...(untilIso ? { until: untilIso } : {}) }));
  };

  const toggle = (which: 'files' | 'changes') => {
    setFormError(undefined);
    setOpen(open === which ? undefined : which);
  };

  return (
    <div className="evidence-collect">
      <div className="collector-buttons">
        <button type="button" className="primary" disabled={disabled} title={t('evidence.collectors.presetHint')} onClick={() => run('preset', (requestId) => api.evidence.collectPreset({ incidentId, requestId }))} data-testid="collect-preset">
          {t('evidence.collectors.preset')}
        </button>
        <button type="button" disabled={disabled} title={t('evidence.collectors.snapshotHint')} onClick={() => run('snapshot', (requestId) => api.evidence.collectSnapshot({ incidentId, requestId }))} data-testid="collect-snapshot">
          {t('evidence.collectors.snapshot')}
        </button>
        <button type="button" disabled={disabled} aria-expanded={open === 'files'} title={t('evidence.collectors.filesHint')} onClick={() => toggle('files')} data-testid="collect-files-open">
          {t('evidence.collectors.files')}
        </button>
        <button type="button" disabled={disabled} aria-expanded={open === 'changes'} title={t('evidence.collectors.changesHint')} onClick={() => toggle('changes')} data-testid="collect-changes-open">
          {t('evidence.collectors.changes')}
        </button>
      </div>
      {open === 'files' && (
        <form className="collector-form" onSubmit={(e) => void submitFiles(e)} data-testid="files-form">
          <p className="muted small">{t('evidence.collectors.filesHint')}</p>
          <label className="wide">
            {t('evidence.form.paths')}
            <textarea rows={3} value={paths} onChange={(e) => setPaths(e.target.value)} placeholder={t('evidence.form.pathsPlaceholder')} spellCheck={false} data-testid="files-paths" />
          </label>
          <div className="form-fields">
            <label>
              {t('evidence.form.tail')}
              <input type="number" min={1} value={tail} onChange={(e) => setTail(e.target.value)} data-testid="files-tail" />
            </label>
            <label>
              {t('evidence.form.since')}
              <input type="datetime-local" value={since} onChange={(e) => setSince(e.target.value)} data-testid="files-since" />
            </label>
            <label>
              {t('evidence.form.grep')}
              <input value={grep} onChange={(e) => setGrep(e.target.value)} placeholder={t('evidence.form.grepPlaceholder')} spellCheck={false} data-testid="files-grep" />
            </label>
            <label>
              {t('evidence.form.level')}
              <select value={level} onChange={(e) => setLevel(e.target.value as LogLevel | '')} title={t('evidence.form.levelHint')} data-testid="files-level">
                <option value="">{t('evidence.form.levelAny')}</option>
                {LOG_LEVELS.map((l) => (
                  <option key={l} value={l}>
                    {t(`evidence.form.levels.${l}`)}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('evidence.form.maxMb')}
              <input type="number" min={1} value={maxMb} onChange={(e) => setMaxMb(e.target.value)} data-testid="files-max" />
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={disabled || estimating || large !== undefined} data-testid="files-submit">
              {estimating ? t('evidence.large.estimating') : t('evidence.form.submitFiles')}
            </button>
            <button type="button" onClick={() => setOpen(undefined)}>
              {t('evidence.form.close')}
            </button>
            {formError && <span className="error-text small">{formError}</span>}
          </div>
          {large && (
            <LargeConfirm
              estimate={large.estimate}
              onCancel={() => setLarge(undefined)}
              onConfirm={() => {
                collectFiles(large.request, true);
                setLarge(undefined);
              }}
            />
          )}
        </form>
      )}
      {open === 'changes' && (
        <form className="collector-form" onSubmit={submitChanges} data-testid="changes-form">
          <p className="muted small">{t('evidence.collectors.changesHint')}</p>
          <label className="wide">
            {t('evidence.form.roots')}
            <textarea rows={2} value={roots} onChange={(e) => setRoots(e.target.value)} placeholder={t('evidence.form.rootsPlaceholder')} spellCheck={false} data-testid="changes-roots" />
          </label>
          <div className="form-fields">
            <label>
              {t('evidence.form.since')}
              <input type="datetime-local" required value={changesSince} onChange={(e) => setChangesSince(e.target.value)} data-testid="changes-since" />
            </label>
            <label>
              {t('evidence.form.until')}
              <input type="datetime-local" value={until} onChange={(e) => setUntil(e.target.value)} data-testid="changes-until" />
            </label>
          </div>
          <div className="form-actions">
            <button type="submit" className="primary" disabled={disabled} data-testid="changes-submit">
              {t('evidence.form.submitChanges')}
            </button>
            <button type="button" onClick={() => setOpen(undefined)}>
              {t('evidence.form.close')}
            </button>
            {formError && <span className="error-text small">{formError}</span>}
          </div>
        </form>
      )}
      {running.map((r) => (
        <Progress key={r.requestId} run={r} />
      ))}
    </div>
  );
}
