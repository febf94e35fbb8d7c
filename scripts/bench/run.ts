// `npm run bench [-- name…]`: runs the benchmarks (all, or the named ones) and writes
// bench/results.json. Each benchmark measures its own baseline in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

type Bench = () => Promise<Record<string, unknown>>;

const BENCHES: Record<string, () => Promise<Bench>> = {
  timeline: async () => (await import('./timeline')).runTimelineBench,
  // `timeline verify` of 1,000,000 entries (VERIFY_ENTRIES to change), streamed, vs reading every row and vs loading the table; anchored vs plain appends (~1 min).
  'timeline-verify': async () => (await import('./timeline-verify')).runTimelineVerifyBench,
  'host-start': async () => (await import('./host-start')).runHostStartBench,
  // Four 60 s phases (sampler, sampler on systeminformation, direct /proc + ps every 5 s and every 1 s): ~4.5 min.
  gauges: async () => (await import('./gauges')).runGaugeBench,
  // 10,000 entries / 1,000 evidence items: Markdown, HTML and PDF against a plain SELECT and a trivial Chromium print (~25 s).
  reports: async () => (await import('./reports')).runReportsBench,
  // pty → consumer with acks (cat 200 MB vs /dev/null) and Ctrl-C under `yes` (~1 min).
  terminals: async () => (await import('./terminals')).runTerminalBench,
  // The same cat rendered by xterm.js in headless Chromium through the browser host, Ctrl-C typed in the page (~1 min).
  'terminal-render': async () => (await import('./terminal-render')).runTerminalRenderBench,
  // 1 GiB of logs as one file and as 10,000 files: collect vs hash-only vs cp -r + sha256sum, 3 runs each (~3 min).
  evidence: async () => (await import('./evidence')).runEvidenceBench,
  // 400 generated alert-runbook-style Markdown files: lint vs just reading them (~10 s).
  'runbook-lint': async () => (await import('./runbook-lint')).runRunbookLintBench,
  // 100,000-entry timeline, 10,000 artifacts, 10,000 incidents vs 100 of each, in Chromium via the browser host (~2 min).
  lists: async () => (await import('./lists')).runListsBench,
  // The System screen's alert history with 100,000 alerts vs 100: first rows, DOM rows, heap, scroll frames (~30 s).
  'alert-history': async () => (await import('./alert-history')).runAlertHistoryBench,
  // Escalation state (with trigger check) and an update draft on a 100,000-entry incident vs 100 entries and vs a newest-page read (~20 s).
  escalation: async () => (await import('./escalation')).runEscalationBench,
  // 10,000 series scraped and evaluated at 1 Hz (poll: parse, rates, quantiles, bands, risk rules) vs the HTTP fetch alone, 30 s each (~1 min).
  metrics: async () => (await import('./metrics')).runMetricsBench,
  // A generated 2 GiB log (LOG_SCAN_MIB to change): collect --grep / --since vs Node SHA-256 alone, GNU grep and a plain collect, peak RSS, best of 3 (~3 min).
  'log-scan': async () => (await import('./log-scan')).runLogScanBench,
  // 1 GiB from a target over loopback SSH (real sshd) vs ssh cat | sha256sum on the same connection, 3 rounds each; first remote gauge sample, 30 s of remote-gauge CPU (~3–6 min).
  targets: async () => (await import('./targets')).runTargetsBench,
  // Team mode on loopback Redis: append on vs off, 10,000-entry catch-up vs XRANGE, sync lag at 100 entries/s vs bare XADD→XREAD (~30 s).
  team: async () => (await import('./team')).runTeamBench,
};

async function main(): Promise<void> {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !(name in BENCHES));
  if (unknown.length) throw new Error(`unknown benchmark ${unknown.join(', ')}; choose from ${Object.keys(BENCHES).join(', ')}`);
  const names = wanted.length ? wanted : Object.keys(BENCHES);
  const file = path.resolve(__dirname, '../../bench/results.json');
  const previous = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as { results?: Record<string, unknown> }) : {};
  const results: Record<string, unknown> = { ...(previous.results ?? {}) };
  for (const name of names) {
    process.stderr.write(`bench: ${name}…\n`);
    const run = await BENCHES[name]!();
    results[name] = { measuredAt: new Date().toISOString(), ...(await run()) };
    console.log(name, JSON.stringify(results[name], null, 2));
  }
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify({ machine: { cpus: os.cpus().length, cpu: os.cpus()[0]?.model, node: process.version }, results }, null, 2)}\n`);
  process.stderr.write(`bench: wrote ${path.relative(process.cwd(), file)}\n`);
}

main().catch((error: unknown) => {
  console.error('bench:', error instanceof Error ? error.message : error);
  process.exit(1);
});
