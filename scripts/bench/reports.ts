// Report cost on a big incident: 10,000 timeline entries of which 1,000 are evidence.collected
// (one artifact each), the rest commands, alerts, runbook steps and notes. Baselines in the
// same run: reading the same rows with a plain SELECT (what any report must at least do) and
// Chromium printing a trivial page (launch + print, the fixed cost of every PDF).
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../electron/services/clock';
import { createServices } from '../../electron/services';
import { ChromiumPdfRenderer, ReportService } from '../../electron/services/reports';
import { findChromium } from '../../electron/services/reports/pdf';

const ms = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const mb = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10;

async function timed<T>(runs: number, fn: () => T | Promise<T>): Promise<{ ms: number; result: T }> {
  const times: number[] = [];
  let result!: T;
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    result = await fn();
    times.push(ms(start));
  }
  return { ms: Math.round(median(times) * 10) / 10, result };
}

export async function runReportsBench(options: { entries?: number; evidence?: number } = {}): Promise<Record<string, unknown>> {
  const total = options.entries ?? 10_000;
  const evidenceCount = options.evidence ?? 1_000;
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-reports-'));
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
  const services = createServices({ home, clock, identity: { actor: 'bench', host: 'bench-host' } });
  let peakRss = process.memoryUsage().rss;
  const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 5);
  try {
    const { id } = services.incidents.create({ title: 'Bench: 10k entries', severity: 'high', summary: 'A long incident', services: ['api'] });
    const requests = [];
    for (let i = 0; requests.length < total - 1; i++) {
      const k = i % 10;
      const at = { incidentId: id };
      if (k === 0 && requests.filter((r) => r.kind === 'evidence.collected').length < evidenceCount)
        requests.push({ ...at, kind: 'evidence.collected', data: { collectionId: i, collector: 'logs', artifacts: [{ id: i, name: `logs/host-${i}/app.log`, size: 1000 + i, sha256: createHash('sha256').update(String(i)).digest('hex') }] } });
      else if (k < 3) requests.push({ ...at, kind: 'command.finished', data: { command: `kubectl rollout status deploy/api-${i} --timeout=60s`, exitCode: i % 7 === 0 ? 1 : 0, durationMs: 1000 + i, hash: createHash('sha256').update(`t${i}`).digest('hex') } });
      else if (k < 5) requests.push({ ...at, kind: i % 4 ? 'alert.raised' : 'alert.cleared', data: { source: 'gauge', metric: 'cpu', subject: '', value: 80 + (i % 20), threshold: 85, unit: '%', message: `cpu ${80 + (i % 20)}%` } });
      else if (k < 6) requests.push({ ...at, kind: 'runbook.step', data: { runId: `r${Math.floor(i / 100)}`, runbookId: 'api-recovery', stepId: `s${i % 100}`, title: `Step ${i % 100}`, status: i % 3 ? 'done' : 'skipped', reason: 'not needed' } });
      else requests.push({ ...at, kind: 'note', data: { text: `observation ${i}: error rate ${i % 50}% with password=hunter${i}` } });
    }
    for (let i = 0; i < requests.length; i += 1000) services.timeline.appendMany(requests.slice(i, i + 1000));
    const entries = services.timeline.list(id).length;

    const reports = services.reports;
    const baselineSelect = await timed(5, () => services.db.prepare('SELECT * FROM timeline WHERE incident_id = ? ORDER BY seq').all(id).length);
    const baselineSelectParse = await timed(5, () => services.db.prepare<[number], { data: string }>('SELECT * FROM timeline WHERE incident_id = ? ORDER BY seq').all(id).map((r) => JSON.parse(r.data) as unknown).length);
    const md = await timed(5, () => reports.render({ incidentId: id, template: 'incident-report', format: 'md', redact: true }));
    const mdPostmortem = await timed(5, () => reports.render({ incidentId: id, template: 'postmortem', format: 'md', redact: true }));
    const html = await timed(5, () => reports.render({ incidentId: id, template: 'incident-report', format: 'html', redact: true }));
    const rssAfterText = process.memoryUsage().rss;

    const result: Record<string, unknown> = {
      entries,
      evidenceItems: evidenceCount,
      baselinePlainSelectMs: baselineSelect.ms,
      baselineSelectAndParseMs: baselineSelectParse.ms,
      markdownMs: md.ms,
      markdownPostmortemMs: mdPostmortem.ms,
      htmlMs: html.ms,
      markdownBytes: md.result.text.length,
      htmlBytes: html.result.text.length,
      textTarget: '< 1000 ms',
      textOk: Math.max(md.ms, mdPostmortem.ms, html.ms) < 1000,
      redactionMatches: md.result.redaction.matches,
    };

    const chromium = findChromium();
    if (chromium) {
      const renderer = new ChromiumPdfRenderer();
      const trivial = await timed(3, () => renderer.render('<!doctype html><p>hello</p>', { paper: 'A4', title: 'trivial' }));
      const file = path.join(home, 'bench.pdf');
      const pdf = await timed(3, () => reports.save({ incidentId: id, template: 'incident-report', format: 'pdf', paper: 'A4', redact: true, path: file }));
      const pmFile = path.join(home, 'bench-pm.pdf');
      const pdfPm = await timed(3, () => reports.save({ incidentId: id, template: 'postmortem', format: 'pdf', paper: 'A4', redact: true, path: pmFile }));
      let pages: number | undefined;
      try {
        pages = Number(/Pages:\s+(\d+)/.exec(execFileSync('pdfinfo', [file], { encoding: 'utf8' }))?.[1]);
      } catch {
        pages = undefined;
      }
      Object.assign(result, {
        baselineTrivialPdfMs: trivial.ms,
        pdfMs: pdf.ms,
        pdfPostmortemMs: pdfPm.ms,
        pdfBytes: pdf.result.bytes,
        pdfPages: pages,
        pdfTarget: '< 3000 ms (Chromium launch included)',
        pdfOk: Math.max(pdf.ms, pdfPm.ms) < 3000,
      });
    } else result.pdf = 'skipped: no Chromium (set CHROMIUM_PATH)';

    clearInterval(sampler);
    Object.assign(result, {
      rssAfterTextMb: mb(rssAfterText),
      peakRssMb: mb(peakRss),
      maxRssMb: mb(process.resourceUsage().maxRSS * 1024),
      memoryNote: 'this process only (sampled every 5 ms); Chromium runs in its own processes; the condensed timeline and tables are capped (LIMITS in model.ts), so memory grows with the capped report, not the record',
    });
    return result;
  } finally {
    clearInterval(sampler);
    services.close();
    fs.rmSync(home, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === path.resolve(__filename)) {
  void runReportsBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
