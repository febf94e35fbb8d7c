import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FakeSource } from '../electron/services/gauges/fake-source';
import { OverridableSource } from '../../electron/services/gauges/override-source';
import { DEFAULT_RULES } from '../../shared/gauge-rules';
import type { GaugeAlert } from '../../shared/gauges';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// Issue 15, "alerts that mean something", and the alert history of issue 19.
describe.skipIf(!chromiumPath)('Alerts that mean something, in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let closedPort: number;
  let dbIncident: number;
  let laptopIncident: number;
  // Forced readings: the machine's real load never reaches these incidents.
  const source = new OverridableSource(new FakeSource());

  beforeAll(async () => {
    // A port nothing listens on: the probe there is down and its breaker opens.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    source.override({ cpu: 5 });
    session = await openConsole({ host: { monitor: { source }, startMonitor: true } });
    ({ test, page } = session);
    const { services } = test;
    dbIncident = services.incidents.create({ title: 'Checkout DB down on db1', severity: 'critical', services: ['db'] }).id;
    laptopIncident = services.incidents.create({ title: 'Responder laptop slow', severity: 'low' }).id;
    // Immediate CPU rules: each forced reading is one transition.
    services.monitor.setRules({ ...DEFAULT_RULES, defaults: { hysteresis: 0, holdMs: 0, confirmMs: 0 } });
  });

  afterAll(async () => {
    await session?.close();
  });

  const colourOf = (el: unknown) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(el).color;
  const timelineAlerts = (id: number) => test.services.timeline.list(id).filter((e) => e.kind.startsWith('alert.'));

  it('pins this laptop’s alerts from the incident Targets tab; unrelated incidents get none', async () => {
    await session.open(`#/incidents/${laptopIncident}`);
    await page.getByTestId('tab-targets').click();
    await page.getByTestId('alert-pin-pick').selectOption('local');
    await page.getByTestId('alert-pin-add').click();
    await page.getByTestId('alert-pin-local').waitFor();
    await page.screenshot({ path: artifactPath('alerts-01-pin-laptop.png') });
    await expect.poll(() => test.services.monitor.routes.incidentsFor('local')).toEqual([laptopIncident]);

    // Unrelated load on the laptop: danger, then a step down (a recovery under way), then normal.
    for (const cpu of [99, 75, 5]) {
      source.override({ cpu });
      await expect.poll(() => test.services.monitor.gauges.levels(test.services.monitor.gauges.sampler.latest()!).cpu, { timeout: 10_000 }).toBe(cpu === 99 ? 'danger' : cpu === 75 ? 'warning' : 'normal');
    }
    await expect.poll(() => timelineAlerts(laptopIncident).map((e) => [e.kind, e.data.to]), { timeout: 10_000 }).toEqual([
      ['alert.raised', 'danger'],
      ['alert.raised', 'warning'],
      ['alert.cleared', 'normal'],
    ]);
    expect(timelineAlerts(dbIncident)).toEqual([]);
    expect(test.services.timeline.list(laptopIncident).some((e) => e.kind === 'alerts.pinned' && e.data.target === 'local')).toBe(true);
  });

  it('shows a step down as a recovery: easing wording in a calm colour, not red', async () => {
    await page.getByTestId('tab-timeline').click();
    const eased = page.locator('[data-kind="alert.raised"].alert-eased');
    await eased.waitFor({ timeout: 10_000 });
    expect(await eased.textContent()).toMatch(/CPU easing: danger → warning at 75%/);
    const colour = await eased.locator('.entry-text').evaluate(colourOf);
    const raisedColour = await page.locator('[data-kind="alert.raised"].alert-raised .entry-text').evaluate(colourOf);
    expect(colour).not.toBe(raisedColour);
    expect(colour).toBe('rgb(88, 166, 255)');
    expect(await page.locator('[data-kind="alerts.pinned"]').textContent()).toContain('Alerts about this laptop now go to this incident');
    await page.screenshot({ path: artifactPath('alerts-02-recovery-on-timeline.png') });
    // The report words it as a recovery too.
    const render = (language: 'en' | 'ja') => test.services.reports.render({ incidentId: laptopIncident, template: 'incident-report', format: 'md', redact: true, language }).text;
    expect(render('en')).toMatch(/easing/);
    expect(render('en')).not.toMatch(/raised[^\n]*danger → warning/);
    expect(render('ja')).toMatch(/回復中/);
  });

  it('says what the breaker means: calls paused, retrying at a time', async () => {
    await test.services.monitor.setProbeConfig({
      breaker: { failureThreshold: 1, coolDownMs: 3_600_000 },
      targets: [{ name: 'orders-db', kind: 'tcp', host: '127.0.0.1', port: closedPort, timeoutMs: 300, retries: 0 }],
    });
    await test.services.monitor.runProbes('orders-db');
    await test.services.monitor.runProbes('orders-db');
    // Settings changed behind the console's back (as the CLI would): load it again.
    await session.open();
    await page.getByTestId('screen-system').click();
    await page.getByTestId('system-tab-probes').click();
    const breaker = page.getByTestId('breaker-state');
    await breaker.waitFor({ timeout: 10_000 });
    await expect.poll(() => breaker.textContent(), { timeout: 10_000 }).toMatch(/^calls paused, retrying at \d{1,2}:\d{2}/);
    expect(await page.getByText(/Breaker|half-open/).count()).toBe(0);
    await page.screenshot({ path: artifactPath('alerts-03-breaker-words.png') });
  });

  it('pages through a long alert history drawing only the rows in view', async () => {
    const at = Date.parse('2026-11-20T00:00:00Z');
    for (let i = 0; i < 3000; i++) {
      const alert: GaugeAlert = {
        kind: i % 2 ? 'alert.cleared' : 'alert.raised',
        source: 'gauge',
        metric: 'memory',
        subject: '',
        rule: 'memory.level',
        ruleKind: 'level',
        from: i % 2 ? 'warning' : 'normal',
        to: i % 2 ? 'normal' : 'warning',
        value: i % 2 ? 60 : 80,
        threshold: i % 2 ? 70 : 75,
        unit: '%',
        at: new Date(at + i * 120_000).toISOString(),
        message: 'memory',
      };
      test.services.monitor.alertHistory.record(alert);
    }
    // A live alert makes the console fetch what is newer than what it shows.
    source.override({ cpu: 99 });
    const history = page.getByTestId('alert-history');
    await expect.poll(() => history.locator('h3').textContent(), { timeout: 15_000 }).toMatch(/of 30\d\d\)/);
    const rows = () => history.locator('li').count();
    expect(await rows()).toBeLessThan(40);
    const shown = async () => Number(/\((\d+) of/.exec((await history.locator('h3').textContent()) ?? '')?.[1]);
    const before = await shown();
    await page.getByTestId('alert-history-scroll').evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await expect.poll(shown, { timeout: 10_000 }).toBeGreaterThan(before);
    expect(await rows()).toBeLessThan(40);
    await page.screenshot({ path: artifactPath('alerts-04-history.png') });
  });

  it('puts what is on fire first on the Dashboard, each linking to where to act', async () => {
    await page.getByTestId('screen-dashboard').click();
    const fire = page.getByTestId('on-fire');
    await fire.waitFor();
    const incidents = page.getByTestId('fire-incidents');
    await expect.poll(() => incidents.locator('li').count()).toBe(2);
    expect(await incidents.locator('li').first().textContent()).toContain('Checkout DB down on db1');
    await expect.poll(() => page.getByTestId('fire-countdown').textContent()).toMatch(/\d/);
    expect(await page.getByTestId('fire-deadline').textContent()).toContain('INC-0001');
    await expect.poll(() => page.getByTestId('fire-alerts').textContent(), { timeout: 10_000 }).toMatch(/CPU/);
    await expect.poll(() => page.getByTestId('fire-unreachable').textContent()).toContain('orders-db');
    // First on the screen: above the after-the-fact metrics, inside the 1440×900 view.
    const fireBox = (await fire.boundingBox())!;
    const metricsBox = (await page.getByTestId('metric-incidents').boundingBox())!;
    expect(fireBox.y).toBeLessThan(metricsBox.y);
    expect(fireBox.y + fireBox.height).toBeLessThan(900);
    await page.screenshot({ path: artifactPath('alerts-05-dashboard-on-fire.png') });
    // The same panel in Japanese.
    await page.getByTestId('language').selectOption('ja');
    await expect.poll(() => incidents.locator('h3').textContent()).toContain('緊急度順');
    expect(await page.getByTestId('fire-unreachable').textContent()).toMatch(/呼び出し停止中/);
    await page.screenshot({ path: artifactPath('alerts-06-dashboard-on-fire-ja.png') });
    await page.getByTestId('language').selectOption('en');
    await page.getByTestId(`fire-incident-${dbIncident}`).click();
    await expect.poll(() => page.url()).toContain(`/incidents/${dbIncident}`);
    source.override({ cpu: 5 });
  });
});
