// Long lists (issue 19), in headless Chromium through the browser host: each long case is
// measured against the same page with a short one in the same run, medians of RUNS.
// - timeline: 100,000 entries vs 100 — time to show the incident, time for an added note to
//   appear, JS heap after GC, frame times while jumping to the oldest entry and back and
//   while sweeping the list top → bottom → top.
// - evidence tab: 10,000 artifacts vs 100 — time to show the tab, heap, frames.
// - incident list: 10,000 incidents vs 100 — time to show the list, a new incident appearing,
//   heap, frames.
// Run standalone: `npx tsx scripts/bench/lists.ts` (needs `npm run build`).
import { performance } from 'node:perf_hooks';
import type { Browser, Page } from 'playwright-core';
import type { Services } from '../../electron/services';
import { heapMB, launchChromium, median, openBenchProfile, openConsolePage, round, type BenchProfile } from './browser-host';
import { seedArtifacts, seedIncidents, seedLongIncident } from './long-incident';
import { runStandalone } from './standalone';

const RUNS = Number(process.env.FB_BENCH_LIST_RUNS ?? 5);
// FB_BENCH_LIST_CASES=timeline,evidence,incidents: only those cases (a short run while working on one).
const CASES = new Set((process.env.FB_BENCH_LIST_CASES ?? 'timeline,evidence,incidents').split(',').map((c) => c.trim()));
for (const c of CASES) if (!['timeline', 'evidence', 'incidents'].includes(c)) throw new Error(`FB_BENCH_LIST_CASES: unknown case ${c} (timeline, evidence, incidents)`);

// In-page helpers as strings: the page must not see the bundler's helpers.
const UNTIL = `async (test) => { const end = performance.now() + 60000; while (!test()) { if (performance.now() > end) throw new Error('timed out: ' + test); await new Promise((r) => requestAnimationFrame(r)); } }`;

/** Sets the hash (selects the incident) and times until `selector` is on screen and painted. */
async function timeHashTo(page: Page, hash: string, selector: string): Promise<number> {
  return page.evaluate(`(async () => {
    const until = ${UNTIL};
    const t0 = performance.now();
    location.hash = ${JSON.stringify(hash)};
    await until(() => document.querySelector(${JSON.stringify(selector)}));
    await new Promise((r) => requestAnimationFrame(r));
    return performance.now() - t0;
  })()`);
}

/**
 * Frame times while the list in `scroller` jumps to its end and back (waiting for `oldest`
 * to be drawn), then sweeps it top → bottom → top in 90 steps each way, one per frame.
 */
async function scrollFrames(page: Page, scroller: string, oldest: string): Promise<{ jumpMaxMs: number; sweepMaxMs: number; sweepP95Ms: number; frames: number }> {
  return page.evaluate(`(async () => {
    const until = ${UNTIL};
    const el = document.querySelector(${JSON.stringify(scroller)});
    const frame = () => new Promise((r) => requestAnimationFrame(r));
    const deltas = [];
    let last = performance.now();
    const tick = async () => { await frame(); const now = performance.now(); deltas.push(now - last); last = now; };
    await frame(); last = performance.now();
    el.scrollTop = el.scrollHeight;
    const end = performance.now() + 60000;
    while (!document.querySelector(${JSON.stringify(oldest)})) { if (performance.now() > end) throw new Error('timed out scrolling to the end'); await tick(); }
    for (let i = 0; i < 10; i++) await tick();
    el.scrollTop = 0;
    for (let i = 0; i < 20; i++) await tick();
    const jump = deltas.splice(0);
    for (const dir of [1, -1]) {
      for (let i = 1; i <= 90; i++) {
        const f = dir === 1 ? i / 90 : 1 - i / 90;
        el.scrollTop = f * (el.scrollHeight - el.clientHeight);
        await tick();
      }
    }
    const sorted = [...deltas].sort((a, b) => a - b);
    return {
      jumpMaxMs: Math.round(Math.max(...jump) * 10) / 10,
      sweepMaxMs: Math.round(Math.max(...deltas) * 10) / 10,
      sweepP95Ms: Math.round(sorted[Math.floor(sorted.length * 0.95)] * 10) / 10,
      frames: jump.length + deltas.length,
    };
  })()`);
}

interface CaseResult {
  showMs: number;
  noteMs?: number;
  newIncidentMs?: number;
  heapMB: number;
  jumpMaxMs: number;
  sweepMaxMs: number;
  sweepP95Ms: number;
}

function summarise(runs: CaseResult[]): Record<string, number> {
  const keys = Object.keys(runs[0]!) as (keyof CaseResult)[];
  const out: Record<string, number> = {};
  for (const k of keys) out[`${k}Median`] = round(median(runs.map((r) => r[k]!)));
  out.jumpMaxMsWorst = round(Math.max(...runs.map((r) => r.jumpMaxMs)));
  out.sweepMaxMsWorst = round(Math.max(...runs.map((r) => r.sweepMaxMs)));
  out.heapMBMax = round(Math.max(...runs.map((r) => r.heapMB)));
  return out;
}

async function timelineCase(browser: Browser, profile: BenchProfile, incidentId: number, entries: number, run: number): Promise<CaseResult> {
  const page = await openConsolePage(browser, profile);
  try {
    const showMs = await timeHashTo(page, `#/incidents/${incidentId}`, `[data-testid="timeline"] [data-seq="${entries + run - 1}"]`);
    const text = `bench note ${run} ${entries}`;
    await page.getByTestId('note-input').fill(text);
    const noteMs: number = await page.evaluate(`(async () => {
      const until = ${UNTIL};
      const button = document.querySelector('.note-composer button');
      const t0 = performance.now();
      button.click();
      await until(() => [...document.querySelectorAll('[data-testid="timeline"] [data-kind="note"]')].some((el) => el.textContent.includes(${JSON.stringify(text)})));
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    })()`);
    const frames = await scrollFrames(page, '[data-testid="timeline-scroll"]', '[data-testid="timeline"] [data-seq="1"]');
    return { showMs: round(showMs), noteMs: round(noteMs), heapMB: await heapMB(page), ...frames };
  } finally {
    await page.close();
  }
}

async function evidenceCase(browser: Browser, profile: BenchProfile, incidentId: number, artifacts: number): Promise<CaseResult> {
  const page = await openConsolePage(browser, profile);
  try {
    await timeHashTo(page, `#/incidents/${incidentId}`, '[data-testid="tab-evidence"]');
    const last = `files/var/log/app/worker-${String(artifacts - 1).padStart(5, '0')}.log`;
    const showMs: number = await page.evaluate(`(async () => {
      const until = ${UNTIL};
      const t0 = performance.now();
      document.querySelector('[data-testid="tab-evidence"]').click();
      await until(() => document.querySelector('[data-testid="artifact-row"][data-name=${JSON.stringify(JSON.stringify(last)).slice(1, -1)}]'));
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    })()`);
    const frames = await scrollFrames(page, '[data-testid="artifact-scroll"]', '[data-testid="artifact-row"][data-name$="worker-00000.log"]');
    return { showMs: round(showMs), heapMB: await heapMB(page), ...frames };
  } finally {
    await page.close();
  }
}

async function incidentListCase(browser: Browser, profile: BenchProfile, run: number): Promise<CaseResult> {
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  try {
    // From navigation: the list is the first screen, so this includes the console's boot (same for both sizes).
    const t0 = performance.now();
    await page.goto(profile.host.url);
    await page.locator('[data-testid^="incident-row-"]').first().waitFor();
    const showMs = performance.now() - t0;
    // Detected 14 minutes ago, critical: the most urgent, so it lands at the top of the list, in view.
    const created = profile.services.incidents.create({ title: `Bench new incident ${run}`, severity: 'critical', detectedAt: new Date(Date.now() - 14 * 60_000).toISOString() });
    const t1 = performance.now();
    await page.getByTestId(`incident-row-${created.id}`).waitFor();
    const newIncidentMs = performance.now() - t1;
    const frames = await scrollFrames(page, '[data-testid="incident-list"]', '[data-testid="incident-list"] li[data-index]:last-child');
    return { showMs: round(showMs), newIncidentMs: round(newIncidentMs), heapMB: await heapMB(page), ...frames };
  } finally {
    await page.close();
  }
}

/**
 * incidents.page on the service alone, no browser: medians of `runs` calls for the first page
 * and a middle one, and list() (every row built and sorted: what a page cost before) as the
 * same-run baseline.
 */
function servicePages(services: Services, count: number, runs = 15): { firstPageMs: number; middlePageMs: number; wholeListMs: number } {
  const time = (fn: () => unknown) => {
    const ms: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      fn();
      ms.push(performance.now() - t0);
    }
    return round(median(ms));
  };
  const middle = Math.floor(count / 2 / 100) * 100;
  return {
    firstPageMs: time(() => services.incidents.page({}, 0, 100)),
    middlePageMs: time(() => services.incidents.page({}, middle, 100)),
    wholeListMs: time(() => services.incidents.list()),
  };
}

export async function runListsBench(): Promise<Record<string, unknown>> {
  const browser = await launchChromium();
  const main = await openBenchProfile('lists-main');
  const manySmall = await openBenchProfile('lists-incidents-100');
  const manyBig = await openBenchProfile('lists-incidents-10k');
  try {
    process.stderr.write('lists: seeding\n');
    let t = performance.now();
    const incidentCases = CASES.has('timeline') || CASES.has('evidence');
    const small = incidentCases ? seedLongIncident(main.services, 100, 'Short incident (100 entries)') : 0;
    const big = incidentCases ? seedLongIncident(main.services, 100_000) : 0;
    const seedTimelineMs = performance.now() - t;
    if (incidentCases) {
      seedArtifacts(main.services, small, 100);
      seedArtifacts(main.services, big, 10_000);
    }
    t = performance.now();
    if (CASES.has('incidents')) {
      seedIncidents(manySmall.services, 100);
      seedIncidents(manyBig.services, 10_000);
    }
    const seedIncidentsMs = performance.now() - t;
    const service = CASES.has('incidents') ? { incidents100: servicePages(manySmall.services, 100), incidents10k: servicePages(manyBig.services, 10_000) } : undefined;

    const timeline = { small: [] as CaseResult[], big: [] as CaseResult[] };
    const evidence = { small: [] as CaseResult[], big: [] as CaseResult[] };
    const incidents = { small: [] as CaseResult[], big: [] as CaseResult[] };
    // Interleaved, so drift on the machine falls on both sides alike.
    for (let run = 1; run <= RUNS; run++) {
      process.stderr.write(`lists: run ${run}/${RUNS}\n`);
      if (CASES.has('timeline')) {
        timeline.small.push(await timelineCase(browser, main, small, 100, run));
        timeline.big.push(await timelineCase(browser, main, big, 100_000, run));
      }
      if (CASES.has('evidence')) {
        evidence.small.push(await evidenceCase(browser, main, small, 100));
        evidence.big.push(await evidenceCase(browser, main, big, 10_000));
      }
      if (CASES.has('incidents')) {
        incidents.small.push(await incidentListCase(browser, manySmall, run));
        incidents.big.push(await incidentListCase(browser, manyBig, run));
      }
    }
    const compare = (c: { small: CaseResult[]; big: CaseResult[] }, smallLabel: string, bigLabel: string) => {
      if (c.small.length === 0) return 'not run (FB_BENCH_LIST_CASES)';
      const s = summarise(c.small);
      const b = summarise(c.big);
      return { [smallLabel]: s, [bigLabel]: b, showRatio: round((b.showMsMedian ?? 0) / (s.showMsMedian ?? 1)) };
    };
    return {
      name: 'lists',
      runs: RUNS,
      browser: 'headless Chromium 1440x900 via the browser host WebSocket',
      seeding: { timelineEntries100k: Math.round(seedTimelineMs), incidents10k: Math.round(seedIncidentsMs) },
      timeline: compare(timeline, 'entries100', 'entries100k'),
      evidenceTab: compare(evidence, 'artifacts100', 'artifacts10k'),
      incidentList: service
        ? { ...(compare(incidents, 'incidents100', 'incidents10k') as object), servicePage: { ...service, firstPageRatio: round(service.incidents10k.firstPageMs / service.incidents100.firstPageMs) } }
        : 'not run (FB_BENCH_LIST_CASES)',
      targets: 'show ≤ 2× the short case; note/new row ≤ 100 ms; JS heap ≤ 150 MB; frames < 50 ms',
    };
  } finally {
    await browser.close();
    await main.close();
    await manySmall.close();
    await manyBig.close();
  }
}

runStandalone('lists', runListsBench);
