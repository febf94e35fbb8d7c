import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useLayoutEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { TimelineEntry } from '../../../../shared/domain';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { TIMELINE_PAGE, timelineEntryAt, timelinePageOf, timelineRowCount } from '../../store/timeline-slice';
import { describeEntry } from './Timeline';
import { dateTimeFormat, type TimeFormat } from '../../i18n/dates';
import { alertDirectionOf } from '../system/alert-text';

/** Alert rows say which way they went (raised, escalated, eased, recovered), so recoveries are drawn calm. */
const alertClass = (entry: TimelineEntry): string =>
  entry.kind === 'alert.raised' || entry.kind === 'alert.cleared' ? ` alert-${alertDirectionOf(entry.data as Record<string, unknown>)}` : '';

/**
 * Every row is one line of this height, its text cut with an ellipsis; only the selected row
 * and the one being corrected are drawn in full and measured. Measuring every row made the
 * virtualizer rebuild its offsets for the whole record (100,000 rows) as rows came into view.
 */
const ROW_ESTIMATE = 37;
// contain: a row's layout and paint stay inside it, so drawing new rows lays out those rows alone.
const ONE_LINE = { height: ROW_ESTIMATE, boxSizing: 'border-box', overflow: 'hidden', contain: 'strict' } as const;
const CUT_TEXT = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', minWidth: 0 } as const;
const NO_CORRECTIONS: readonly number[] = [];
/**
 * Where each incident's list was, as the first row in view counted from the oldest entry:
 * leaving the tab and coming back (even after entries were added) shows the same rows.
 */
const scrollMemory = new Map<number, number>();

interface RowProps {
  readonly index: number;
  readonly entry: TimelineEntry | undefined;
  readonly active: boolean;
  readonly correctedBy: readonly number[];
  readonly correcting: boolean;
  readonly domId: string;
  readonly time: TimeFormat;
  readonly t: TFunction;
  /** Set only on a row drawn in full (selected or being corrected): the one row measured. */
  readonly measure: ((element: HTMLLIElement | null) => void) | undefined;
  readonly setCorrecting: (entryId: number | undefined) => void;
  readonly select: (index: number) => void;
}

/** Drawn again only when its own entry, corrections or state change (memo on props). */
const TimelineRow = memo(function TimelineRow({ index, entry, active, correctedBy, correcting, domId, time, t, measure, setCorrecting, select }: RowProps) {
  if (!entry) {
    return (
      <li data-index={index} id={domId} className={`entry placeholder${active ? ' active' : ''}`} style={ONE_LINE} aria-busy="true">
        <span className="entry-seq">…</span>
      </li>
    );
  }
  return (
    <li
      ref={measure}
      data-index={index}
      id={domId}
      className={`entry kind-${entry.kind.replace(/\./g, '-')}${alertClass(entry)}${active ? ' active' : ''}`}
      style={measure ? undefined : ONE_LINE}
      data-kind={entry.kind}
      data-seq={entry.seq}
      onClick={() => select(index)}
    >
      <span className="entry-seq">#{entry.seq}</span>
      <time dateTime={entry.at}>{time.format(new Date(entry.at))}</time>
      <span className="entry-text" style={measure ? undefined : CUT_TEXT}>
        {describeEntry(entry, t)}
        {correctedBy.length > 0 && <span className="corrected"> {t('timeline.correctedBy', { seqs: correctedBy.join(', #') })}</span>}
        {correcting && <CorrectionForm entry={entry} t={t} done={() => setCorrecting(undefined)} />}
      </span>
      <span className="entry-meta" title={`sha256 ${entry.hash}\nprev ${entry.prevHash}`}>
        {entry.actor}@{entry.host} · {entry.hash.slice(0, 10)}
        {!correcting && (
          <button type="button" className="link" onClick={() => setCorrecting(entry.id)} title={t('timeline.correctHint')}>
            {t('timeline.correct')}
          </button>
        )}
      </span>
    </li>
  );
});

function CorrectionForm({ entry, t, done }: { readonly entry: TimelineEntry; readonly t: TFunction; readonly done: () => void }) {
  const [text, setText] = useState('');
  const submit = async () => {
    try {
      useAppStore.getState().appendEntry(await api.timeline.correct({ incidentId: entry.incidentId, entryId: entry.id, text }));
      done();
    } catch (error) {
      useAppStore.getState().notify('error', errorMessage(error));
    }
  };
  return (
    <form
      className="inline-form correction-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <input autoFocus value={text} onChange={(e) => setText(e.target.value)} placeholder={t('timeline.correctPlaceholder')} aria-label={t('timeline.correctPlaceholder')} />
      <button type="submit" disabled={text.trim() === ''}>
        {t('timeline.addCorrection')}
      </button>
      <button type="button" onClick={done}>
        {t('actions.cancel')}
      </button>
    </form>
  );
}

/**
 * The timeline, newest first, drawing only the rows in view (TanStack Virtual). Rows come
 * from the store's pages, fetched as they scroll into view. Keys count from the oldest row,
 * so an entry added at the top leaves every other row's key and measured height alone.
 * Keys: ↑/↓ move, PgUp/PgDn a screen, Home the newest, End the oldest.
 */
export function TimelineList({ incidentId }: { readonly incidentId: number }) {
  const { t } = useTranslation();
  const view = useAppStore((s) => s.timelines[incidentId]);
  const loadPage = useAppStore((s) => s.loadTimelinePage);
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState(0);
  const [correcting, setCorrecting] = useState<number>();
  const time = dateTimeFormat;
  const count = view ? timelineRowCount(view) : 0;
  const getItemKey = useCallback((index: number) => count - 1 - index, [count]);

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_ESTIMATE,
    getItemKey,
    // A few rows beyond the screen: a jump far into the record draws every row in view anew,
    // and each one drawn off screen made that frame longer.
    overscan: 4,
    initialOffset: () => Math.max(0, count - 1 - (scrollMemory.get(incidentId) ?? count - 1)) * ROW_ESTIMATE,
    onChange: (instance) => {
      const top = instance.getVirtualItems().find((item) => item.end > (instance.scrollOffset ?? 0));
      if (top && instance.scrollOffset) scrollMemory.set(incidentId, Number(top.key));
      else if (instance.scrollOffset === 0) scrollMemory.delete(incidentId);
    },
  });
  const items = virtualizer.getVirtualItems();

  // A row drawn in full goes back to one line when it is no longer selected or corrected: its
  // measured height is replaced by the fixed one (keys count from the oldest, as above).
  const correctingIndex = correcting === undefined || !view ? undefined : items.find((item) => timelineEntryAt(view, item.index)?.id === correcting)?.index;
  const expanded = useRef(new Set<number>());
  useLayoutEffect(() => {
    const now = new Set([active, ...(correctingIndex === undefined ? [] : [correctingIndex])].filter((i) => i < count).map((i) => count - 1 - i));
    for (const key of expanded.current) if (!now.has(key) && key < count) virtualizer.resizeItem(count - 1 - key, ROW_ESTIMATE);
    expanded.current = now;
  }, [active, correctingIndex, count, virtualizer]);

  // Back on the tab: the remembered row, measured heights or not.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || count === 0) return;
    restored.current = true;
    const fromOldest = scrollMemory.get(incidentId);
    if (fromOldest !== undefined && fromOldest < count) virtualizer.scrollToIndex(count - 1 - fromOldest, { align: 'start' });
  }, [count, incidentId, virtualizer]);

  // Another filter is another list: start it at the newest entry.
  const filter = view?.filter;
  const shownFilter = useRef(filter);
  useEffect(() => {
    if (shownFilter.current === filter) return;
    shownFilter.current = filter;
    scrollMemory.delete(incidentId);
    setActive(0);
    virtualizer.scrollToOffset(0);
  }, [filter, incidentId, virtualizer]);

  // Entries added at the top push the rows down; a reader scrolled into the past stays where they were.
  const newest = view?.newer.length ?? 0;
  const seenNewest = useRef(newest);
  useLayoutEffect(() => {
    const added = newest - seenNewest.current;
    seenNewest.current = newest;
    const offset = virtualizer.scrollOffset ?? 0;
    if (added > 0 && offset > 0) virtualizer.scrollToOffset(offset + added * ROW_ESTIMATE);
    if (added > 0) setActive((a) => (a > 0 ? a + added : a));
  }, [newest, virtualizer]);

  // The pages under the rows in view are fetched; the slice drops ones far away. Once they are
  // here, the neighbour page the reader is nearing is fetched ahead, so scrolling on finds its
  // rows drawn (the slice asks for a page once, however often this runs).
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  useEffect(() => {
    if (!view || first === undefined || last === undefined) return;
    const from = timelinePageOf(view, first) ?? 0;
    const to = timelinePageOf(view, last);
    if (to === undefined) return;
    let missing = false;
    for (let page = from; page <= to; page++) {
      if (!view.pages[page]) {
        missing = true;
        void loadPage(incidentId, page);
      }
    }
    if (missing) return;
    const near = TIMELINE_PAGE / 2;
    if (last - view.newer.length - to * TIMELINE_PAGE >= TIMELINE_PAGE - near) void loadPage(incidentId, to + 1);
    if (from > 0 && first - view.newer.length - from * TIMELINE_PAGE < near) void loadPage(incidentId, from - 1);
  }, [view, first, last, incidentId, loadPage]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.target !== event.currentTarget || count === 0) return;
    const screen = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 400) / ROW_ESTIMATE) - 1);
    const moves: Record<string, number> = { ArrowDown: active + 1, ArrowUp: active - 1, PageDown: active + screen, PageUp: active - screen, Home: 0, End: count - 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const index = Math.min(count - 1, Math.max(0, next));
    setActive(index);
    virtualizer.scrollToIndex(index, { align: index === 0 ? 'start' : index === count - 1 ? 'end' : 'auto' });
  };

  const domId = (index: number) => `timeline-${incidentId}-row-${index}`;
  return (
    <div
      ref={scrollRef}
      className="entries-scroll"
      tabIndex={0}
      role="region"
      aria-label={t('timeline.listLabel', { count })}
      aria-activedescendant={count > 0 ? domId(active) : undefined}
      onKeyDown={onKeyDown}
      data-testid="timeline-scroll"
      data-rows={count}
    >
      {view?.loaded && count === 0 && <p className="muted pad">{t('timeline.noMatch')}</p>}
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        <ol className="entries" data-testid="timeline" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {view &&
            items.map((item) => {
              const entry = timelineEntryAt(view, item.index);
              return (
                <TimelineRow
                  key={item.key}
                  index={item.index}
                  entry={entry}
                  active={item.index === active}
                  correctedBy={(entry && view.correctedBy[entry.id]) || NO_CORRECTIONS}
                  correcting={entry !== undefined && correcting === entry.id}
                  domId={domId(item.index)}
                  time={time}
                  t={t}
                  measure={item.index === active || item.index === correctingIndex ? virtualizer.measureElement : undefined}
                  setCorrecting={setCorrecting}
                  select={setActive}
                />
              );
            })}
        </ol>
      </div>
    </div>
  );
}
