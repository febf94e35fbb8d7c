// The alert history (issue 19), in headless Chromium through the browser host: the System
// screen with 100,000 alerts in the profile's history against the same screen with 100, in
// the same run (medians of RUNS, interleaved): time until the history's first rows are drawn,
// rows in the DOM, JS heap after GC, and the longest frame while scrolling 30 screens down
// (older pages load on the way).
// Run standalone: `npx tsx scripts/bench/alert-history.ts` (needs `npm run build`).
import type { Browser } from 'playwright-core';
import type { Services } from '../../electron/services';
import { heapMB, launchChromium, median, openBenchProfile, openConsolePage, round, type BenchProfile } from './browser-host';
import { runStandalone } from './standalone';

const RUNS = Number(process.env.FB_BENCH_ALERT_RUNS ?? 3);

/** One transaction: the history as a long-running app would have written it, alert by alert. */
function seedAlerts(services: Services, alerts: number): void {
  const insert = services.db.prepare('INSERT INTO monitor_alerts (key, level, at, data) VALUES (?, ?, ?, ?)');
  const start = Date.parse('2026-11-01T00:00:00Z');
  services.db.transaction(() => {
    for (let i = 0; i < alerts; i++) {
      const raised = i % 2 === 0;
      const at = new Date(start + i * 30_000).toISOString();
      const alert = {
        kind: raised ? 'alert.raised' : 'alert.cleared',
        source: 'gauge',
        metric: 'memory',
        subject: '',
        rule: 'memory.level',
        ruleKind: 'level',
        from: raised ? 'normal' : 'warning',
        to: raised ? 'warning' : 'normal',
        value: raised ? 81 : 60,
        threshold: raised ? 80 : 75,
        unit: '%',
        at,
        message: `alert ${i}`,
      };
      insert.run('gauge:memory.level:', `${alert.kind}:${alert.to}`, at, JSON.stringify(alert));
    }
  })();
}

interface CaseResult {
  readonly showMs: number;
  readonly domRows: number;
  readonly heapMB: number;
  readonly scrollMaxFrameMs: number;
}

async function historyCase(browser: Browser, profile: BenchProfile): Promise<CaseResult> {
  const page = await openConsolePage(browser, profile);
  try {
    const showMs: number = await page.evaluate(`(async () => {
      const t0 = performance.now();
      document.querySelector('[data-testid="screen-system"]').click();
      const end = t0 + 60000;
      while (!document.querySelector('[data-testid="alert-history"] li')) {
        if (performance.now() > end) throw new Error('alert history never drawn');
        await new Promise((r) => requestAnimationFrame(r));
      }
      await new Promise((r) => requestAnimationFrame(r));
      return performance.now() - t0;
    })()`);
    const scrollMaxFrameMs: number = await page.evaluate(`(async () => {
      const el = document.querySelector('[data-testid="alert-history-scroll"]');
      const frame = () => new Promise((r) => requestAnimationFrame(r));
      let last = performance.now();
      let worst = 0;
      for (let i = 0; i < 30; i++) {
        el.scrollTop += el.clientHeight;
        for (let j = 0; j < 3; j++) { await frame(); const now = performance.now(); worst = Math.max(worst, now - last); last = now; }
      }
      return worst;
    })()`);
    const domRows = await page.locator('[data-testid="alert-history"] li').count();
    return { showMs: round(showMs), domRows, heapMB: await heapMB(page), scrollMaxFrameMs: round(scrollMaxFrameMs) };
  } finally {
    await page.close();
  }
}

const summarise = (results: CaseResult[]) => ({
  showMsMedian: round(median(results.map((r) => r.showMs))),
  domRowsMax: Math.max(...results.map((r) => r.domRows)),
  heapMBMedian: round(median(results.map((r) => r.heapMB))),
  scrollMaxFrameMsMedian: round(median(results.map((r) => r.scrollMaxFrameMs))),
});

export async function runAlertHistoryBench(): Promise<Record<string, unknown>> {
  const browser = await launchChromium();
  const small = await openBenchProfile('alerts-100', (services) => seedAlerts(services, 100));
  const big = await openBenchProfile('alerts-100k', (services) => seedAlerts(services, 100_000));
  try {
    const results = { small: [] as CaseResult[], big: [] as CaseResult[] };
    for (let run = 1; run <= RUNS; run++) {
      process.stderr.write(`alert-history: run ${run}/${RUNS}\n`);
      results.small.push(await historyCase(browser, small));
      results.big.push(await historyCase(browser, big));
    }
    const s = summarise(results.small);
    const b = summarise(results.big);
    return {
      name: 'alert-history',
      runs: RUNS,
      browser: 'headless Chromium 1440x900 via the browser host WebSocket',
      alerts100: s,
      alerts100k: b,
      showRatio: round(b.showMsMedian / s.showMsMedian),
      targets: 'show ≤ 2× the 100-alert case; JS heap ≤ 150 MB; frames < 50 ms',
    };
  } finally {
    await browser.close();
    await small.close();
    await big.close();
  }
}

runStandalone('alert-history', runAlertHistoryBench);
