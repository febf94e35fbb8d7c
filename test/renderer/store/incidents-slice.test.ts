import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../../shared/domain';
import { compareUrgency, sortByUrgency } from '../../../shared/urgency';
import { filterIncidents, INCIDENT_PAGE, incidentInList, KEEP_INCIDENT_PAGES, placeIncident, withIncidentPage, type IncidentListView } from '../../../renderer/src/store/incidents-slice';

const base: IncidentView = {
  id: 1,
  title: 'Checkout 502',
  severity: 'high',
  status: 'detected',
  summary: '',
  impact: '',
  responder: '',
  services: ['api'],
  tags: ['payments'],
  detectedAt: '2026-11-23T09:00:00.000Z',
  acknowledgedAt: null,
  investigatingAt: null,
  mitigatedAt: null,
  resolvedAt: null,
  closedAt: null,
  createdAt: '2026-11-23T09:00:00.000Z',
  updatedAt: '2026-11-23T09:00:00.000Z',
  pauses: [],
  timelineCount: 1,
};
const incident = (patch: Partial<IncidentView>): IncidentView => ({ ...base, ...patch });

describe('incident list', () => {
  const list = [
    incident({ id: 1 }),
    incident({ id: 2, severity: 'low', title: 'Slow search', services: ['search'], tags: [] }),
    incident({ id: 3, status: 'resolved', title: 'Old outage' }),
  ];

  it('filters by status, severity and text (title, services, tags, ref)', () => {
    const none = { statuses: [], severities: [], query: '' };
    expect(filterIncidents(list, none)).toHaveLength(3);
    expect(filterIncidents(list, { ...none, statuses: ['resolved'] }).map((i) => i.id)).toEqual([3]);
    expect(filterIncidents(list, { ...none, severities: ['low'] }).map((i) => i.id)).toEqual([2]);
    expect(filterIncidents(list, { ...none, query: 'SEARCH' }).map((i) => i.id)).toEqual([2]);
    expect(filterIncidents(list, { ...none, query: 'payments' }).map((i) => i.id)).toEqual([1, 3]);
    expect(filterIncidents(list, { ...none, query: 'inc-0003' }).map((i) => i.id)).toEqual([3]);
  });

  it('sorts open before done, then severity, then the clock closest to breach', () => {
    const now = Date.parse('2026-11-23T09:20:00Z');
    const sorted = [
      incident({ id: 1, status: 'resolved', severity: 'critical' }),
      incident({ id: 2, severity: 'low' }),
      incident({ id: 3, severity: 'high', detectedAt: '2026-11-23T09:15:00.000Z' }),
      incident({ id: 4, severity: 'high', detectedAt: '2026-11-23T09:01:00.000Z' }),
    ].sort((a, b) => compareUrgency(a, b, now));
    expect(sorted.map((i) => i.id)).toEqual([4, 3, 2, 1]);
  });

  it('sorts a long list with keys computed once in the same order as the comparator', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    const statuses = ['detected', 'acknowledged', 'mitigated', 'resolved', 'closed'] as const;
    const severities = ['critical', 'high', 'medium', 'low'] as const;
    const many = Array.from({ length: 400 }, (_, i) =>
      incident({
        id: i + 1,
        status: statuses[i % 5]!,
        severity: severities[(i * 7) % 4]!,
        detectedAt: new Date(now - ((i * 7919) % 500) * 60_000).toISOString(),
        acknowledgedAt: i % 5 >= 1 ? new Date(now - ((i * 7919) % 500) * 60_000 + 60_000).toISOString() : null,
      }),
    );
    expect(sortByUrgency(many, now).map((i) => i.id)).toEqual([...many].sort((a, b) => compareUrgency(a, b, now)).map((i) => i.id));
  });
});

describe('urgency order', () => {
  it('puts an open incident with no running clock after every one with a running clock, in any input order', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    // A: lots of slack, detected first; B: little slack, detected last; M: mitigated (no clock), detected between.
    // Comparing M by detection made A < M < B < A: the result depended on the input order.
    const a = incident({ id: 1, detectedAt: '2026-11-23T11:50:00.000Z', acknowledgedAt: '2026-11-23T11:51:00.000Z' });
    const b = incident({ id: 2, detectedAt: '2026-11-23T11:58:00.000Z' });
    const m = incident({ id: 3, status: 'mitigated', detectedAt: '2026-11-23T11:55:00.000Z', acknowledgedAt: '2026-11-23T11:56:00.000Z', mitigatedAt: '2026-11-23T11:57:00.000Z' });
    for (const input of [[a, b, m], [m, b, a], [b, m, a], [m, a, b]]) {
      expect(sortByUrgency(input, now).map((i) => i.id)).toEqual([2, 1, 3]);
      expect([...input].sort((x, y) => compareUrgency(x, y, now)).map((i) => i.id)).toEqual([2, 1, 3]);
    }
  });
});

describe('an incident an event brings, placed among the loaded rows', () => {
  const now = Date.parse('2026-11-23T09:20:00Z');
  // Rows 0–2 loaded of 5 matching (the last page not read yet).
  const list: IncidentListView = {
    key: 'k',
    matched: 5,
    total: 5,
    rows: { 0: incident({ id: 1, severity: 'critical' }), 1: incident({ id: 2, severity: 'high' }), 2: incident({ id: 3, severity: 'low' }) },
    pages: { 0: true },
  };
  const ids = (l: IncidentListView) => Object.entries(l.rows).sort(([a], [b]) => Number(a) - Number(b)).map(([pos, i]) => `${pos}:${i.id}`);

  it('puts a new incident at its urgency place and shifts the rows after it', () => {
    const placed = placeIncident(list, incident({ id: 9, severity: 'medium' }), true, now);
    expect(ids(placed)).toEqual(['0:1', '1:2', '2:9', '3:3']);
    expect(placed.matched).toBe(6);
  });

  it('moves a changed incident, and takes out one that no longer matches the filter', () => {
    expect(ids(placeIncident(list, incident({ id: 3, severity: 'critical', detectedAt: '2026-11-23T08:00:00.000Z' }), true, now))).toEqual(['0:3', '1:1', '2:2']);
    const gone = placeIncident(list, incident({ id: 2, status: 'resolved' }), false, now);
    expect(ids(gone)).toEqual(['0:1', '1:3']);
    expect(gone.matched).toBe(4);
  });

  it('leaves a less urgent incident beyond the loaded rows to the next read', () => {
    const placed = placeIncident(list, incident({ id: 9, status: 'closed' }), true, now);
    expect(ids(placed)).toEqual(['0:1', '1:2', '2:3']);
    expect(placed.matched).toBe(6);
  });
});

describe('pages of the incident list arriving while it scrolls', () => {
  const pageOf = (page: number) => Array.from({ length: INCIDENT_PAGE }, (_, i) => incident({ id: page * INCIDENT_PAGE + i + 1 }));
  const empty: IncidentListView = { key: 'k', matched: 10_000, total: 10_000, rows: {}, pages: {} };
  const sweep = (pages: number[], inFlight: ReadonlySet<number> = new Set()) =>
    pages.reduce((list, page) => withIncidentPage(list, page * INCIDENT_PAGE, pageOf(page), 10_000, 10_000, inFlight), empty);

  it('keeps the row objects already there, so their rows are not drawn again', () => {
    const before = sweep([0, 1]);
    const after = withIncidentPage(before, 2 * INCIDENT_PAGE, pageOf(2), 10_000, 10_000);
    expect(after.rows[5]).toBe(before.rows[5]);
    expect(after.rows[150]).toBe(before.rows[150]);
    expect(after.rows[250]!.id).toBe(251);
    expect(incidentInList(after, 251)).toBe(after.rows[250]);
  });

  it('holds a bounded window however far the list is swept, and lets far pages be read again', () => {
    const swept = sweep(Array.from({ length: 100 }, (_, page) => page));
    expect(Object.keys(swept.rows).length).toBe((KEEP_INCIDENT_PAGES + 1) * INCIDENT_PAGE);
    expect(swept.pages[0]).toBeUndefined();
    expect(swept.pages[99 - KEEP_INCIDENT_PAGES]).toBe(true);
    expect(swept.rows[0]).toBeUndefined();
    expect(incidentInList(swept, 1)).toBeUndefined();
  });

  it('keeps the mark of a page still on its way, so it is not asked for twice', () => {
    const asked = { ...sweep([0]), pages: { 0: true, 40: true } } as IncidentListView;
    const arrived = withIncidentPage(asked, 20 * INCIDENT_PAGE, pageOf(20), 10_000, 10_000, new Set([40]));
    expect(arrived.pages[40]).toBe(true);
    expect(arrived.pages[0]).toBeUndefined();
  });
});
