import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useRef, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { STATUSES } from '../../../../shared/lifecycle';
import { SEVERITIES } from '../../../../shared/severity';
import { computeSlaClocks } from '../../../../shared/sla';
import { SeverityBadge, StatusPill } from '../../components/badges';
import { EscalationBadge } from '../../components/EscalationBadge';
import { SlaClock } from '../../components/SlaClock';
import { useNow, useShortcut } from '../../hooks';
import { INCIDENT_PAGE, type IncidentListView } from '../../store/incidents-slice';
import { useAppStore } from '../../store/store';
import { incidentRef } from '../../../../shared/incident-ref';

function toggle<T>(list: readonly T[], value: T): T[] {
  return list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
}

export function IncidentList() {
  const { t } = useTranslation();
  const list = useAppStore((s) => s.incidentList);
  const loaded = useAppStore((s) => s.incidentsLoaded);
  const error = useAppStore((s) => s.incidentsError);
  const filter = useAppStore((s) => s.filter);
  const setFilter = useAppStore((s) => s.setFilter);
  const selectedId = useAppStore((s) => s.selectedId);
  const select = useAppStore((s) => s.select);
  const openNew = useAppStore((s) => s.setNewIncidentOpen);
  const search = useRef<HTMLInputElement>(null);
  useShortcut('/', useCallback(() => search.current?.focus(), []));

  return (
    <aside className="sidebar" aria-label={t('list.title')}>
      <div className="sidebar-tools">
        <input
          ref={search}
          type="search"
          className="search"
          placeholder={t('list.search')}
          aria-label={t('list.search')}
          value={filter.query}
          onChange={(e) => setFilter({ query: e.target.value })}
        />
        <div className="chips" role="group" aria-label={t('list.filterSeverity')}>
          {SEVERITIES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip severity-${s}${filter.severities.includes(s) ? ' on' : ''}`}
              aria-pressed={filter.severities.includes(s)}
              onClick={() => setFilter({ severities: toggle(filter.severities, s) })}
            >
              {t(`severity.${s}.label`)}
            </button>
          ))}
        </div>
        <div className="chips" role="group" aria-label={t('list.filterStatus')}>
          {STATUSES.map((s) => (
            <button
              key={s}
              type="button"
              className={`chip${filter.statuses.includes(s) ? ' on' : ''}`}
              aria-pressed={filter.statuses.includes(s)}
              onClick={() => setFilter({ statuses: toggle(filter.statuses, s) })}
            >
              {t(`status.${s}`)}
            </button>
          ))}
        </div>
      </div>
      {error && <p className="error-text">{t('list.loadFailed', { error })}</p>}
      {loaded && list.total === 0 && !error && (
        <div className="empty">
          <h3>{t('list.emptyTitle')}</h3>
          <p>{t('list.emptyBody')}</p>
          <button type="button" className="primary" onClick={() => openNew(true)}>
            {t('actions.newIncident')}
          </button>
        </div>
      )}
      {loaded && list.total > 0 && list.matched === 0 && <p className="muted pad">{t('list.noMatch')}</p>}
      <VirtualIncidentRows list={list} selectedId={selectedId} select={select} />
    </aside>
  );
}

/**
 * Every row is this tall (badges, one line of title cut with an ellipsis, the most urgent
 * clock; Japanese glyphs need the most) and none is measured: measuring each row as it came into view made the virtualizer
 * rebuild the offsets of all 10,000 rows, frame after frame, while the list scrolled.
 */
const ROW_HEIGHT = 88;
// contain: a row's layout and paint stay inside it, so drawing new rows lays out those rows alone.
const ROW_STYLE = { height: ROW_HEIGHT, boxSizing: 'border-box', overflow: 'hidden', contain: 'strict' } as const;

interface RowProps {
  readonly incident: IncidentView;
  readonly index: number;
  readonly selected: boolean;
  readonly level: number;
  readonly now: number;
  readonly select: (id: number) => void;
}

/** Drawn again only when its own props change (memo): a scrolled frame draws just the rows new to it. */
const IncidentRow = memo(function IncidentRow({ incident, index, selected, level, now, select }: RowProps) {
  const clocks = computeSlaClocks(incident, now).filter((c) => !c.stopped);
  const clock = clocks.sort((a, b) => a.remainingMs / a.targetMs - b.remainingMs / b.targetMs)[0];
  return (
    <li data-index={index} style={ROW_STYLE}>
      <button
        type="button"
        className={`incident-row${selected ? ' selected' : ''}`}
        style={FILL}
        onClick={() => select(incident.id)}
        data-testid={`incident-row-${incident.id}`}
      >
        <div className="row-top">
          <SeverityBadge severity={incident.severity} />
          <span className="ref" data-testid={`incident-ref-${incident.id}`}>{incidentRef(incident.id, incident.sharedUid)}</span>
          <StatusPill status={incident.status} />
          <EscalationBadge level={level} />
        </div>
        <div className="row-title" style={ONE_LINE} title={incident.title}>
          {incident.title}
        </div>
        {clock && <SlaClock clock={clock} compact />}
      </button>
    </li>
  );
});
// Rows without a running clock (mitigated, done) are shorter: their lines sit in the middle.
const FILL = { height: '100%', boxSizing: 'border-box', justifyContent: 'center' } as const;
const ONE_LINE = { whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis', flexShrink: 0 } as const;

/**
 * Only the rows in view are drawn (TanStack Virtual), so 10,000 incidents cost what 20 do,
 * and the SLA clocks tick in the visible rows alone. Rows come from the service a page at a
 * time (incidents.page) as they scroll into view. ↑/↓ (and Home/End) on the list move the
 * selection and keep it in view.
 */
function VirtualIncidentRows({
  list,
  selectedId,
  select,
}: {
  readonly list: IncidentListView;
  readonly selectedId: number | undefined;
  readonly select: (id: number) => void;
}) {
  const now = useNow();
  const levels = useAppStore((s) => s.escalationLevels);
  const loadPage = useAppStore((s) => s.loadIncidentPage);
  const scrollRef = useRef<HTMLDivElement>(null);
  const count = list.matched;
  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    // Keys are positions (the default): a key function that follows the rows changes with every
    // page, and each change made the virtualizer rebuild the offsets of all 10,000 rows.
    overscan: 3,
  });
  const items = virtualizer.getVirtualItems();

  // The pages under the rows in view are read from the service.
  const first = items[0]?.index;
  const last = items[items.length - 1]?.index;
  useEffect(() => {
    if (first === undefined || last === undefined) return;
    for (let page = Math.floor(first / INCIDENT_PAGE); page <= Math.floor(last / INCIDENT_PAGE); page++) void loadPage(page);
  }, [first, last, list.key, list.pages, loadPage]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const loaded = Object.entries(list.rows).find(([, row]) => row.id === selectedId);
    const at = loaded ? Number(loaded[0]) : -1;
    const moves: Record<string, number> = { ArrowDown: at + 1, ArrowUp: Math.max(0, at - 1), Home: 0, End: count - 1 };
    const next = moves[event.key];
    if (next === undefined || count === 0) return;
    event.preventDefault();
    const index = Math.min(count - 1, Math.max(0, next));
    virtualizer.scrollToIndex(index, { align: 'auto' });
    // A row not read yet is selected once its page arrives (End on a long list).
    const pick = (tries: number) => {
      const incident = useAppStore.getState().incidentList.rows[index];
      if (!incident) {
        if (tries > 0) setTimeout(() => pick(tries - 1), 50);
        return;
      }
      select(incident.id);
      // The row may not exist until the list has scrolled to it.
      requestAnimationFrame(() => scrollRef.current?.querySelector<HTMLButtonElement>(`[data-testid="incident-row-${incident.id}"]`)?.focus());
    };
    pick(100);
  };

  return (
    <div ref={scrollRef} className="incident-list-scroll" onKeyDown={onKeyDown} data-testid="incident-list" data-rows={count}>
      <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
        <ul className="incident-list" style={{ position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${items[0]?.start ?? 0}px)` }}>
          {items.map((item) => {
            const incident = list.rows[item.index];
            if (!incident) {
              return (
                <li key={item.key} data-index={item.index} style={ROW_STYLE} aria-busy="true">
                  <div className="incident-row placeholder" style={{ height: ROW_HEIGHT }} />
                </li>
              );
            }
            return (
              <IncidentRow
                key={item.key}
                incident={incident}
                index={item.index}
                selected={incident.id === selectedId}
                level={levels[incident.id] ?? 1}
                now={now}
                select={select}
              />
            );
          })}
        </ul>
      </div>
    </div>
  );
}
