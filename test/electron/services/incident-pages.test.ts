import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { IncidentFilter } from '../../../electron/services/incidents';
import { SEVERITIES } from '../../../shared/severity';
import { createFixture, type Fixture } from './fixtures';

const MIN = 60_000;

// incidents.page sorts in SQLite (incident-order.ts); list() still builds every row and sorts
// with shared/urgency.ts. The pages must be the list, cut in pieces, at any moment.
describe('IncidentService.page: the urgency order from SQL, a page at a time', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture('2026-11-23T12:00:00.000Z');
  });
  afterEach(() => f.cleanup());
  const incidents = () => f.services.incidents;

  const paged = (filter: IncidentFilter, size: number): number[] => {
    const ids: number[] = [];
    for (let offset = 0; ; offset += size) {
      const page = incidents().page(filter, offset, size);
      expect(page.offset).toBe(offset);
      ids.push(...page.incidents.map((i) => i.id));
      if (page.incidents.length < size) {
        expect(ids).toHaveLength(page.matched);
        return ids;
      }
    }
  };

  /** Every shape the order distinguishes: severities, each status, stopped and paused clocks, ties. */
  function seedMix(): void {
    const start = f.clock.now();
    for (let i = 0; i < 60; i++) {
      f.clock.set(start);
      // Detections spread over 6 hours, with repeats so keys tie.
      const detectedAt = new Date(start - ((i * 37) % 360) * MIN).toISOString();
      const { id } = incidents().create({ title: `api-${i % 5} incident ${i}`, severity: SEVERITIES[(i * 3) % 4]!, detectedAt, tags: i % 6 === 0 ? ['payments'] : [] });
      const after = (minutes: number) => new Date(Math.min(start, Date.parse(detectedAt) + minutes * MIN)).toISOString();
      const step = i % 7;
      if (step >= 1) incidents().transition({ id, to: 'acknowledged', at: after(3 + (i % 11)) });
      if (step >= 2) incidents().transition({ id, to: 'investigating', at: after(20) });
      if (step >= 3) incidents().transition({ id, to: 'mitigated', at: after(40) });
      if (step === 5) incidents().transition({ id, to: 'resolved', at: after(50) });
      if (step === 6) incidents().transition({ id, to: 'closed', reason: 'test', at: after(60) });
      if (step <= 2 && i % 3 === 0) {
        // A pause that ended, and on some a pause still open: elapsed time stops growing.
        f.clock.set(start - 30 * MIN);
        if (Date.parse(detectedAt) < f.clock.now()) {
          incidents().pauseSla(id, 'waiting on the vendor');
          f.clock.set(start - 20 * MIN);
          incidents().resumeSla(id);
          f.clock.set(start - 10 * MIN);
          if (i % 2 === 0) incidents().pauseSla(id, 'paused again');
        }
      }
    }
    f.clock.set(start);
  }

  it('pages exactly the order list() sorts, as the clocks move and the urgency order changes', () => {
    seedMix();
    const orders = new Set<string>();
    // Acknowledged and unacknowledged clocks run at different rates, so the order changes over time.
    for (const minutes of [0, 7, 45, 180, 600]) {
      f.clock.set(Date.parse('2026-11-23T12:00:00.000Z') + minutes * MIN);
      const whole = incidents().list().map((i) => i.id);
      expect(paged({}, 7)).toEqual(whole);
      orders.add(whole.join(','));
      for (const filter of [{ openOnly: true }, { severity: ['high', 'low'] }, { status: ['acknowledged', 'closed'] }, { query: 'payments' }, { query: 'api-3' }] as IncidentFilter[]) {
        expect(paged(filter, 5)).toEqual(incidents().list(filter).map((i) => i.id));
      }
    }
    expect(orders.size).toBeGreaterThan(1);
  });

  it('builds the page rows in full: pauses, timeline count, every field', () => {
    seedMix();
    const whole = incidents().list();
    expect(incidents().page({}, 10, 20).incidents).toEqual(whole.slice(10, 30));
  });

  it('gives every incident once when many share the same keys (the id breaks ties)', () => {
    const detectedAt = '2026-11-23T11:30:00.000Z';
    for (let i = 0; i < 120; i++) incidents().create({ title: `same ${i}`, severity: 'high', detectedAt });
    const ids = paged({}, 11);
    expect(new Set(ids).size).toBe(120);
    expect(ids).toEqual(incidents().list().map((i) => i.id));
  });

  it('keeps the pages read so far while incidents are added below them, and moves them by one for one added above', () => {
    seedMix();
    const first = incidents().page({}, 0, 20).incidents.map((i) => i.id);
    const second = incidents().page({}, 20, 20).incidents.map((i) => i.id);
    // Old, long-closed incidents land after every open one: the first pages stay as they were.
    for (let i = 0; i < 5; i++) {
      const { id } = incidents().create({ title: `old ${i}`, severity: 'low', detectedAt: '2026-11-01T00:00:00.000Z' });
      incidents().transition({ id, to: 'closed', reason: 'backfilled', at: '2026-11-01T01:00:00.000Z' });
    }
    expect(incidents().page({}, 0, 20).incidents.map((i) => i.id)).toEqual(first);
    expect(incidents().page({}, 20, 20).incidents.map((i) => i.id)).toEqual(second);
    // A critical one detected an hour ago lands among the first rows: the rows after it move down by one.
    const urgent = incidents().create({ title: 'checkout down', severity: 'critical', detectedAt: new Date(f.clock.now() - 60 * MIN).toISOString() });
    const now = incidents().page({}, 0, 21).incidents.map((i) => i.id);
    expect(now).toContain(urgent.id);
    expect(now.filter((id) => id !== urgent.id)).toEqual(first);
    expect(incidents().page({}, 21, 20).incidents.map((i) => i.id)).toEqual(second);
    expect(incidents().page({}, 0, 20)).toMatchObject({ matched: 66, total: 66 });
  });
});
