import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { GaugeSampler } from '../../../../electron/services/gauges/sampler';
import { ManualScheduler } from '../../../../electron/services/gauges/scheduler';
import { RingBuffer } from '../../../../electron/services/gauges/ring-buffer';
import { Downsampler } from '../../../../electron/services/gauges/downsample';
import { FakeSource } from './fake-source';

function setup(options = {}) {
  const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
  const scheduler = new ManualScheduler(clock);
  const source = new FakeSource();
  const sampler = new GaugeSampler(source, clock, scheduler, options);
  return { clock, scheduler, source, sampler };
}

describe('GaugeSampler', () => {
  it('samples at 1 Hz, disks every 10 s and processes every 5 s', async () => {
    const { scheduler, source, sampler } = setup();
    const seen: number[] = [];
    sampler.onSample((s) => seen.push(s.at));
    await sampler.start();
    await scheduler.advance(60_000);
    expect(seen.length).toBe(61); // the immediate first tick + 60
    expect(source.calls.cpu).toBe(61);
    expect(source.calls.fileSystems).toBe(7); // t=0,10,...,60
    expect(source.calls.processes).toBe(12);
    const last = sampler.latest()!;
    expect(last.cpu?.total).toBe(10);
    expect(last.disks?.[0]?.mount).toBe('/');
    expect(last.network?.[0]?.iface).toBe('eth0');
    expect(sampler.processes()?.reading.byCpu[0]?.pid).toBe(1);
    sampler.stop();
    expect(scheduler.pending).toBe(0);
  });

  it('keeps only the last 15 minutes in memory', async () => {
    const { scheduler, sampler } = setup();
    await sampler.start();
    await scheduler.advance(20 * 60_000);
    const recent = sampler.recent();
    expect(recent.length).toBeLessThanOrEqual(15 * 60 + 1);
    expect(recent.length).toBeGreaterThanOrEqual(15 * 60 - 1);
    expect(recent[recent.length - 1]!.at - recent[0]!.at).toBeLessThan(15 * 60_000);
    sampler.stop();
  });

  it('reports a failing reading as an error on the sample and keeps going', async () => {
    const { scheduler, source, sampler } = setup();
    source.failCpu = true;
    await sampler.start();
    await scheduler.advance(2000);
    const last = sampler.latest()!;
    expect(last.cpu).toBeNull();
    expect(last.memory?.percent).toBe(20);
    expect(last.errors).toEqual(['cpu: cpu unavailable']);
    sampler.stop();
  });

  it('never overlaps ticks when the source is slow', async () => {
    const { source, sampler } = setup();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow = source.cpu.bind(source);
    source.cpu = async () => {
      await gate;
      return slow();
    };
    const first = sampler.tick();
    expect(await sampler.tick()).toBeNull();
    release();
    expect(await first).not.toBeNull();
    expect(sampler.getStats().skipped).toBe(1);
  });
});

describe('RingBuffer', () => {
  it('keeps the newest items in order', () => {
    const ring = new RingBuffer<number>(3);
    for (let i = 1; i <= 5; i++) ring.push(i);
    expect(ring.toArray()).toEqual([3, 4, 5]);
    ring.dropWhile((n) => n < 4);
    expect(ring.toArray()).toEqual([4, 5]);
    expect(ring.last()).toBe(5);
  });
});

describe('Downsampler', () => {
  it('produces one-minute min/avg/max rows when a bucket closes', async () => {
    const { scheduler, source, sampler } = setup();
    const down = new Downsampler(60_000);
    const rows: ReturnType<Downsampler['flush']> = [];
    sampler.onSample((s) => {
      source.cpuValue = (source.cpuValue + 10) % 100;
      rows.push(...down.add(s));
    });
    await sampler.start();
    await scheduler.advance(59_000);
    expect(rows).toEqual([]);
    await scheduler.advance(1000);
    const cpu = rows.find((r) => r.metric === 'cpu')!;
    expect(cpu.samples).toBe(60);
    expect(cpu.bucketMs).toBe(60_000);
    expect(cpu.min).toBeLessThanOrEqual(cpu.avg);
    expect(cpu.avg).toBeLessThanOrEqual(cpu.max);
    expect(rows.find((r) => r.metric === 'disk')?.subject).toBe('/');
    expect(rows.find((r) => r.metric === 'net_rx')?.subject).toBe('eth0');
    sampler.stop();
  });
});

describe('OverridableSource', () => {
  it('forces CPU, memory and disk values on top of a real source', async () => {
    const { OverridableSource } = await import('../../../../electron/services/gauges/override-source');
    const source = new OverridableSource(new FakeSource());
    expect((await source.cpu()).total).toBe(10);
    source.override({ cpu: 99, memory: 95, disk: 97 });
    expect(await source.cpu()).toEqual({ total: 99, cores: [99, 99] });
    expect((await source.memory()).percent).toBe(95);
    expect((await source.fileSystems())[0]!.percent).toBe(97);
    source.override(null);
    expect((await source.memory()).percent).toBe(20);
  });
});
