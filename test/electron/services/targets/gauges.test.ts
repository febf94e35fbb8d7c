import { Readable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { parseRulesConfig } from '../../../../shared/gauge-rules';
import { systemClock } from '../../../../electron/services/clock';
import type { Cancel, Scheduler } from '../../../../electron/services/gauges/scheduler';
import { TargetGauges } from '../../../../electron/services/targets/gauges';
import { FrameParser, parseDf, RemoteProcSource, sampleOnce } from '../../../../electron/services/targets/remote-source';
import type { Target } from '../../../../electron/services/targets/target';
import { sshdAvailable } from '../../../support/sshd';
import { targetHarness, type TargetHarness } from './harness';

/** Timers fired by the test (no waiting on the wall clock for the sampler's ticks). */
class StepScheduler implements Scheduler {
  private readonly timers = new Set<() => void>();
  setInterval(fn: () => void): Cancel {
    this.timers.add(fn);
    return () => this.timers.delete(fn);
  }
  setTimeout(fn: () => void): Cancel {
    const once = () => {
      this.timers.delete(once);
      fn();
    };
    this.timers.add(once);
    return () => this.timers.delete(once);
  }
  fire(): void {
    for (const fn of [...this.timers]) fn();
  }
}

/** A target whose gauge loop prints `text` and then stays up (no sshd: the frames are the subject). */
function scriptedTarget(text: string): Target {
  return {
    name: 'scripted',
    exec: async () => ({ stdout: Readable.from([Buffer.from(text)]), done: new Promise(() => undefined), kill: () => undefined }),
    origin: async () => ({ target: 'scripted', hostname: 'h', user: 'u', hostKeyFingerprint: null }),
    shellCommand: async () => ({ file: 'sh', args: [] }),
  };
}

describe('remote gauge frames', () => {
  it('the first sample takes its CPU% and rates from the prelude a moment before, not since boot nor a second later', async () => {
    const counters = (uptime: string, busy: number, idle: number, sectorsRead: number, rx: number) =>
      [
        `@@fb uptime\n${uptime} 100.00`,
        `@@fb stat\ncpu ${busy} 0 0 ${idle} 0 0 0 0`,
        `@@fb diskstats\n   8       0 sda 10 0 ${sectorsRead} 0 5 0 0 0 0 0 0`,
        `@@fb netdev\nInter-|   Receive\n face |bytes\n  eth0: ${rx} 0 0 0 0 0 0 0 0 0 0 0 0 0 0 0`,
      ].join('\n');
    const text = [
      `@@fb prelude\n${counters('1000.00', 1000, 9000, 0, 0)}\n@@fb end`,
      `${counters('1000.20', 1100, 9100, 400, 2000)}\n@@fb meminfo\nMemTotal: 1000 kB\nMemAvailable: 500 kB\n@@fb loadavg\n0.1 0.2 0.3 1/2 3\n@@fb end\n`,
    ].join('\n');
    // Both frames arrive in one chunk, at one laptop time: the server's uptime gives the interval.
    const source = new RemoteProcSource(scriptedTarget(text), () => 42);
    const seen = source.frames(2);
    await source.prime();
    await seen;
    const sample = await sampleOnce(source, 42);
    expect(sample.errors).toEqual([]);
    // 100 busy of 200 ticks between the two reads (since boot it would be 1100 of 10200).
    expect(sample.cpu!.total).toBe(50);
    // 400 sectors (204,800 bytes) and 2,000 bytes in 0.2 s.
    expect(sample.diskIo!.readBytesPerSec).toBe(1_024_000);
    expect(sample.network!.find((n) => n.iface === 'eth0')!.rxBytesPerSec).toBe(10_000);
    expect(sample.memory!.totalBytes).toBe(1000 * 1024);
    source.stop();
  });

  it('splits the loop output into frames, whatever the chunking', () => {
    let t = 0;
    const parser = new FrameParser(() => ++t);
    const text = '@@fb stat\ncpu 1 2 3 4\n@@fb loadavg\n0.5 0.4 0.3 1/2 3\n@@fb end\n@@fb stat\ncpu 2 3 4 5\n@@fb end\n';
    const frames = [...text].flatMap((c) => parser.push(c));
    expect(frames).toHaveLength(2);
    expect(frames[0]!.sections.get('loadavg')).toBe('0.5 0.4 0.3 1/2 3');
    expect(frames[1]!.sections.get('stat')).toBe('cpu 2 3 4 5');
  });

  it('reads df -P with and without the type column', () => {
    const typed = 'Filesystem Type 1024-blocks Used Available Capacity Mounted on\n/dev/sda1 ext4 1000 250 750 25% /\ntmpfs tmpfs 10 0 10 0% /run\n';
    expect(parseDf(typed)).toEqual([{ fs: '/dev/sda1', mount: '/', type: 'ext4', sizeBytes: 1024000, usedBytes: 256000, percent: 25 }]);
    const plain = 'Filesystem 1024-blocks Used Available Capacity Mounted on\n/dev/vda1 1000 500 500 50% /srv/my data\n';
    expect(parseDf(plain)[0]).toMatchObject({ mount: '/srv/my data', percent: 50 });
  });
});

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('gauges of a remote target (real sshd)', () => {
  let h: TargetHarness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('reads CPU, memory, load, disks, I/O and network from /proc through one long-lived session', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const source = new RemoteProcSource(h.targets.ssh('fbtest'));
    await source.prime();
    await source.frames(2);
    const sample = await sampleOnce(source, systemClock.now());
    source.stop();
    expect(sample.errors).toEqual([]);
    expect(sample.cpu!.total).toBeGreaterThanOrEqual(0);
    expect(sample.cpu!.total).toBeLessThanOrEqual(100);
    expect(sample.memory!.totalBytes).toBeGreaterThan(0);
    expect(sample.load!.cores).toBeGreaterThan(0);
    expect(sample.diskIo).not.toBeNull();
    expect(Array.isArray(sample.network)).toBe(true);
  });

  it('alerts the incidents listing the target, naming the host, and says when it becomes unreachable and reachable again', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    h.targets.addToIncident(h.incidentId, 'fbtest');
    const scheduler = new StepScheduler();
    // A 0 % memory threshold makes the first sample cross it: the alert path without loading the machine.
    const config = parseRulesConfig({ version: 1, defaults: { hysteresis: 0, holdMs: 0, confirmMs: 0 }, rules: [{ id: 'memory.level', kind: 'level', metric: 'memory', warning: { value: 0, op: '>=' } }] });
    const rules = () => config;
    const gauges = new TargetGauges({ db: h.db, clock: systemClock, timeline: h.timeline, targets: h.targets, scheduler, rules, retryMs: 10 });
    const service = await gauges.start('fbtest');
    const alerts: string[] = [];
    service.onUpdate(() => alerts.push('sample'));
    scheduler.fire();
    await expect.poll(() => alerts.length).toBeGreaterThan(0);
    const raised = h.timeline.list(h.incidentId).find((e) => e.kind === 'alert.raised');
    expect(raised?.data).toMatchObject({ host: 'fbtest', metric: 'memory', to: 'warning' });

    h.sshd.dropConnections();
    await expect.poll(() => h!.timeline.list(h!.incidentId).some((e) => e.kind === 'target.unreachable'), { timeout: 20_000 }).toBe(true);
    const down = h.timeline.list(h.incidentId).find((e) => e.kind === 'target.unreachable')!;
    expect(down.data).toMatchObject({ host: 'fbtest' });
    expect(String(down.data.message)).toMatch(/fbtest|connection|closed|exit/i);
    // The server is still up (only the sessions were killed): the retry reconnects.
    await expect
      .poll(
        () => {
          scheduler.fire();
          return h!.timeline.list(h!.incidentId).some((e) => e.kind === 'target.reachable');
        },
        { timeout: 30_000, interval: 500 },
      )
      .toBe(true);
    gauges.close();
  });
});
