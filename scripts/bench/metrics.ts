// Scraping and evaluating 10,000 series at 1 Hz (issue 21): the CPU this process spends per
// second on poll() — fetch, parse, rates and quantiles, indicator bands and the risk rules —
// against the CPU of the HTTP fetch alone (fetch + read the body, nothing else), measured in
// the same run against the same exporter. The exporter is a separate process, so its own
// CPU is not counted. Target: poll() ≤ 2 % of one core.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createServices } from '../../electron/services';
import { snapshotOf } from '../../electron/services/metrics/derive';
import { parseExposition } from '../../electron/services/metrics/exposition';
import { createFetcher } from '../../electron/services/metrics/fetch';
import { indicatorFromScrapes } from '../../electron/services/metrics/indicators';
import { INDICATOR_IDS } from '../../shared/metrics';

const SECONDS = Number(process.env.BENCH_METRICS_SECONDS ?? 30);

// A child process serving 10,000 series in the shapes of seed 000's metrics (a histogram per
// endpoint, an error counter per endpoint and status, request counters per path/method/status),
// the counters moving every second.
const EXPORTER = `
const http = require('node:http');
const BUCKETS = ['0.05','0.1','0.2','0.3','0.4','0.5','1','2.5','5','10','+Inf'];
let tick = 0;
function body() {
  tick++;
  const out = [];
  out.push('# HELP api_response_time_seconds API response time', '# TYPE api_response_time_seconds histogram');
  for (let e = 0; e < 200; e++) {
    let c = 0;
    BUCKETS.forEach((le, i) => { c += tick * (i + 1); out.push('api_response_time_seconds_bucket{endpoint="/api/v1/r' + e + '",le="' + le + '"} ' + c); });
    out.push('api_response_time_seconds_sum{endpoint="/api/v1/r' + e + '"} ' + (tick * 12.5).toFixed(3));
    out.push('api_response_time_seconds_count{endpoint="/api/v1/r' + e + '"} ' + c);
  }
  out.push('# HELP api_errors_total Total API errors', '# TYPE api_errors_total counter');
  for (let e = 0; e < 200; e++) for (const s of ['500', '502', '503', '504']) out.push('api_errors_total{endpoint="/api/v1/r' + e + '",status="' + s + '"} ' + tick);
  out.push('# HELP database_connections Database connections', '# TYPE database_connections gauge');
  for (const d of ['neo4j', 'redis', 'chroma']) out.push('database_connections{db_type="' + d + '"} ' + (tick % 20));
  out.push('# HELP http_requests_total Requests', '# TYPE http_requests_total counter');
  const filler = 10000 - (out.length - 8);
  for (let i = 0; i < filler; i++) out.push('http_requests_total{path="/p' + (i % 500) + '",method="' + ['GET','POST','PUT','DELETE'][i % 4] + '",code="' + (200 + (i % 5)) + '",shard="' + Math.floor(i / 2000) + '"} ' + (tick * (i % 7 + 1)));
  return out.join('\\n') + '\\n';
}
const server = http.createServer((req, res) => { res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }); res.end(body()); });
server.listen(0, '127.0.0.1', () => process.stdout.write(String(server.address().port) + '\\n'));
`;

async function startExporter(): Promise<{ url: string; stop(): void }> {
  const child = spawn(process.execPath, ['-e', EXPORTER], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim())));
    child.once('exit', (code) => reject(new Error(`exporter exited ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}/metrics`, stop: () => child.kill() };
}

/** Runs `tick` once a second for SECONDS and returns this process's CPU as % of one core. */
async function cpuAt1Hz(tick: () => Promise<unknown>): Promise<{ cpuPercentOfOneCore: number; meanTickMs: number; ticks: number }> {
  await tick(); // warm-up (JIT, connection)
  const start = process.cpuUsage();
  const wallStart = process.hrtime.bigint();
  let busy = 0;
  for (let i = 0; i < SECONDS; i++) {
    const t0 = process.hrtime.bigint();
    await tick();
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    busy += ms;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1000 - ms)));
  }
  const used = process.cpuUsage(start);
  const wallMs = Number(process.hrtime.bigint() - wallStart) / 1e6;
  return { cpuPercentOfOneCore: Math.round(((used.user + used.system) / 1000 / wallMs) * 100 * 1000) / 1000, meanTickMs: Math.round((busy / SECONDS) * 100) / 100, ticks: SECONDS };
}

export async function runMetricsBench(): Promise<Record<string, unknown>> {
  const exporter = await startExporter();
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-metrics-'));
  const services = createServices({ home, identity: { actor: 'bench', host: 'bench' } });
  try {
    services.metrics.addSource({ name: 'bench', kind: 'scrape', url: exporter.url });
    const probe = await fetch(exporter.url);
    const body = await probe.text();
    const series = body.split('\n').filter((line) => line && !line.startsWith('#')).length;
    // Baseline: the HTTP fetch alone, with the fetcher poll() uses (request, whole body as text).
    const fetchText = createFetcher();
    const fetchOnly = await cpuAt1Hz(() => fetchText(exporter.url, { timeoutMs: 5_000 }));
    // The real thing: fetch, parse, derive, classify, evaluate the risk rules.
    const poll = await cpuAt1Hz(() => services.metrics.poll());
    const view = services.metrics.evaluate();
    // The laptop-side work alone, on two real pages: parse (keeping the indicators' series),
    // index, rates and quantiles — CPU ms per scrape, without the HTTP or the timers around it.
    const pages = [(await fetchText(exporter.url, { timeoutMs: 5_000 })).body, (await fetchText(exporter.url, { timeoutMs: 5_000 })).body];
    const keep = new Set(['api_errors_total', 'api_response_time_seconds_count', 'api_response_time_seconds_bucket', 'database_connections', 'database_query_time_seconds_bucket']);
    const config = services.metrics.config.load();
    const once = () => {
      const a = snapshotOf(parseExposition(pages[0]!, 'text', keep), 0);
      const b = snapshotOf(parseExposition(pages[1]!, 'text', keep), 1_000);
      for (const id of INDICATOR_IDS) indicatorFromScrapes(config, id, a, b);
    };
    for (let i = 0; i < 10; i++) once();
    const cpu0 = process.cpuUsage();
    for (let i = 0; i < 50; i++) once();
    const cpu = process.cpuUsage(cpu0);
    // Two pages per iteration: per scrape is half.
    const parseAndDeriveMsPerScrape = Math.round(((cpu.user + cpu.system) / 1000 / 50 / 2) * 100) / 100;
    return {
      series,
      bodyBytes: Buffer.byteLength(body),
      seconds: SECONDS,
      fetchOnly,
      poll,
      parseAndEvaluatePercent: Math.round((poll.cpuPercentOfOneCore - fetchOnly.cpuPercentOfOneCore) * 1000) / 1000,
      parseAndDeriveMsPerScrape,
      loadAverage: os.loadavg().map((l) => Math.round(l * 100) / 100),
      targetPercent: 2,
      withinTarget: poll.cpuPercentOfOneCore <= 2,
      sampleReading: view.readings.map((r) => `${r.id}=${r.value === null ? r.reason : r.value.toFixed(2)}`),
    };
  } finally {
    services.close();
    exporter.stop();
    fs.rmSync(home, { recursive: true, force: true });
  }
}
