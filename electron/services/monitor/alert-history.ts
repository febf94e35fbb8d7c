import type { AlertHistoryPage, MonitorAlert } from '../../../shared/monitor';
import type { Db } from '../db/open';
import { alertKey } from '../gauges/timeline-sink';

/** Two processes on one profile see one crossing within seconds; the second is not history. */
const SAME_CROSSING_MS = 60_000;

export interface AlertHistoryQuery {
  /** Older than this id (the next page down). */
  readonly before?: number;
  /** Newer than this id (what arrived since the newest row the UI has). */
  readonly after?: number;
  readonly limit?: number;
}

/**
 * Every alert transition this profile saw, newest first, paged by id: the alert history has
 * no cap, and what crosses the contract is one page. The app and `firebreak serve` on one
 * profile both see each crossing; a transition already recorded moments ago with the same
 * level is the other process's view of it and is not stored twice.
 */
export class AlertHistory {
  private readonly latest;
  private readonly insert;

  constructor(private readonly db: Db) {
    this.latest = db.prepare<[string], { level: string; at: string }>('SELECT level, at FROM monitor_alerts WHERE key = ? ORDER BY id DESC LIMIT 1');
    this.insert = db.prepare('INSERT INTO monitor_alerts (key, level, at, data) VALUES (?, ?, ?, ?)');
  }

  record(alert: MonitorAlert): void {
    const key = alertKey(alert);
    const level = `${alert.kind}:${alert.to}`;
    this.db
      .transaction(() => {
        const last = this.latest.get(key);
        if (last && last.level === level && Math.abs(Date.parse(alert.at) - Date.parse(last.at)) < SAME_CROSSING_MS) return;
        this.insert.run(key, level, alert.at, JSON.stringify(alert));
      })
      .immediate();
  }

  page(query: AlertHistoryQuery = {}): AlertHistoryPage {
    const limit = Math.min(Math.max(query.limit ?? 100, 1), 1000);
    const where: string[] = [];
    const params: number[] = [];
    if (query.before !== undefined) {
      where.push('id < ?');
      params.push(query.before);
    }
    if (query.after !== undefined) {
      where.push('id > ?');
      params.push(query.after);
    }
    const rows = this.db
      .prepare<number[], { id: number; data: string }>(
        `SELECT id, data FROM monitor_alerts ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY id DESC LIMIT ?`,
      )
      .all(...params, limit + 1);
    const total = this.db.prepare<[], { n: number }>('SELECT count(*) AS n FROM monitor_alerts').get()?.n ?? 0;
    return {
      items: rows.slice(0, limit).map((r) => ({ id: r.id, alert: JSON.parse(r.data) as MonitorAlert })),
      hasMore: rows.length > limit,
      total,
    };
  }
}
