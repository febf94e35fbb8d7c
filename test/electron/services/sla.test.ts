import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computeSlaClocks, formatDuration } from '../../../shared/sla';
import { createFixture, type Fixture } from './fixtures';

const MIN = 60_000;

describe('SLA clocks (seed 004 targets)', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.cleanup());
  const clocks = (id: number) => computeSlaClocks(f.services.incidents.get(id), f.clock.now());

  it.each([
    ['critical', 15, 60],
    ['high', 30, 240],
    ['medium', 60, 480],
    ['low', 240, 1440],
  ] as const)('%s: respond within %i min, recover within %i min', (severity, response, recovery) => {
    const { id } = f.services.incidents.create({ title: 't', severity });
    const [r, c] = clocks(id);
    expect(r).toMatchObject({ kind: 'response', targetMs: response * MIN, remainingMs: response * MIN, level: 'ok' });
    expect(c).toMatchObject({ kind: 'recovery', targetMs: recovery * MIN, level: 'ok' });
  });

  it('turns amber under a quarter of the budget and red past it', () => {
    const { id } = f.services.incidents.create({ title: 't', severity: 'critical' });
    f.clock.advance(11 * MIN);
    expect(clocks(id)[0].level).toBe('ok');
    f.clock.advance(1.5 * MIN);
    expect(clocks(id)[0].level).toBe('warning');
    f.clock.advance(3 * MIN);
    expect(clocks(id)[0]).toMatchObject({ level: 'breached', remainingMs: -0.5 * MIN });
  });

  it('stops the response clock at acknowledgement and the recovery clock at mitigation', () => {
    const { id } = f.services.incidents.create({ title: 't', severity: 'critical' });
    f.clock.advance(10 * MIN);
    f.services.incidents.transition({ id, to: 'acknowledged' });
    f.clock.advance(30 * MIN);
    f.services.incidents.transition({ id, to: 'mitigated', reason: 'failed over before diagnosing' });
    f.clock.advance(10 * 60 * MIN);
    const [r, c] = clocks(id);
    expect(r).toMatchObject({ stopped: true, elapsedMs: 10 * MIN, level: 'ok' });
    expect(c).toMatchObject({ stopped: true, elapsedMs: 40 * MIN, level: 'ok' });
  });

  it('does not count paused time, and says it is paused', () => {
    const { id } = f.services.incidents.create({ title: 't', severity: 'high' });
    f.clock.advance(10 * MIN);
    f.services.incidents.pauseSla(id, 'waiting for the vendor');
    f.clock.advance(60 * MIN);
    expect(clocks(id)[0]).toMatchObject({ elapsedMs: 10 * MIN, paused: true });
    expect(() => f.services.incidents.pauseSla(id, 'again')).toThrow(/already paused/);
    f.services.incidents.resumeSla(id);
    f.clock.advance(5 * MIN);
    expect(clocks(id)[0]).toMatchObject({ elapsedMs: 15 * MIN, paused: false });
    expect(f.services.timeline.list(id).at(-1)!.data).toMatchObject({ pausedMs: 60 * MIN });
    expect(() => f.services.incidents.resumeSla(id)).toThrow(/not paused/);
  });

  it('writes each breach to the timeline exactly once, even with two watchers', () => {
    const { id } = f.services.incidents.create({ title: 't', severity: 'critical' });
    const cli = f.reopen();
    expect(f.services.sla.check()).toBe(0);
    f.clock.advance(16 * MIN);
    expect(f.services.sla.check() + cli.sla.check()).toBe(1);
    expect(f.services.sla.check() + cli.sla.check()).toBe(0);
    f.clock.advance(60 * MIN);
    expect(cli.sla.check() + f.services.sla.check()).toBe(1);
    const breaches = f.services.timeline.list(id).filter((e) => e.kind === 'sla.breached');
    expect(breaches.map((e) => e.data.clock)).toEqual(['response', 'recovery']);
    expect(breaches[0]!.data).toMatchObject({ breachedAt: '2026-11-23T09:15:00.000Z', targetMs: 15 * MIN });
  });

  it('does not breach a clock that stopped in time', () => {
    const { id } = f.services.incidents.create({ title: 't', severity: 'critical' });
    f.clock.advance(5 * MIN);
    f.services.incidents.transition({ id, to: 'acknowledged' });
    f.clock.advance(20 * MIN);
    f.services.sla.check();
    expect(f.services.timeline.list(id).some((e) => e.kind === 'sla.breached')).toBe(false);
  });

  it('formats durations for people', () => {
    expect(formatDuration(90_000)).toBe('1m 30s');
    expect(formatDuration(65 * MIN)).toBe('1h 05m');
    expect(formatDuration(-3 * MIN)).toBe('-3m 00s');
    expect(formatDuration(26 * 60 * MIN)).toBe('1d 02h');
  });
});
