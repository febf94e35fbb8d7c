// Team mode (issue 16), on loopback against a real redis-server, each with its baseline in
// the same run: a local append with team mode on (device chain + signature, an incident
// shared, sync running) vs the same app with team mode off (a profile that never joined, its
// own incident), and vs the bare timeline service on the team profile's database; a 10,000-entry catch-up vs
// reading the same stream with XRANGE and vs the same catch-up verifying on the main thread; sync lag laptop → laptop at 100 entries/s vs a bare
// XADD → blocking XREAD at the same rate.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { systemClock } from '../../electron/services/clock';
import { createServices, type Services } from '../../electron/services';
import { MemorySecretStore } from '../../electron/services/probes/secret-store';
import { TeamSync } from '../../electron/services/team';
import { keys } from '../../electron/services/team/wire';
import { TimelineService } from '../../electron/services/timeline';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Number(s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))]!.toFixed(2));
};

async function startRedis(): Promise<{ port: number; stop: () => void }> {
  const probe = net.createServer();
  await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise<void>((r) => probe.close(() => r()));
  const env = { ...process.env };
  delete env.LD_PRELOAD; // faketime breaks redis-server (test/support/server-env.ts)
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore', env });
  const client = new Redis({ port, host: '127.0.0.1', retryStrategy: () => 50 });
  client.on('error', () => undefined); // refused until redis-server listens; ping waits for it
  await client.ping();
  client.disconnect();
  return { port, stop: () => child.kill('SIGTERM') };
}

export async function runTeamBench(): Promise<Record<string, unknown>> {
  const redis = await startRedis();
  const url = `redis://127.0.0.1:${redis.port}`;
  const dirs: string[] = [];
  const opened: Services[] = [];
  const laptop = (actor: string, secrets = new MemorySecretStore()) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), `firebreak-bench-team-${actor}-`));
    dirs.push(dir);
    const s = createServices({ home: dir, clock: systemClock, identity: { actor, host: actor }, secrets });
    opened.push(s);
    return s;
  };
  try {
    const a = laptop('alice');
    const b = laptop('bob');
    await a.team.join(url, 'bench');
    await b.team.join(url, 'bench');
    await a.team.approve(b.devices.deviceId);

    // 1. Local append, team mode on vs off, alternating rounds on the same database.
    const incident = a.incidents.create({ title: 'append', severity: 'low' });
    await a.team.share(incident.id);
    a.team.start();
    const bare = new TimelineService(a.db, systemClock, a.identity);
    // Team mode off: the same app (device chain, anchors, listeners) in a profile that never joined.
    const solo = laptop('carol');
    const soloIncident = solo.incidents.create({ title: 'append', severity: 'low' });
    const on: number[] = [];
    const off: number[] = [];
    const bareTimes: number[] = [];
    const roundRatios: number[] = [];
    const appendOff = (text: string) => {
      const t = process.hrtime.bigint();
      solo.timeline.append({ incidentId: soloIncident.id, kind: 'note', data: { text } });
      return ms(t);
    };
    const appendBare = (text: string) => {
      const t = process.hrtime.bigint();
      bare.append({ incidentId: incident.id, kind: 'note', data: { text } });
      return ms(t);
    };
    const appendOn = (text: string) => {
      const t = process.hrtime.bigint();
      a.timeline.append({ incidentId: incident.id, kind: 'note', data: { text } });
      return ms(t);
    };
    for (let i = 0; i < 50; i++) appendOn(`warm ${i}`), appendOff(`warm ${i}`), appendBare(`warm ${i}`);
    // Interleaved pairs, the first of each pair alternating, so drift in machine load hits both
    // sides alike; 40 rounds of 50 pairs, medians (a busy machine's spikes land in the tails).
    for (let round = 0; round < 40; round++) {
      const roundOn: number[] = [];
      const roundOff: number[] = [];
      for (let i = 0; i < 50; i++) {
        if ((round + i) % 2 === 0) {
          roundOff.push(appendOff(`off ${round} ${i}`));
          roundOn.push(appendOn(`on ${round} ${i}`));
        } else {
          roundOn.push(appendOn(`on ${round} ${i}`));
          roundOff.push(appendOff(`off ${round} ${i}`));
        }
      }
      on.push(...roundOn);
      off.push(...roundOff);
      for (let i = 0; i < 10; i++) bareTimes.push(appendBare(`bare ${round} ${i}`));
      roundRatios.push(pct(roundOn, 50) / pct(roundOff, 50));
      await sleep(20); // let the push run between rounds, as it would between real writes
    }
    const append = {
      runs: on.length,
      teamOnMedianMs: pct(on, 50),
      teamOffMedianMs: pct(off, 50),
      ratio: Number((pct(on, 50) / pct(off, 50)).toFixed(3)),
      medianOfRoundRatios: Number(pct(roundRatios, 50).toFixed(3)),
      roundRatioP25: Number(pct(roundRatios, 25).toFixed(3)),
      roundRatioP75: Number(pct(roundRatios, 75).toFixed(3)),
      teamOnP99Ms: pct(on, 99),
      teamOffP99Ms: pct(off, 99),
      bareTimelineMedianMs: pct(bareTimes, 50),
    };
    await a.team.stop();

    // 2. Catch-up of 10,000 entries: one laptop offline while the other wrote them (a team of
    // its own, so the late laptops read exactly that backlog).
    const f = laptop('founder');
    await f.team.join(url, 'backlog');
    const big = f.incidents.create({ title: 'backlog', severity: 'low' });
    const uid = await f.team.share(big.id);
    f.timeline.appendMany(Array.from({ length: 9_999 }, (_, i) => ({ incidentId: big.id, kind: 'note', data: { text: `backlog ${i}` } })));
    let t = process.hrtime.bigint();
    await f.team.syncOnce();
    const pushMs = ms(t);
    const raw = new Redis({ port: redis.port, host: '127.0.0.1' });
    t = process.hrtime.bigint();
    let read = 0;
    for (let pos = '-'; ; ) {
      const page = (await raw.xrange(keys('backlog').stream(uid), pos, '+', 'COUNT', 1000)) as [string, string[]][];
      read += page.length;
      if (page.length < 1000) break;
      pos = `(${page.at(-1)![0]}`;
    }
    const xrangeMs = ms(t);
    // Signature checks on worker threads (the default) vs on the main thread, each on a fresh
    // laptop, alternating, twice: the same stream, the same run.
    const withWorkers: number[] = [];
    const inline: number[] = [];
    let merged = 0;
    for (let r = 0; r < 2; r++) {
      for (const mode of r % 2 === 0 ? (['workers', 'inline'] as const) : (['inline', 'workers'] as const)) {
        const secrets = new MemorySecretStore();
        const x = laptop(`late-${r}-${mode}`, secrets);
        const sync = mode === 'workers' ? x.team : new TeamSync({ db: x.db, clock: systemClock, secrets, devices: x.devices, timeline: x.timeline, events: x.events, verifyWorkers: 0 });
        await sync.join(url, 'backlog');
        await f.team.approve(x.devices.deviceId);
        t = process.hrtime.bigint();
        const round = await sync.syncOnce();
        (mode === 'workers' ? withWorkers : inline).push(Math.round(ms(t)));
        merged = round.merged;
        await sync.stop();
      }
    }
    const catchUp = { entries: read, merged, catchUpMs: withWorkers, catchUpInlineVerifyMs: inline, baselineXrangeMs: Math.round(xrangeMs), pushOf10kMs: Math.round(pushMs) };

    // 3. Sync lag at 100 entries/s for 10 s, both laptops running their loops.
    const lagIncident = a.incidents.create({ title: 'lag', severity: 'low' });
    const lagUid = await a.team.share(lagIncident.id);
    await a.team.syncOnce();
    await b.team.syncOnce();
    const sent = new Map<string, bigint>();
    const lags: number[] = [];
    b.events.on('timeline.appended', ({ entry }) => {
      const at = sent.get(String(entry.data.text));
      if (at !== undefined) lags.push(ms(at));
    });
    a.team.start();
    b.team.start();
    await sleep(500);
    for (let i = 0; i < 1000; i++) {
      sent.set(`lag ${i}`, process.hrtime.bigint());
      a.timeline.append({ incidentId: lagIncident.id, kind: 'note', data: { text: `lag ${i}` } });
      await sleep(10);
    }
    for (let wait = 0; lags.length < 1000 && wait < 100; wait++) await sleep(100);
    // Baseline: XADD → XREAD BLOCK on a bare stream at the same rate.
    const sub = new Redis({ port: redis.port, host: '127.0.0.1' });
    const baseLags: number[] = [];
    const stream = `bench:raw:${lagUid}`;
    let stop = false;
    const reader = (async () => {
      let pos = '$';
      while (!stop) {
        const reply = (await sub.xread('COUNT', 100, 'BLOCK', 200, 'STREAMS', stream, pos)) as [string, [string, string[]][]][] | null;
        for (const [, messages] of reply ?? []) {
          for (const [id, fields] of messages) {
            pos = id;
            baseLags.push(ms(BigInt(fields[1]!)));
          }
        }
      }
    })();
    await sleep(100);
    for (let i = 0; i < 1000; i++) {
      await raw.xadd(stream, '*', 't', String(process.hrtime.bigint()));
      await sleep(10);
    }
    await sleep(500);
    stop = true;
    await reader;
    sub.disconnect();
    raw.disconnect();
    const lag = { entries: 1000, delivered: lags.length, p50Ms: lags.length ? pct(lags, 50) : null, p99Ms: lags.length ? pct(lags, 99) : null, baselineXaddXreadP50Ms: pct(baseLags, 50), baselineXaddXreadP99Ms: pct(baseLags, 99) };
    return { append, catchUp, lag };
  } finally {
    for (const s of opened) {
      await s.team.stop();
      s.close();
    }
    redis.stop();
    for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  }
}
