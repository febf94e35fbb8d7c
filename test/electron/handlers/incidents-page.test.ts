import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { INCIDENT_PAGE_MAX, type IncidentPage } from '../../../shared/incident-page';
import { createFixture, type Fixture } from '../services/fixtures';

const MIN = 60_000;

describe('incidents.page: the incident list a page at a time, most urgent first', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  beforeEach(() => {
    f = createFixture();
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
  });
  afterEach(() => f.cleanup());

  const page = async (input: Record<string, unknown>): Promise<IncidentPage> => {
    const result = await dispatch('incidents.page', input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as IncidentPage;
  };

  it('pages the same order as the whole list, with the counts', async () => {
    const at = (minutesAgo: number) => new Date(f.clock.now() - minutesAgo * MIN).toISOString();
    // Severities and detection times mixed, so the order is the urgency order, not the ids.
    for (let i = 0; i < 25; i++) {
      f.services.incidents.create({ title: `api-${i % 5} errors ${i}`, severity: (['low', 'critical', 'medium', 'high'] as const)[i % 4]!, detectedAt: at(i % 7) });
    }
    const done = f.services.incidents.create({ title: 'done one', severity: 'critical' });
    f.services.incidents.transition({ id: done.id, to: 'resolved', reason: 'fixed' });
    const whole = f.services.incidents.list().map((i) => i.id);

    const ids: number[] = [];
    for (let offset = 0; offset < 26; offset += 10) {
      const p = await page({ offset, limit: 10 });
      expect(p).toMatchObject({ offset, matched: 26, total: 26 });
      ids.push(...p.incidents.map((i) => i.id));
    }
    expect(ids).toEqual(whole);
    expect(ids.at(-1)).toBe(done.id);
    expect((await page({ offset: 40, limit: 10 })).incidents).toEqual([]);
  });

  it('filters on the service: status, severity, open only, text and the INC reference', async () => {
    const a = f.services.incidents.create({ title: 'Disk full on db-1', severity: 'high', services: ['postgres'] });
    const b = f.services.incidents.create({ title: 'Checkout 5xx', severity: 'critical', tags: ['payments'] });
    f.services.incidents.transition({ id: b.id, to: 'acknowledged' });
    const ids = async (input: Record<string, unknown>) => (await page({ offset: 0, limit: 50, ...input })).incidents.map((i) => i.id);

    expect(await ids({ severity: ['high'] })).toEqual([a.id]);
    expect(await ids({ status: ['acknowledged'] })).toEqual([b.id]);
    expect(await ids({ query: 'POSTGRES' })).toEqual([a.id]);
    expect(await ids({ query: 'payments' })).toEqual([b.id]);
    expect(await ids({ query: `INC-${String(a.id).padStart(4, '0')}` })).toEqual([a.id]);
    expect(await ids({ query: `inc-${b.id}` })).toEqual([b.id]);
    expect(await ids({ query: '100%_' })).toEqual([]);
    expect(await page({ offset: 0, limit: 50, query: 'disk' })).toMatchObject({ matched: 1, total: 2 });
  });

  it('names the bad field', async () => {
    const tooMany = await dispatch('incidents.page', { offset: 0, limit: INCIDENT_PAGE_MAX + 1 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!tooMany.ok && tooMany.error.message).toMatch(/^limit: must be at most 500/);
    const negative = await dispatch('incidents.page', { offset: -1, limit: 10 });
    expect(!negative.ok && negative.error.message).toMatch(/^offset: /);
  });
});
