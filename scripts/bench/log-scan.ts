// Big-log filtering benchmark (issue 20): a generated 2 GiB application log, warm cache.
// `firebreak collect --grep 'ERROR|CRITICAL'` and `--since <last minute>` (the built CLI, a
// fresh process each, with the store write, fsync and SQLite custody) against, in the
// same run: Node SHA-256 of the file alone (streamed, 1 MiB reads, a fresh process), GNU
// grep of the same pattern, and a plain collect of the whole file. Each job runs under /usr/bin/time for its peak RSS; the best of
// REPEATS runs counts. Also `--since A --until B` (a ten-minute window mid-file), `--level
// error`, and how fast a cancel is observed (in process: abort mid-scan, time until the
// collection stops, bytes read after the abort). The generated log is cached in
// os.tmpdir()/fb-bench-logscan-cache (same bytes every run: fixed start time, no randomness)
// so a second run skips the minute of writing it; delete that folder to reclaim the space.
//   npm run bench -- log-scan        (LOG_SCAN_MIB=256 for a smaller log while developing;
//   LOG_SCAN_ONLY=since,window,level,grep,whole,gnu,cancel runs only those beside SHA-256-only)
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { StoreSink } from '../../electron/services/evidence/cas';
import type { CollectionContext } from '../../electron/services/evidence/context';
import { filterLines, toFilters } from '../../electron/services/evidence/files';

const MIB = 1 << 20;
const REPEATS = 3;
/** The first line's time (fixed, so runs compare); --since asks for the minute before the last line. */
const START = Date.parse('2026-11-23T00:00:00Z');

/** Mostly INFO with some WARN, 1% ERROR, a few CRITICAL, an occasional stack trace, one line per 10 ms. */
function generate(file: string, bytes: number): { lines: number; last: number } {
  const fd = fs.openSync(file, 'w');
  let t = START;
  let written = 0;
  let lines = 0;
  let i = 0;
  try {
    while (written < bytes) {
      const parts: string[] = [];
      let size = 0;
      while (size < 4 * MIB) {
        const level = i % 100 === 0 ? 'ERROR' : i % 997 === 0 ? 'CRITICAL' : i % 9 === 0 ? 'WARN' : 'INFO';
        let line = `${new Date(t).toISOString()} ${level} [worker-${i % 16}] request ${i} handled in ${(i * 37) % 900} ms path=/api/v1/items/${i % 5000}\n`;
        if (i % 5000 === 0) line += '    at handler (/srv/app/server.js:120:15)\n    at process (/srv/app/queue.js:44:9)\n';
        parts.push(line);
        size += line.length;
        lines++;
        i++;
        t += 10;
      }
      const block = Buffer.from(parts.join(''));
      fs.writeSync(fd, block, 0, Math.min(block.length, bytes - written));
      written += Math.min(block.length, bytes - written);
    }
  } finally {
    fs.closeSync(fd);
  }
  return { lines, last: t - 10 };
}

interface Run {
  readonly seconds: number;
  /** User + system CPU of the process (all its threads): what the job costs whatever else the machine runs. */
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
  readonly stdout: string;
}

/** Runs a command under GNU time; returns wall time and the peak RSS of the process. */
function timed(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env): Run {
  const r = spawnSync('/usr/bin/time', ['-f', 'TIME %e %M %U %S', command, ...args], { env, encoding: 'utf8', maxBuffer: 64 * MIB });
  const m = /TIME ([\d.]+) (\d+) ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr);
  if (r.status !== 0 || !m) throw new Error(`${command} ${args.join(' ')} failed: ${r.stderr.slice(-500)}`);
  return { seconds: Number(m[1]), cpuSeconds: round(Number(m[3]) + Number(m[4])), peakRssMb: Math.round(Number(m[2]) / 1024), stdout: r.stdout };
}

function best(runs: Run[]): { seconds: number; cpuSeconds: number; peakRssMb: number; runs: number[] } {
  const fastest = runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
  return { seconds: fastest.seconds, cpuSeconds: Math.min(...runs.map((r) => r.cpuSeconds)), peakRssMb: Math.max(...runs.map((r) => r.peakRssMb)), runs: runs.map((r) => r.seconds) };
}

const HASH_ONLY = `
const fs = require('node:fs'); const crypto = require('node:crypto');
const h = crypto.createHash('sha256'); const fd = fs.openSync(process.argv[1], 'r'); const b = Buffer.allocUnsafe(1 << 20);
for (let p = 0, n; (n = fs.readSync(fd, b, 0, b.length, p)) > 0; p += n) h.update(b.subarray(0, n));
console.log(h.digest('hex'));
`;

/** The generated log for `mib`, written once and reused while its size matches. */
function cachedLog(mib: number): { log: string; lines: number; last: number } {
  const dir = path.join(os.tmpdir(), 'fb-bench-logscan-cache');
  fs.mkdirSync(dir, { recursive: true });
  const log = path.join(dir, `app-${mib}MiB-v1.log`);
  const meta = `${log}.json`;
  try {
    const m = JSON.parse(fs.readFileSync(meta, 'utf8')) as { lines: number; last: number; size: number };
    if (fs.statSync(log).size === m.size) return { log, lines: m.lines, last: m.last };
  } catch {
    // not there yet (or half written): generate it
  }
  process.stderr.write(`log-scan: generating ${mib} MiB…\n`);
  const { lines, last } = generate(log, mib * MIB);
  fs.writeFileSync(meta, JSON.stringify({ lines, last, size: fs.statSync(log).size }));
  return { log, lines, last };
}

/**
 * Cancel mid-scan, in this process: `filterLines` over the log with --since, aborted after
 * `afterMs`; the time from abort() until it stops, and the source bytes read after abort().
 */
async function cancelLatency(log: string, since: number, afterMs: number): Promise<{ latencyMs: number; bytesAfterAbort: number }> {
  const fd = fs.openSync(log, 'r');
  const controller = new AbortController();
  let bytes = 0;
  let atAbort = 0;
  const ctx = { signal: controller.signal, now: () => Date.now(), progress: (n: number) => void (bytes += n) } as unknown as CollectionContext;
  const sink = { write: async () => undefined } as unknown as StoreSink;
  try {
    let abortedAt = 0;
    setTimeout(() => {
      atAbort = bytes;
      abortedAt = performance.now();
      controller.abort();
    }, afterMs);
    await filterLines(ctx, fd, sink, fs.fstatSync(fd).size, toFilters({ since })).catch(() => undefined);
    return { latencyMs: round(performance.now() - abortedAt), bytesAfterAbort: bytes - atAbort };
  } finally {
    fs.closeSync(fd);
  }
}

export async function runLogScanBench(): Promise<Record<string, unknown>> {
  const mib = Number(process.env.LOG_SCAN_MIB ?? 2048);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-logscan-'));
  const cli = path.resolve(__dirname, '../../out/main/cli.js');
  if (!fs.existsSync(cli)) throw new Error(`${cli} is missing: run npm run build`);
  const runCli = (args: string[]) => ['-e', `require(${JSON.stringify(cli)}).runCli(process.argv.slice(1)).then((c) => process.exit(c))`, ...args];
  try {
    const { log, lines, last } = cachedLog(mib);
    const home = path.join(root, 'home');
    const env = { ...process.env, FIREBREAK_HOME: home };
    const incident = JSON.parse(timed(process.execPath, runCli(['incident', 'new', '--title', 'bench', '--severity', 'high', '--json']), env).stdout) as { id: number };
    // Warm the page cache (the file must fit in RAM for "warm" to mean anything).
    timed('sh', ['-c', 'cat "$0" > /dev/null', log]);
    // The last line written may be one of a 4 MiB block cut short: the minute before the block's end is close enough.
    const since = new Date(last - 60_000).toISOString();
    // A ten-minute window in the middle of the file: both bounds matter.
    const middle = START + Math.floor((last - START) / 2);
    const windowSince = new Date(middle).toISOString();
    const windowUntil = new Date(middle + 600_000).toISOString();
    const hashRuns: Run[] = [];
    const grepRuns: Run[] = [];
    const sinceRuns: Run[] = [];
    const gnuRuns: Run[] = [];
    const copyRuns: Run[] = [];
    const levelRuns: Run[] = [];
    const windowRuns: Run[] = [];
    let levelKept = 0;
    let windowKept = 0;
    let grepMatches = 0;
    let sinceKept = 0;
    const hits = path.join(root, 'hits.txt');
    const oneLine = path.join(root, 'one-line.log');
    fs.writeFileSync(oneLine, `${new Date(last).toISOString()} INFO one line\n`);
    const startRuns: Run[] = [];
    const only = process.env.LOG_SCAN_ONLY ? new Set(process.env.LOG_SCAN_ONLY.split(',')) : null;
    const wants = (job: string): boolean => !only || only.has(job);
    for (let r = 0; r < REPEATS; r++) {
      hashRuns.push(timed(process.execPath, ['-e', HASH_ONLY, log]));
      if (wants('grep')) {
        const g = timed(process.execPath, runCli(['collect', String(incident.id), '--files', log, '--grep', 'ERROR|CRITICAL', '--yes', '--json']), env);
        grepRuns.push(g);
        grepMatches = linesKept(g.stdout);
      }
      if (wants('since')) {
        const s = timed(process.execPath, runCli(['collect', String(incident.id), '--files', log, '--since', since, '--yes', '--json']), env);
        sinceRuns.push(s);
        sinceKept = linesKept(s.stdout);
      }
      if (wants('window')) {
        const w = timed(process.execPath, runCli(['collect', String(incident.id), '--files', log, '--since', windowSince, '--until', windowUntil, '--yes', '--json']), env);
        windowRuns.push(w);
        windowKept = linesKept(w.stdout);
      }
      if (wants('level')) {
        const l = timed(process.execPath, runCli(['collect', String(incident.id), '--files', log, '--level', 'error', '--yes', '--json']), env);
        levelRuns.push(l);
        levelKept = linesKept(l.stdout);
      }
      if (wants('whole')) copyRuns.push(timed(process.execPath, runCli(['collect', String(incident.id), '--files', log, '--yes', '--json']), env));
      if (wants('gnu')) gnuRuns.push(timed('sh', ['-c', `grep -E 'ERROR|CRITICAL' "$0" > "$1"`, log, hits]));
      // The same collect of a one-line log: what starting the CLI, its store and custody cost whatever the size.
      startRuns.push(timed(process.execPath, runCli(['collect', String(incident.id), '--files', oneLine, '--since', since, '--yes', '--json']), env));
    }
    const hash = best(hashRuns);
    // CPU against SHA-256-only: the work the filter adds, whether or not a second core was free.
    const cpu = (r: { cpuSeconds: number }) => round(r.cpuSeconds / hash.cpuSeconds);
    const start = best(startRuns);
    // vsSha256 is the target. netOfStartVsSha256 leaves out the CLI's fixed start (collectOneLine):
    // what the filter itself costs beside the hash, for reading the numbers, not for the target.
    const against = (runs: Run[], extra: Record<string, unknown> = {}) => {
      if (runs.length === 0) return undefined;
      const b = best(runs);
      return { ...extra, ...b, vsSha256: round(b.seconds / hash.seconds), netOfStartVsSha256: round((b.seconds - start.seconds) / hash.seconds), cpuVsSha256: cpu(b) };
    };
    const cancels: Array<{ latencyMs: number; bytesAfterAbort: number }> = [];
    if (wants('cancel')) for (let r = 0; r < REPEATS; r++) cancels.push(await cancelLatency(log, Date.parse(since), 300 + r * 200));
    return {
      logMiB: mib,
      lines,
      ...(only ? { only: [...only] } : {}),
      nodeSha256Only: hash,
      collectOneLine: start,
      collectGrep: against(grepRuns, { pattern: 'ERROR|CRITICAL', linesKept: grepMatches }),
      collectSince: against(sinceRuns, { since, linesKept: sinceKept }),
      collectSinceUntil: against(windowRuns, { since: windowSince, until: windowUntil, linesKept: windowKept }),
      // Every line's level is read (lines without one go with the line above), from bytes.
      collectLevelError: against(levelRuns, { linesKept: levelKept }),
      gnuGrep: gnuRuns.length ? { ...best(gnuRuns), matches: Number(execFileSync('wc', ['-l', hits], { encoding: 'utf8' }).trim().split(/\s+/)[0]) } : undefined,
      // The same CLI storing the whole file (hash + store write + fsync + custody): what any collect of it costs.
      collectWholeFile: against(copyRuns),
      // One 1 MiB read slot is the most read after abort(); the target is 100 ms.
      cancel: cancels.length ? { runs: cancels, worstLatencyMs: Math.max(...cancels.map((c) => c.latencyMs)), worstBytesAfterAbort: Math.max(...cancels.map((c) => c.bytesAfterAbort)) } : undefined,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

/** linesKept of the one derived artifact in `collect --json` output. */
function linesKept(stdout: string): number {
  const m = /"linesKept":\s*(\d+)/.exec(stdout);
  return m ? Number(m[1]) : -1;
}
