// Gauge sampler cost at 1 Hz, as process CPU time over a fixed window, next to the cost of
// polling `ps` + /proc directly at the same rate. Target: ≤ 1 % of one core.
//
//   npx tsx scripts/bench/gauges.ts            (60 s per phase, prints JSON)
//   GAUGE_BENCH_SECONDS=20 GAUGE_BENCH_PHASES=sampler,direct-ps5 npx tsx scripts/bench/gauges.ts
//
// "self" is this process (process.cpuUsage); "children" is the CPU of child processes it
// spawned and reaped (ps, sh, cat, df…), from /proc/self/stat cutime+cstime, so a source that
// shells out cannot hide its cost there.

import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { systemClock } from '../../electron/services/clock';
import { createDefaultSource } from '../../electron/services/gauges/linux-source';
import { realScheduler } from '../../electron/services/gauges/scheduler';
import { GaugeService } from '../../electron/services/gauges/service';
import { SystemInformationSource } from '../../electron/services/gauges/si-source';
import type { MetricSource } from '../../electron/services/gauges/types';

const PHASES = ['sampler', 'sampler-systeminformation', 'direct-ps5', 'direct-ps1'] as const;
type Phase = (typeof PHASES)[number];

interface CpuPoint {
  wall: number;
  self: number;
  children: number;
}

function readChildrenMs(): number {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(f[13]) + Number(f[14])) * 1000) / 100; // cutime + cstime, USER_HZ = 100
  } catch {
    return 0; // not Linux: children unknown
  }
}

function point(): CpuPoint {
  const u = process.cpuUsage();
  return { wall: performance.now(), self: (u.user + u.system) / 1000, children: readChildrenMs() };
}

const WARMUP_MS = 6_000;
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
const pct = (cpuMs: number, wallMs: number) => Math.round((cpuMs / wallMs) * 100 * 1000) / 1000;

async function measure(seconds: number, body: () => Promise<() => void | Promise<void>>): Promise<Record<string, number>> {
  const stopBody = await body();
  // Warm-up outside the window: the source's first reads, JIT, the first disk/process refresh.
  await sleep(WARMUP_MS);
  const a = point();
  await sleep(seconds * 1000);
  const b = point();
  await stopBody();
  const wall = b.wall - a.wall;
  const self = b.self - a.self;
  const children = b.children - a.children;
  return {
    seconds: Math.round(wall) / 1000,
    selfCpuMs: Math.round(self),
    childrenCpuMs: Math.round(children),
    selfPercentOfOneCore: pct(self, wall),
    childrenPercentOfOneCore: pct(children, wall),
    totalPercentOfOneCore: pct(self + children, wall),
  };
}

async function samplerPhase(seconds: number, source: MetricSource): Promise<Record<string, number>> {
  let samples = 0;
  const service = new GaugeService({ source, clock: systemClock, scheduler: realScheduler, onAlert: () => undefined, activeIncident: () => null });
  const result = await measure(seconds, async () => {
    await service.start();
    service.onUpdate(() => samples++);
    return () => service.stop();
  });
  return { ...result, samples, errors: service.stats().errors };
}

function execPs(): Promise<void> {
  return new Promise((resolve) => {
    execFile('ps', ['-eo', 'pid,pcpu,pmem,rss,comm', '--sort=-pcpu'], { maxBuffer: 4 * 1024 * 1024 }, (_error, stdout) => {
      stdout.split('\n').slice(1, 11); // what a caller would keep
      resolve();
    });
  });
}

/** The hand-rolled alternative: read the /proc files every second, spawn ps every `psEverySec`. */
async function directPhase(seconds: number, psEverySec: number): Promise<Record<string, number>> {
  let ticks = 0;
  let psRuns = 0;
  const read = () => {
    for (const file of ['/proc/stat', '/proc/meminfo', '/proc/diskstats', '/proc/net/dev', '/proc/loadavg']) {
      try {
        fs.readFileSync(file, 'utf8').split('\n');
      } catch {
        // not Linux
      }
    }
  };
  const result = await measure(seconds, async () => {
    const timer = setInterval(() => {
      read();
      if (ticks % psEverySec === 0) {
        psRuns++;
        void execPs();
      }
      ticks++;
    }, 1000);
    return async () => {
      clearInterval(timer);
      await sleep(200); // let the last ps be reaped
    };
  });
  return { ...result, ticks, psRuns };
}

export async function runGaugeBench(): Promise<Record<string, unknown>> {
  const seconds = Number(process.env.GAUGE_BENCH_SECONDS ?? 60);
  const wanted = (process.env.GAUGE_BENCH_PHASES ?? PHASES.join(','))
    .split(',')
    .map((s) => s.trim())
    .filter((s): s is Phase => (PHASES as readonly string[]).includes(s));
  const phases: Record<string, unknown> = {};
  // One-time process warm-up (module initialisation, first GC) so the first phase is not penalised.
  await directPhase(2, 5);
  for (const phase of wanted) {
    switch (phase) {
      case 'sampler':
        phases[phase] = { description: 'GaugeSampler, default source (Linux: /proc + statfs), 1 Hz, disks every 10 s, processes every 5 s', ...(await samplerPhase(seconds, createDefaultSource())) };
        break;
      case 'sampler-systeminformation':
        phases[phase] = { description: 'GaugeSampler with the systeminformation source, same schedule', ...(await samplerPhase(seconds, new SystemInformationSource())) };
        break;
      case 'direct-ps5':
        phases[phase] = { description: 'read /proc/{stat,meminfo,diskstats,net/dev,loadavg} every 1 s, spawn ps every 5 s', ...(await directPhase(seconds, 5)) };
        break;
      case 'direct-ps1':
        phases[phase] = { description: 'read the same /proc files and spawn ps every 1 s', ...(await directPhase(seconds, 1)) };
        break;
    }
  }
  const sampler = phases.sampler as { selfPercentOfOneCore?: number; totalPercentOfOneCore?: number } | undefined;
  return {
    name: 'gauges',
    targetPercentOfOneCore: 1,
    ...(sampler?.selfPercentOfOneCore !== undefined
      ? { samplerSelfPercentOfOneCore: sampler.selfPercentOfOneCore, samplerTotalPercentOfOneCore: sampler.totalPercentOfOneCore, withinTarget: sampler.selfPercentOfOneCore <= 1 }
      : {}),
    machine: { platform: process.platform, cpus: os.cpus().length, node: process.version, loadavg: os.loadavg().map((n) => Math.round(n * 100) / 100) },
    phases,
  };
}

const invokedDirectly = typeof process.argv[1] === 'string' && /scripts[\\/]bench[\\/]gauges\.(ts|js|mjs|cjs)$/.test(process.argv[1]);
if (invokedDirectly) {
  runGaugeBench().then(
    (result) => {
      console.log(JSON.stringify(result, null, 2));
      process.exit(0);
    },
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
