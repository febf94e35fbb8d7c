import { describe, expect, it } from 'vitest';
import type { IncidentView } from '../../shared/domain';
import { compareUrgency, sortByUrgency } from '../../shared/urgency';

const incident = (patch: Partial<IncidentView>): IncidentView => ({
  id: 1,
  title: 't',
  severity: 'high',
  status: 'detected',
  summary: '',
  impact: '',
  responder: '',
  services: [],
  tags: [],
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
  ...patch,
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
