import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { dateTimeFormat } from '../../i18n/dates';
import type { AlertHistoryPage } from '../../../../shared/monitor';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { alertDirectionOf, alertLevel, describeAlert } from './alert-text';

type Item = AlertHistoryPage['items'][number];

const ROW_HEIGHT = 28;
const PAGE = 200;
const ONE_LINE = { height: ROW_HEIGHT, boxSizing: 'border-box', whiteSpace: 'nowrap', overflow: 'hidden', textOverflow: 'ellipsis' } as const;

/**
 * Every alert the profile saw, newest first, with no cap: pages come through the contract as
 * the list scrolls (older below), new alerts are fetched when the live view changes, and only
 * the rows in view are drawn (TanStack Virtual, like the timeline).
 */
export function AlertHistory() {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  // The live tail changes whenever an alert is raised or cleared: the cue to fetch newer rows.
  const newest = useAppStore((s) => s.alerts?.recent[0]);
  const [items, setItems] = useState<readonly Item[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [total, setTotal] = useState(0);
  const loading = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);
  const itemsRef = useRef(items);
  itemsRef.current = items;

  const fetchNewer = useCallback(async () => {
    try {
      const head = itemsRef.current[0]?.id;
      const page = await api.monitor.alertHistory(head === undefined ? { limit: PAGE } : { after: head, limit: PAGE });
      setTotal(page.total);
      if (head === undefined || page.hasMore) {
        // First load, or more arrived than one fetch brings: start again from the newest page
        // (prepending would leave a hole between it and the rows already shown).
        setItems(page.items);
        setHasMore(page.hasMore);
      } else if (page.items.length > 0) {
        setItems((current) => [...page.items.filter((i) => i.id > (current[0]?.id ?? 0)), ...current]);
      }
    } catch (error) {
      notify('error', errorMessage(error));
    }
  }, [notify]);

  const fetchOlder = useCallback(async () => {
    const last = itemsRef.current.at(-1);
    if (loading.current || !last) return;
    loading.current = true;
    try {
      const page = await api.monitor.alertHistory({ before: last.id, limit: PAGE });
      setTotal(page.total);
      setHasMore(page.hasMore);
      setItems((current) => [...current, ...page.items.filter((i) => i.id < (current.at(-1)?.id ?? Infinity))]);
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      loading.current = false;
    }
  }, [notify]);

  useEffect(() => void fetchNewer(), [newest, fetchNewer]);

  const virtualizer = useVirtualizer({
    count: items.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    getItemKey: (index) => items[index]?.id ?? index,
    overscan: 10,
  });
  const visible = virtualizer.getVirtualItems();
  const lastVisible = visible.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && lastVisible >= items.length - 20) void fetchOlder();
  }, [hasMore, lastVisible, items.length, fetchOlder]);

  const time = dateTimeFormat;
  if (items.length === 0) return null;
  return (
    <div className="alert-history" data-testid="alert-history">
      <h3>
        {t('monitor.alerts.recent')} <span className="muted small">({t('monitor.alerts.historyCount', { shown: items.length, total })})</span>
      </h3>
      <div ref={scrollRef} className="alert-history-scroll" data-testid="alert-history-scroll">
        <ul style={{ height: virtualizer.getTotalSize(), position: 'relative', margin: 0, padding: 0, listStyle: 'none' }}>
          {visible.map((row) => {
            const item = items[row.index]!;
            const data = item.alert as unknown as Record<string, unknown>;
            return (
              <li
                key={row.key}
                data-index={row.index}
                className={`alert-item level-${alertLevel(item.alert)} alert-${alertDirectionOf(data)}`}
                style={{ ...ONE_LINE, position: 'absolute', top: 0, left: 0, right: 0, transform: `translateY(${row.start}px)` }}
              >
                <time className="muted small" dateTime={item.alert.at}>
                  {time.format(new Date(item.alert.at))}
                </time>{' '}
                <span>{describeAlert(data, t)}</span>
              </li>
            );
          })}
        </ul>
      </div>
    </div>
  );
}
