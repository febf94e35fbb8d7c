import { describe, expect, it } from 'vitest';
import type { Services } from '../../../../electron/services';
import { incidentMetrics } from '../../../../electron/services/reports/metrics';
import { computeSlaClock } from '../../../../shared/sla';
import { useCliHarness } from '../../cli/support';
import { redisAvailable } from '../probes/support/redis-server';
import { useTeamLaptops } from './support/team-laptops';

// Issue 16, merging: reopen as an explicit entry, and SLA clocks and metrics computed from the
// merged timeline (remote pauses, resumes and status changes). Two profiles on one real
// redis-server; every round is driven by syncOnce(), every time by a ManualClock.

const run = redisAvailable() ? describe : describe.skip;

run('team merge: reopen and SLA from the merged timeline', () => {
  const laptops = useTeamLaptops();
  let teamNo = 0;
  const laptop = (actor: string) => laptops.laptop(actor);

  /** Two approved laptops and one incident alice opened and shared, known to both. */
  async function sharedIncident(severity: 'critical' | 'high' = 'high') {
    const team = `m${++teamNo}`;
    const a = laptop('alice');
    const b = laptop('bob');
    await a.services.team.join(laptops.url, team);
    await b.services.team.join(laptops.url, team);
    await a.services.team.approve(b.services.devices.deviceId);
    const id = a.services.incidents.create({ title: 'Checkout errors', severity }).id;
    const uid = await a.services.team.share(id);
    await sync(a, b);
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;
    return { a, b, id, onB };
  }

  async function sync(...peers: { services: Services }[]) {
    for (let round = 0; round < 2; round++) for (const l of peers) await l.services.team.syncOnce();
  }

  const row = (s: Services, id: number) =>
    s.db
      .prepare<[number], Record<string, unknown>>('SELECT status, investigating_at, mitigated_at, resolved_at, closed_at FROM incidents WHERE id = ?')
      .get(id);

  it('a reopen written after a close wins over it on both laptops; later changes move it forward again', async () => {
    const { a, b, id, onB } = await sharedIncident();
    a.clock.set('2026-11-23T09:10:00.000Z');
    a.services.incidents.transition({ id, to: 'resolved', reason: 'rolled back' });
    await sync(a, b);
    expect(b.services.incidents.get(onB).status).toBe('resolved');

    // Apart: alice closes at 09:20; bob, who saw it resolved, reopens at 09:25.
    a.clock.set('2026-11-23T09:20:00.000Z');
    a.services.incidents.transition({ id, to: 'closed' });
    b.clock.set('2026-11-23T09:25:00.000Z');
    b.services.incidents.reopen(onB, 'errors are back');
    await sync(a, b);

    const expected = { status: 'investigating', investigating_at: '2026-11-23T09:25:00.000Z', mitigated_at: null, resolved_at: null, closed_at: null };
    expect(row(a.services, id)).toEqual(expected);
    expect(row(b.services, onB)).toEqual(expected);
    // Both the close and the reopen stay on the timeline, the reopen as its own entry.
    expect(a.services.timeline.list(id).filter((e) => e.kind.startsWith('status.')).map((e) => `${e.kind} ${String(e.data.to)}`)).toEqual([
      'status.changed resolved',
      'status.changed closed',
      'status.reopened investigating',
    ]);

    // The reopened incident is editable again on alice's laptop and resolves anew.
    a.clock.set('2026-11-23T09:40:00.000Z');
    a.services.incidents.transition({ id, to: 'resolved', reason: 'fixed for real' });
    await sync(a, b);
    expect(row(b.services, onB)).toMatchObject({ status: 'resolved', resolved_at: '2026-11-23T09:40:00.000Z', closed_at: null });
    expect(row(a.services, id)).toEqual(row(b.services, onB));
  });

  it('a close written after a remote reopen closes the incident again', async () => {
    const { a, b, id, onB } = await sharedIncident();
    a.clock.set('2026-11-23T09:10:00.000Z');
    a.services.incidents.transition({ id, to: 'resolved', reason: 'rolled back' });
    await sync(a, b);
    b.clock.set('2026-11-23T09:12:00.000Z');
    b.services.incidents.reopen(onB, 'not yet');
    a.clock.set('2026-11-23T09:30:00.000Z');
    // alice has not seen the reopen: her incident is still resolved, and she closes it later.
    a.services.incidents.transition({ id, to: 'closed' });
    await sync(a, b);
    expect(row(a.services, id)).toMatchObject({ status: 'closed', closed_at: '2026-11-23T09:30:00.000Z' });
    expect(row(b.services, onB)).toEqual(row(a.services, id));
  });

  it('refuses to reopen an open incident or without a reason', async () => {
    const a = laptop('alice');
    const id = a.services.incidents.create({ title: 'x', severity: 'low' }).id;
    expect(() => a.services.incidents.reopen(id, 'why')).toThrow(/is detected; only a resolved or closed incident can be reopened/);
    a.services.incidents.transition({ id, to: 'resolved', reason: 'quick' });
    expect(() => a.services.incidents.reopen(id, '  ')).toThrow(/say why/);
  });

  it('computes SLA clocks and metrics from remote pauses, resumes and status changes', async () => {
    const { a, b, id, onB } = await sharedIncident('critical');
    // bob pauses the clocks at 09:02 and resumes them at 09:12; alice never touches them.
    b.clock.set('2026-11-23T09:02:00.000Z');
    b.services.incidents.pauseSla(onB, 'waiting for the vendor');
    await sync(b, a);
    expect(a.services.incidents.get(id).pauses).toMatchObject([{ startedAt: '2026-11-23T09:02:00.000Z', endedAt: null, reason: 'waiting for the vendor' }]);
    expect(computeSlaClock(a.services.incidents.get(id), 'response', Date.parse('2026-11-23T09:05:00.000Z'))).toMatchObject({ paused: true, elapsedMs: 2 * 60_000 });

    b.clock.set('2026-11-23T09:12:00.000Z');
    b.services.incidents.resumeSla(onB);
    b.clock.set('2026-11-23T09:15:00.000Z');
    b.services.incidents.transition({ id: onB, to: 'acknowledged' });
    await sync(b, a);

    const onA = a.services.incidents.get(id);
    expect(onA.pauses).toMatchObject([{ startedAt: '2026-11-23T09:02:00.000Z', endedAt: '2026-11-23T09:12:00.000Z' }]);
    expect(onA.acknowledgedAt).toBe('2026-11-23T09:15:00.000Z');
    // 15 minutes to acknowledge, 10 of them paused: 5 minutes on the response clock, stopped.
    const now = Date.parse('2026-11-23T10:00:00.000Z');
    expect(computeSlaClock(onA, 'response', now)).toMatchObject({ elapsedMs: 5 * 60_000, stopped: true, paused: false });
    const metricsA = incidentMetrics(onA, now);
    const metricsB = incidentMetrics(b.services.incidents.get(onB), now);
    expect(metricsA.timeToAcknowledgeMs).toBe(15 * 60_000);
    expect(metricsA.response).toEqual(metricsB.response);
    expect(metricsA.recovery).toEqual(metricsB.recovery);
    // A pause alice cannot start twice: the merged one is open on her laptop too.
    b.clock.set('2026-11-23T09:20:00.000Z');
    b.services.incidents.pauseSla(onB, 'again');
    await sync(b, a);
    expect(() => a.services.incidents.pauseSla(id, 'me too')).toThrow(/already paused/);
  });

  it('announces a merged change (incidents.changed) so an open incident refreshes without a reload', async () => {
    const { a, b, id, onB } = await sharedIncident();
    const seen: string[] = [];
    const off = b.services.events.on('incidents.changed', ({ incident }) => seen.push(`${incident.id} ${incident.status} ${incident.timelineCount}`));
    a.clock.set('2026-11-23T09:03:00.000Z');
    a.services.incidents.transition({ id, to: 'acknowledged' });
    await sync(a, b);
    off();
    expect(seen).toEqual([`${onB} acknowledged ${b.services.timeline.list(onB).length}`]);
  });

  describe('CLI', () => {
    const h = useCliHarness();
    it('incident reopen ID --reason', async () => {
      await h.cli('incident', 'new', '--title', 'Queue stuck', '--severity', 'low');
      expect((await h.cli('incident', 'status', '1', 'resolved', '--reason', 'drained')).code).toBe(0);
      const missing = await h.cli('incident', 'reopen', '1');
      expect(missing.code).not.toBe(0);
      const done = await h.cli('incident', 'reopen', '1', '--reason', 'stuck again');
      expect(done).toMatchObject({ code: 0, out: 'Queue stuck: reopened, now investigating' });
      expect((await h.cli('timeline', '1')).out).toMatch(/reopened: resolved → investigating: stuck again/);
    });
  });
});
