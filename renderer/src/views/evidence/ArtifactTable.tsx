import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArtifactRecord, ArtifactStatus, Derivation } from '../../../../shared/evidence';
import { assertNever } from '../../../../shared/assert';
import { formatBytes } from '../system/format';
import type { ArtifactFilter } from '../../../../shared/artifact-page';
import { useT } from '../../i18n/use-t';
import { useAppStore } from '../../store/store';
import { ARTIFACT_PAGE, artifactAt, type ArtifactListView } from '../../store/evidence-slice';
import { dateTimeFormat } from '../../i18n/dates';

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

/**
 * Every row is this tall and none is measured: each cell keeps to two lines (the hash on two,
 * the rest cut with an ellipsis and whole in its title). Measuring rows as they scrolled in
 * made the virtualizer rebuild the offsets of all 10,000 rows, and the table re-flowed its
 * columns, frame after frame while the list scrolled.
 */
const ROW_HEIGHT = 52;
const ROW_STYLE = { height: ROW_HEIGHT } as const;

function derivationText(d: Derivation): string {
  return [d.tail !== undefined ? `tail ${d.tail}` : '', d.grep ? `grep /${d.grep}/` : '', d.since ? `since ${d.since}` : '', d.linesKept !== undefined ? `${d.linesKept} lines` : '']
    .filter(Boolean)
    .join(', ');
}

function CopyHash({ hash }: { readonly hash: string }) {
  // One per row: useT, not useTranslation, whose per-mount copy of the i18n instance cost most of a scrolled frame.
  const t = useT();
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

interface RowProps {
  readonly index: number;
  readonly artifact: ArtifactRecord;
  readonly selected: boolean;
  readonly active: boolean;
  readonly onSelect: (artifact: ArtifactRecord) => void;
}

/** Drawn again only when its own props change (memo): a page arriving leaves the rows already drawn alone. */
const ArtifactRow = memo(function ArtifactRow({ index, artifact: a, selected, active, onSelect }: RowProps) {
  const t = useT();
  const classes = [selected ? 'selected' : '', active ? 'active' : '', a.retracted ? 'retracted' : ''].filter(Boolean).join(' ');
  const retraction = a.retracted ? t('evidence.retract.row', { reason: a.retracted.reason, actor: a.retracted.actor, time: dateTimeFormat.format(new Date(a.retracted.at)) }) : '';
  const source = a.source && a.source.path !== `/${a.name}` ? t('evidence.source', { path: a.source.path }) : '';
  const derived = a.derivation && derivationText(a.derivation) ? t('evidence.derived', { how: derivationText(a.derivation) }) : '';
  const details = [source, derived].filter(Boolean).join(' · ');
  const statusText = a.status !== 'ok' || a.detail ? (a.detail ?? t(`evidence.statusHint.${a.status}`)) : '';
  const collectedAt = dateTimeFormat.format(new Date(a.collectedAt));
  return (
    <tr
      data-index={index}
      className={classes || undefined}
      style={ROW_STYLE}
      data-testid="artifact-row"
      data-status={a.status}
      data-name={a.name}
      data-retracted={a.retracted ? 'true' : undefined}
    >
      <td className="name">
        <button type="button" className="artifact-name one-line" onClick={() => onSelect(a)} title={a.name} data-testid="artifact-open">
          {a.name}
        </button>
        {retraction ? (
          <div className="small warn-text retraction one-line" title={[retraction, details].filter(Boolean).join('\n')} data-testid="artifact-retraction">
            {retraction}
          </div>
        ) : (
          details && (
            <div className="muted small path one-line" title={details}>
              {details}
            </div>
          )
        )}
      </td>
      <td className="num">{a.size === null ? '–' : formatBytes(a.size)}</td>
      <td className="hash">
        {a.sha256 ? (
          <div className="hash-cell">
            <code title={a.sha256} data-testid="artifact-sha256">
              {a.sha256}
            </code>
            <CopyHash hash={a.sha256} />
          </div>
        ) : (
          <span className="muted small">{t('evidence.nothingStored')}</span>
        )}
      </td>
      <td className="small">
        <span className="one-line" title={a.collector}>
          {a.collector}
        </span>
      </td>
      <td className="small nowrap">{collectedAt}</td>
      <td className="status">
        <span className={`status-tag tone-${statusTone(a.status)}`} title={t(`evidence.statusHint.${a.status}`)} data-testid="artifact-status">
          {t(`evidence.status.${a.status}`)}
        </span>
        {statusText && (
          <div className="small muted status-text one-line" title={statusText}>
            {statusText}
          </div>
        )}
      </td>
    </tr>
  );
});

/** Where each incident's table was scrolled (by artifact id), for coming back to the tab. */
const scrollMemory = new Map<number, number>();

/**
 * The artifacts, drawing only the rows in view (TanStack Virtual, spacer rows keep the
 * table's columns), fetched a page at a time as they scroll into view. A filter box narrows
 * them (name, path or hash prefix; status; collector), answered by the service;
 * ↑/↓/Home/End move the highlighted row and Enter opens it (opening is recorded, moving is not).
 */
export function ArtifactTable({
  incidentId,
  view,
  selectedId,
  onSelect,
}: {
  readonly incidentId: number;
  readonly view: ArtifactListView;
  readonly selectedId: number | undefined;
  readonly onSelect: (artifact: ArtifactRecord) => void;
}) {
  const { t } = useTranslation();
  const filter = view.filter;
  const [text, setText] = useState(filter.text ?? '');
  // Ticked at once; the list follows when the page arrives.
  const [showRetracted, setShowRetracted] = useState(filter.includeRetracted === true);
  const typing = useRef<ReturnType<typeof setTimeout>>(undefined);
  const [active, setActive] = useState(0);
  const scrollRef = useRef<HTMLDivElement>(null);
  const loadPage = useAppStore((s) => s.loadArtifactPage);
  const count = view.matched;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // A few rows beyond the screen: a jump far into the list draws every row in view anew.
    overscan: 4,
    // Rows are counted from the top of the snapshot; a reload (new artifacts) starts at the top.
    initialOffset: () => (scrollMemory.get(incidentId) ?? 0) * ROW_HEIGHT,
    onChange: (instance) => {
      const top = instance.getVirtualItems().find((item) => item.end > (instance.scrollOffset ?? 0));
      if (top) scrollMemory.set(incidentId, top.index);
    },
  });
  const items = virtualizer.getVirtualItems();

  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  useEffect(() => {
    if (first === undefined || last === undefined) return;
    for (let page = Math.floor(first / ARTIFACT_PAGE); page <= Math.floor(last / ARTIFACT_PAGE); page++) if (!view.pages[page]) void loadPage(incidentId, page);
  }, [view, first, last, incidentId, loadPage]);
  useEffect(() => () => clearTimeout(typing.current), []);
  const paddingTop = items[0]?.start ?? 0;
  const paddingBottom = virtualizer.getTotalSize() - (items[items.length - 1]?.end ?? 0);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || count === 0) return;
    if (event.key === 'Enter') {
      const artifact = artifactAt(view, active);
      if (artifact) onSelect(artifact);
      return;
    }
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, Home: 0, End: count - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = Math.min(count - 1, Math.max(0, next));
    setActive(index);
    virtualizer.scrollToIndex(index, { align: 'auto' });
  };
  const patch = (p: ArtifactFilter) => {
    setActive(0);
    scrollMemory.delete(incidentId);
    virtualizer.scrollToOffset(0);
    void useAppStore.getState().loadEvidence(incidentId, { ...useAppStore.getState().evidence[incidentId]?.filter, ...p });
  };
  const onText = (value: string) => {
    setText(value);
    clearTimeout(typing.current);
    typing.current = setTimeout(() => patch({ text: value.trim() || undefined }), 250);
  };

  return (
    <>
      <div className="artifact-filter" role="search">
        <input
          type="search"
          value={text}
          onChange={(e) => onText(e.target.value)}
          placeholder={t('evidence.filter.text')}
          aria-label={t('evidence.filter.text')}
          data-testid="artifact-filter-text"
        />
        <select value={filter.status ?? ''} onChange={(e) => patch({ status: e.target.value || undefined })} aria-label={t('evidence.filter.anyStatus')} data-testid="artifact-filter-status">
          <option value="">{t('evidence.filter.anyStatus')}</option>
          {view.statuses.map((s) => (
            <option key={s} value={s}>
              {t(`evidence.status.${s}`, { defaultValue: s })}
            </option>
          ))}
        </select>
        <select value={filter.collector ?? ''} onChange={(e) => patch({ collector: e.target.value || undefined })} aria-label={t('evidence.filter.anyCollector')} data-testid="artifact-filter-collector">
          <option value="">{t('evidence.filter.anyCollector')}</option>
          {view.collectors.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {view.retracted > 0 && (
          <label className="check small" title={t('evidence.retract.showHint')}>
            <input
              type="checkbox"
              checked={showRetracted}
              onChange={(e) => {
                setShowRetracted(e.target.checked);
                patch({ includeRetracted: e.target.checked || undefined });
              }}
              data-testid="artifact-show-retracted"
            />
            {t('evidence.retract.show', { count: view.retracted })}
          </label>
        )}
        {view.matched !== view.total && (
          <span className="muted small" data-testid="artifact-filter-count">
            {t('evidence.filter.matching', { count: view.matched, total: view.total })}
          </span>
        )}
      </div>
      <div ref={scrollRef} className="artifact-scroll" tabIndex={0} onKeyDown={onKeyDown} data-testid="artifact-scroll" data-rows={count}>
        <table className="artifacts" data-testid="artifacts">
          {/* Fixed columns: the widths do not follow whichever rows happen to be drawn. */}
          <colgroup>
            <col />
            <col className="col-size" />
            <col className="col-hash" />
            <col className="col-collector" />
            <col className="col-time" />
            <col className="col-status" />
          </colgroup>
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
            {paddingTop > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={6} style={{ height: paddingTop }} />
              </tr>
            )}
            {items.map((item) => {
              const a = artifactAt(view, item.index);
              if (!a) {
                return (
                  <tr key={item.key} data-index={item.index} className="placeholder" style={ROW_STYLE} aria-busy="true">
                    <td colSpan={6}>…</td>
                  </tr>
                );
              }
              return <ArtifactRow key={item.key} index={item.index} artifact={a} selected={a.id === selectedId} active={item.index === active} onSelect={onSelect} />;
            })}
            {paddingBottom > 0 && (
              <tr aria-hidden="true" className="spacer">
                <td colSpan={6} style={{ height: paddingBottom }} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
