import { memo, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { TimelineFacets, TimelineFilter } from '../../../../shared/timeline-page';
import { useAppStore } from '../../store/store';
import { timelineRowCount } from '../../store/timeline-slice';

const NO_FACETS: TimelineFacets = { kinds: [], actors: [], hosts: [] };
const NO_FILTER: TimelineFilter = {};
/** Typing pauses this long before the service is asked again. */
const TYPING_MS = 250;

/**
 * Find-in-page for a timeline that is never all on the page: text, kind, actor and host,
 * answered by the service (SQL over the whole record), newest first.
 */
export const TimelineFilterBar = memo(function TimelineFilterBar({ incidentId }: { readonly incidentId: number }) {
  const { t } = useTranslation();
  const facets = useAppStore((s) => s.timelines[incidentId]?.facets ?? NO_FACETS);
  const filter = useAppStore((s) => s.timelines[incidentId]?.filter ?? NO_FILTER);
  const rows = useAppStore((s) => {
    const view = s.timelines[incidentId];
    return view?.loaded ? timelineRowCount(view) : undefined;
  });
  const [text, setText] = useState(filter.text ?? '');
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);

  const apply = (patch: TimelineFilter) => {
    const current = useAppStore.getState().timelines[incidentId]?.filter ?? NO_FILTER;
    const next: TimelineFilter = { ...current, ...patch };
    void useAppStore.getState().loadTimeline(incidentId, next);
  };
  const onText = (value: string) => {
    setText(value);
    clearTimeout(timer.current);
    timer.current = setTimeout(() => apply({ text: value.trim() || undefined }), TYPING_MS);
  };
  useEffect(() => () => clearTimeout(timer.current), []);

  const select = (key: 'kind' | 'actor' | 'host', options: readonly string[], all: string) => (
    <select value={filter[key] ?? ''} onChange={(e) => apply({ [key]: e.target.value || undefined })} aria-label={all} data-testid={`timeline-filter-${key}`}>
      <option value="">{all}</option>
      {options.map((o) => (
        <option key={o} value={o}>
          {o}
        </option>
      ))}
    </select>
  );

  const filtering = Boolean(filter.text || filter.kind || filter.actor || filter.host);
  return (
    <div className="timeline-filter" role="search" onFocus={() => void useAppStore.getState().loadTimelineFacets(incidentId)} onPointerEnter={() => void useAppStore.getState().loadTimelineFacets(incidentId)}>
      <input
        type="search"
        value={text}
        onChange={(e) => onText(e.target.value)}
        placeholder={t('timeline.filter.text')}
        aria-label={t('timeline.filter.text')}
        data-testid="timeline-filter-text"
      />
      {select('kind', facets.kinds, t('timeline.filter.anyKind'))}
      {select('actor', facets.actors, t('timeline.filter.anyActor'))}
      {select('host', facets.hosts, t('timeline.filter.anyHost'))}
      {filtering && (
        <button
          type="button"
          onClick={() => {
            setText('');
            void useAppStore.getState().loadTimeline(incidentId, {});
          }}
          data-testid="timeline-filter-clear"
        >
          {t('timeline.filter.clear')}
        </button>
      )}
      {rows !== undefined && (
        <span className="muted small" data-testid="timeline-count">
          {filtering ? t('timeline.filter.matching', { count: rows }) : t('timeline.filter.entries', { count: rows })}
        </span>
      )}
    </div>
  );
});
