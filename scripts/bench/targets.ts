// Remote targets (issue 13): 1 GiB of logs collected from a target over loopback SSH
// (streamed, hashed on the laptop in the same read that stores it, the server's own
// sha256sum compared) against `ssh target cat FILE | sha256sum` on the same ControlMaster
// connection (so the same cipher), alternating, in the same run. Also the peak RSS of the
// collecting process and the time from starting a target's gauges to its first sample.
// Then 10,000 small files (1 GiB in all) from a folder on the target, against
// `ssh target tar cf - DIR | tar xf -` followed by `sha256sum` of every extracted file.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { systemClock } from '../../electron/services/clock';
import { MIGRATIONS } from '../../electron/services/db/migrations';
import { openDatabase } from '../../electron/services/db/open';
import { RemoteEvidence } from '../../electron/services/evidence/remote';
import { EvidenceService } from '../../electron/services/evidence/service';
import { TargetGauges } from '../../electron/services/targets/gauges';
import { TargetService } from '../../electron/services/targets/service';
import { TimelineService } from '../../electron/services/timeline';
import { descendants, startSshd } from '../../test/support/sshd';

// TARGETS_BENCH_MIB changes the size (default 1 GiB).
/** utime+stime+cutime+cstime of the processes, in seconds (USER_HZ = 100). */
function cpuSeconds(pids: readonly number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
      const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
    } catch {
      // exited
    }
  }
  return ticks / 100;
}

const GIB = Number(process.env.TARGETS_BENCH_MIB ?? 1024) * (1 << 20);
const ROUNDS = Number(process.env.TARGETS_BENCH_ROUNDS ?? 3);
const FILES = Number(process.env.TARGETS_BENCH_FILES ?? 10_000);
/** `single,many,gauges` (default all): which parts run. */
const PARTS = new Set((process.env.TARGETS_BENCH_PARTS ?? 'single,many,gauges').split(','));
// TARGETS_BENCH_IN_PROCESS=0 skips the in-process rounds of the 10,000 files (the CLI rounds
// stay); TARGETS_BENCH_CLI_NODE_ARGS passes node flags to the CLI (diagnosis: --trace-gc, …).

/** FILES files of about GIB / FILES bytes each (log lines), in 100 sub-folders. */
function writeManyFiles(dir: string, total: number, count: number): void {
  const each = Math.floor(total / count);
  const lines: string[] = [];
  // A running length: joining in the loop condition made ~150 MB of garbage strings that
  // stayed in this process's RSS and counted in the collection's peak.
  for (let i = 0, length = 0; length < each + 200; i++) length += lines[lines.push(`2026-12-06T10:${String(i % 60).padStart(2, '0')}:00Z INFO request id=${i} status=200 ms=${i % 97}\n`) - 1]!.length;
  const block = Buffer.from(lines.join(''));
  for (let i = 0; i < count; i++) {
    const sub = path.join(dir, `d${i % 100}`);
    if (i < 100) fs.mkdirSync(sub, { recursive: true });
    // Distinct content per file (no deduplication in the store): a header line with the index.
    const head = Buffer.from(`file ${i}\n`);
    fs.writeFileSync(path.join(sub, `f${i}.log`), Buffer.concat([head, block.subarray(0, each - head.length)]));
  }
}

/** `ssh target tar cf - DIR | tar xf - -C OUT`, then sha256sum of every extracted file; the total and the two parts. */
async function tarBaseline(args: string[], dir: string, out: string): Promise<{ total: number; untar: number; sha256sum: number }> {
  fs.rmSync(out, { recursive: true, force: true });
  fs.mkdirSync(out, { recursive: true });
  const started = performance.now();
  await new Promise<void>((resolve, reject) => {
    const ssh = spawn('ssh', [...args, `tar cf - ${dir}`], { stdio: ['ignore', 'pipe', 'ignore'] });
    const untar = spawn('tar', ['xf', '-', '-C', out], { stdio: ['pipe', 'ignore', 'inherit'] });
    ssh.stdout.pipe(untar.stdin);
    untar.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`tar xf exited ${code}`))));
  });
  const untarred = performance.now();
  await new Promise<void>((resolve, reject) => {
    const sum = spawn('sh', ['-c', 'find . -type f -print0 | xargs -0 sha256sum >/dev/null'], { cwd: out, stdio: 'inherit' });
    sum.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`sha256sum exited ${code}`))));
  });
  const now = performance.now();
  return { total: now - started, untar: untarred - started, sha256sum: now - untarred };
}

/** The transport alone: `ssh target tar cf - DIR` into /dev/null (what no collector can beat). */
function tarTransfer(args: string[], dir: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const ssh = spawn('ssh', [...args, `tar cf - ${dir} 2>/dev/null`], { stdio: ['ignore', 'ignore', 'inherit'] });
    ssh.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`ssh tar cf exited ${code}`))));
  });
}

function writeLogFile(file: string, bytes: number): void {
  const lines: string[] = [];
  for (let i = 0, length = 0; length < 1 << 20; i++) length += lines[lines.push(`2026-12-06T10:${String(i % 60).padStart(2, '0')}:00Z INFO request id=${i} path=/api/v1/items/${(i * 7919) % 100000} status=200 ms=${i % 97}\n`) - 1]!.length;
  const block = Buffer.from(lines.join(''));
  const fd = fs.openSync(file, 'w');
  try {
    for (let written = 0; written < bytes; written += block.length) fs.writeSync(fd, block, 0, Math.min(block.length, bytes - written));
  } finally {
    fs.closeSync(fd);
  }
}

function baseline(args: string[], file: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const ssh = spawn('ssh', [...args, `cat ${file}`], { stdio: ['ignore', 'pipe', 'inherit'] });
    const sum = spawn('sha256sum', [], { stdio: ['pipe', 'ignore', 'inherit'] });
    ssh.stdout.pipe(sum.stdin);
    sum.on('exit', (code) => (code === 0 ? resolve(performance.now() - started) : reject(new Error(`sha256sum exited ${code}`))));
  });
}

export async function runTargetsBench(): Promise<Record<string, unknown>> {
  const sshd = await startSshd();
  sshd.trustHostKey();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-targets-'));
  const home = path.join(dir, 'home');
  const file = path.join(dir, 'big.log');
  const db = openDatabase(path.join(home, 'firebreak.db'), { migrations: MIGRATIONS });
  const identity = { actor: 'bench', host: os.hostname() };
  const timeline = new TimelineService(db, systemClock, identity);
  const evidence = new EvidenceService({ db, timeline, clock: systemClock, identity, home });
  const targets = new TargetService({ db, clock: systemClock, timeline, home, ssh: { configFile: sshd.config } });
  const remote = new RemoteEvidence(evidence, targets);
  try {
    if (PARTS.has('single')) writeLogFile(file, GIB);
    const now = new Date().toISOString();
    const incidentId = Number(db.prepare(`INSERT INTO incidents (title, severity, status, detected_at, created_at, updated_at) VALUES ('bench', 'high', 'investigating', ?, ?, ?)`).run(now, now, now).lastInsertRowid);
    targets.add('fbtest');
    const target = targets.ssh('fbtest');
    await target.connect();
    const sshArgs = [...(await target.baseArgs()), '-o', 'ControlMaster=no', '-T', '--', 'fbtest'];
    const firebreak: number[] = [];
    const base: number[] = [];
    let peakRss = process.memoryUsage().rss;
    for (let round = 0; round < (PARTS.has('single') ? ROUNDS : 0); round++) {
      base.push(await baseline(sshArgs, file));
      const timer = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 50);
      const started = performance.now();
      const result = await remote.collectFiles(incidentId, 'fbtest', { paths: [file] });
      firebreak.push(performance.now() - started);
      clearInterval(timer);
      const artifact = result.artifacts[0];
      if (result.collection.status !== 'complete' || artifact?.status !== 'ok' || artifact.size !== GIB) throw new Error(`collection ${result.collection.status}: ${result.collection.error ?? ""} ${artifact?.status} ${artifact?.detail}`);
      // Next round stores it again (the same content is deduplicated by hash otherwise).
      fs.rmSync(evidence.blobPath(artifact)!, { force: true });
    }
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    // 10,000 small files: Firebreak (batched tar streams, server sha256sum per file) against tar | tar + sha256sum.
    const many: number[] = [];
    const manyBase: number[] = [];
    const manyUntar: number[] = [];
    const manySha256sum: number[] = [];
    const manyTransfer: number[] = [];
    const manyListing: number[] = [];
    const manyCpu: number[] = [];
    const manyPeakRss: number[] = [];
    const manyRssAtStart: number[] = [];
    const manyCli: number[] = [];
    const manyCliBase: number[] = [];
    const manyCliPeakRss: number[] = [];
    let manySessions = 0;
    if (PARTS.has('many')) {
      const manyDir = path.join(dir, 'many');
      writeManyFiles(manyDir, GIB, FILES);
      const out = path.join(dir, 'extracted');
      const exec = target.exec.bind(target);
      let listingStarted = 0;
      target.exec = (script, options) => {
        // The first session of a collection is the listing; it is over when the first batch starts.
        if (manySessions++ === 0) listingStarted = performance.now();
        else if (manySessions === 2) manyListing.push(performance.now() - listingStarted);
        return exec(script, options);
      };
      for (let round = 0; round < (process.env.TARGETS_BENCH_IN_PROCESS === '0' ? 0 : ROUNDS); round++) {
        manyTransfer.push(await tarTransfer(sshArgs, manyDir));
        const b = await tarBaseline(sshArgs, manyDir, out);
        manyBase.push(b.total);
        manyUntar.push(b.untar);
        manySha256sum.push(b.sha256sum);
        fs.rmSync(out, { recursive: true, force: true });
        manySessions = 0;
        let peak = process.memoryUsage().rss;
        manyRssAtStart.push(peak);
        const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
        const cpu0 = process.cpuUsage();
        const started = performance.now();
        const result = await remote.collectFiles(incidentId, 'fbtest', { paths: [manyDir], ...(process.env.TARGETS_BENCH_CONCURRENCY ? { concurrency: Number(process.env.TARGETS_BENCH_CONCURRENCY) } : {}) });
        many.push(performance.now() - started);
        const cpu = process.cpuUsage(cpu0);
        manyCpu.push((cpu.user + cpu.system) / 1e6);
        clearInterval(timer);
        manyPeakRss.push(peak);
        const bad = result.artifacts.filter((a) => a.status !== 'ok');
        if (result.collection.status !== 'complete' || result.artifacts.length !== FILES || bad.length) throw new Error(`many files: ${result.collection.status} ${result.artifacts.length} artifacts, ${bad.length} not ok: ${bad[0]?.detail}`);
        for (const a of result.artifacts) fs.rmSync(evidence.blobPath(a)!, { force: true });
      }
      target.exec = exec;
      // The same collection as the operator runs it: the built CLI in a process of its own, so
      // its peak RSS is Firebreak's alone (this process also holds tsx, the setup's garbage and
      // the rounds above). Timed against the same baseline; its start-up (~0.4 s) counts. Its
      // default output (the artifact table), as an operator reads it.
      const cli = path.resolve(__dirname, '../../out/main/cli.js');
      if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
      const bin = path.resolve(__dirname, '../../bin/firebreak.mjs');
      const env = { ...process.env, FIREBREAK_HOME: home, FIREBREAK_SSH_CONFIG: sshd.config };
      for (let round = 0; round < ROUNDS; round++) {
        const b = await tarBaseline(sshArgs, manyDir, out);
        manyCliBase.push(b.total);
        fs.rmSync(out, { recursive: true, force: true });
        const run = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M', process.execPath, ...(process.env.TARGETS_BENCH_CLI_NODE_ARGS ?? '').split(' ').filter(Boolean), bin, 'collect', String(incidentId), '--target', 'fbtest', '--files', manyDir], { env, encoding: 'utf8', maxBuffer: 256 << 20 });
        const time = /TIME ([\d.]+) (\d+)/.exec(run.stderr);
        if (run.status !== 0 || !time) throw new Error(`CLI collect exited ${run.status}: ${run.stderr.slice(-2000)}`);
        manyCli.push(Number(time[1]) * 1000);
        manyCliPeakRss.push(Number(time[2]) * 1024);
        const stored = db.prepare<[number, number], { sha256: string }>("SELECT sha256 FROM evidence_artifacts WHERE incident_id = ? AND status = 'ok' ORDER BY id DESC LIMIT ?").all(incidentId, FILES);
        if (stored.length !== FILES) throw new Error(`CLI collect stored ${stored.length} artifacts`);
        // Next round stores them again.
        for (const a of stored) fs.rmSync(evidence.blobPath({ incidentId, sha256: a.sha256 } as Parameters<typeof evidence.blobPath>[0])!, { force: true });
      }
    }
    const manyFigures = PARTS.has('many')
      ? {
          manyFiles: FILES,
          manyFirebreakMs: many.map(Math.round),
          manyBaselineTarTarSha256sumMs: manyBase.map(Math.round),
          manyRatio: Number((median(many) / median(manyBase)).toFixed(2)),
          manyRatioBest: Number((Math.min(...many) / Math.min(...manyBase)).toFixed(2)),
          manySessions,
          // The operator's collection: the CLI in its own process (wall time with start-up, peak RSS from GNU time).
          manyCliMs: manyCli.map(Math.round),
          manyCliBaselineMs: manyCliBase.map(Math.round),
          manyCliRatio: Number((median(manyCli) / median(manyCliBase)).toFixed(2)),
          manyCliPeakRssMB: Math.round(Math.max(...manyCliPeakRss) / 1e6),
          manyCliPeakRssTarget: '< 200 MB',
          // This process: the harness's own memory (tsx, setup) included.
          manyPeakRssMB: Math.round(Math.max(...manyPeakRss) / 1e6),
          // Breakdown. Firebreak: the listing session, and this process's CPU seconds (ssh clients,
          // the ControlMaster and the server not included). Baseline: its two parts, and the
          // transport alone (`ssh tar cf - DIR >/dev/null`, no laptop work) for reference.
          // Per round: a later round starts from what the earlier ones left in this process.
          manyPeakRssPerRoundMB: manyPeakRss.map((r) => Math.round(r / 1e6)),
          manyRssAtStartMB: manyRssAtStart.map((r) => Math.round(r / 1e6)),
          manyListingMs: manyListing.map(Math.round),
          manyFirebreakCpuSeconds: manyCpu.map((c) => Number(c.toFixed(1))),
          manyBaselineUntarMs: manyUntar.map(Math.round),
          manyBaselineSha256sumMs: manySha256sum.map(Math.round),
          manyTransferOnlyMs: manyTransfer.map(Math.round),
        }
      : {};
    const singleFigures = PARTS.has('single')
      ? {
          firebreakMs: firebreak.map(Math.round),
          baselineSshCatSha256sumMs: base.map(Math.round),
          ratio: Number((median(firebreak) / median(base)).toFixed(2)),
          // The machine is shared: best against best is the least disturbed comparison.
          ratioBest: Number((Math.min(...firebreak) / Math.min(...base)).toFixed(2)),
          firebreakMBps: Math.round(GIB / 1e6 / (median(firebreak) / 1000)),
          baselineMBps: Math.round(GIB / 1e6 / (median(base) / 1000)),
          peakRssMB: Math.round(peakRss / 1e6),
        }
      : {};
    if (!PARTS.has('gauges')) return { bytes: GIB, rounds: ROUNDS, ...singleFigures, ...manyFigures, loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))) };
    // Time from adding a target to its first gauge sample (the budget: 2 s), as the
    // app does it (targets.add connects at once, the gauges start on the same connection),
    // against the bare SSH handshake (connect only) in the same run.
    await target.close();
    const handshakeStart = performance.now();
    await target.connect({ force: true });
    const connectMs = Math.round(performance.now() - handshakeStart);
    await targets.remove('fbtest');
    const gauges = new TargetGauges({ db, clock: systemClock, timeline, targets });
    const gaugeStart = performance.now();
    targets.add('fbtest');
    void targets.connect('fbtest');
    const service = await gauges.start('fbtest');
    const firstSampleMs = Math.round(performance.now() - gaugeStart);
    const sampled = gauges.latest('fbtest');
    if (!sampled?.sample.cpu || !sampled.sample.memory) throw new Error(`first sample incomplete: ${sampled?.sample.errors.join('; ')}`);
    // CPU of 1 Hz remote gauges over GAUGE_SECONDS: on the laptop this process (sampler,
    // rules, parsing) + its ssh session client + the ControlMaster (which does the crypto);
    // on the server the sshd session processes and the shell loop with its `sleep`s.
    const check = spawnSync('ssh', [...(await target.baseArgs()), '-O', 'check', '--', 'fbtest'], { encoding: 'utf8' });
    const master = Number(/pid=(\d+)/.exec(`${check.stdout}${check.stderr}`)?.[1] ?? 0);
    const laptopPids = () => [...descendants(process.pid), ...(master ? [master] : [])];
    const serverPids = () => (sshd.pid ? descendants(sshd.pid) : []);
    const gaugeSeconds = Number(process.env.GAUGE_SECONDS ?? 30);
    const cpu0 = process.cpuUsage();
    const laptop0 = cpuSeconds(laptopPids());
    const server0 = cpuSeconds(serverPids());
    await new Promise((r) => setTimeout(r, gaugeSeconds * 1000));
    const own = process.cpuUsage(cpu0);
    const laptopCpu = (own.user + own.system) / 1e6 + cpuSeconds(laptopPids()) - laptop0;
    const serverCpu = cpuSeconds(serverPids()) - server0;
    const samples = service.stats().samples;
    gauges.close();
    return {
      bytes: GIB,
      rounds: ROUNDS,
      ...singleFigures,
      ...manyFigures,
      gaugesFirstSampleMs: firstSampleMs,
      gaugesConnectOnlyMs: connectMs,
      gaugeSeconds,
      gaugeSamples: samples,
      // Percent of one core. The laptop figure includes this whole Node process (idle otherwise).
      gaugeLaptopCpuPercent: Number(((laptopCpu / gaugeSeconds) * 100).toFixed(2)),
      gaugeServerCpuPercent: Number(((serverCpu / gaugeSeconds) * 100).toFixed(2)),
      loadAverage: os.loadavg().map((l) => Number(l.toFixed(1))),
    };
  } finally {
    await targets.close();
    db.close();
    await sshd.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
