import net from 'node:net';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDefaultSource } from '../../electron/services/gauges/linux-source';
import { OverridableSource } from '../../electron/services/gauges/override-source';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

describe.skipIf(!chromiumPath)('System screen in a real browser: live gauges, probes and alerts on the timeline', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let tcp: net.Server;
  let tcpPort: number;
  const source = new OverridableSource(createDefaultSource());

  beforeAll(async () => {
    tcp = net.createServer((socket) => socket.end());
    await new Promise<void>((resolve) => tcp.listen(0, '127.0.0.1', resolve));
    tcpPort = (tcp.address() as net.AddressInfo).port;
    // CPU is forced throughout: a busy test machine's real CPU would reach the incident's
    // resource history (its peak is asserted below) and raise alerts of its own.
    source.override({ cpu: 5 });
    session = await openConsole({ host: { monitor: { source }, startMonitor: true } });
    ({ test, page } = session);
  });

  afterAll(async () => {
    await session?.close();
    await new Promise<void>((resolve) => tcp?.close(() => resolve()));
  });

  /** Everything the gauge cards print: it changes as samples arrive. */
  const gaugeText = () => page.locator('.gauge-grid').innerText();

  it('draws live gauges that move, under the strict CSP', async () => {
    const incident = test.services.incidents.create({ title: 'Checkout latency above 2 s', severity: 'critical', services: ['api'] });
    // The incident is about this laptop: its gauge and loopback probe alerts go there (issue 15).
    test.services.targets.addToIncident(incident.id, 'local');
    await page.goto(test.host.url);
    await page.getByTestId('screen-system').click();
    await page.getByTestId('gauge-cpu-value').waitFor();
    // uPlot draws into canvases inside each chart.
    await expect.poll(() => page.locator('[data-testid="chart-cpu"] canvas').count()).toBeGreaterThan(0);
    await expect.poll(() => page.locator('.gauge-grid canvas').count()).toBeGreaterThanOrEqual(5);
    const first = await gaugeText();
    await expect.poll(gaugeText, { timeout: 15_000, interval: 500 }).not.toBe(first);
    await expect.poll(() => page.locator('[data-testid="chart-cpu"] canvas').first().boundingBox().then((b) => b?.width ?? 0)).toBeGreaterThan(200);
    await page.getByTestId('processes').locator('tbody tr').first().waitFor({ timeout: 15_000 });
    expect(await page.getByTestId('alert-target').locator('option').first().textContent()).toContain('INC-0001');
    await page.screenshot({ path: artifactPath('monitor-01-gauges.png'), fullPage: true });
    expect(session.cspViolations).toEqual([]);
  });

  it('shows rule validation errors next to the field, then saves immediate CPU rules', async () => {
    await page.getByTestId('system-tab-rules').click();
    const warning = page.getByTestId('rule-cpu.level-warning');
    await warning.fill('150');
    await page.getByTestId('rules-save').click();
    await page.getByTestId('rules-errors').waitFor();
    await expect.poll(() => page.getByTestId('rule-cpu.level').locator('.field-error').first().textContent()).toMatch(/100/);
    await page.screenshot({ path: artifactPath('monitor-02-rules-invalid.png'), fullPage: true });
    await warning.fill('70');
    // Confirm and hold 0 s for the CPU level rule, so the forced crossing alerts at once.
    const row = page.getByTestId('rule-cpu.level');
    await row.getByLabel('Confirm after (s)').fill('0');
    await row.getByLabel('Minimum hold (s)').fill('0');
    await page.getByTestId('rules-save').click();
    await page.getByText('Threshold rules saved').waitFor();
    const rule = test.services.monitor.rules().rules.rules.find((r) => r.id === 'cpu.level');
    expect(rule).toMatchObject({ confirmMs: 0, holdMs: 0, warning: { value: 70 } });
  });

  it('raises an alert on a forced threshold crossing and records it on the incident timeline', async () => {
    await page.getByTestId('system-tab-gauges').click();
    source.override({ cpu: 99 });
    await expect.poll(() => page.getByTestId('gauge-cpu').getAttribute('data-level'), { timeout: 10_000 }).toBe('danger');
    await page.getByTestId('active-alerts').locator('li').getByText(/CPU (normal|warning) → danger at 99%/).first().waitFor({ timeout: 10_000 });
    await page.screenshot({ path: artifactPath('monitor-03-danger.png'), fullPage: true });

    await page.getByTestId('screen-incidents').click();
    await page.getByTestId('incident-row-1').click();
    // On a busy machine the real CPU may have crossed the warning band first: either way one entry says danger.
    const entry = page.locator('[data-kind="alert.raised"]', { hasText: 'danger at 99%' }).first();
    await entry.waitFor();
    expect(await entry.textContent()).toMatch(/CPU (normal|warning) → danger at 99% \(threshold 85%\)/);
    await page.screenshot({ path: artifactPath('monitor-04-timeline-alert.png') });

    // Forced low too: the real CPU of a busy test machine could sit in the warning band.
    source.override({ cpu: 5 });
    await page.locator('[data-kind="alert.cleared"]').first().waitFor({ timeout: 15_000 });
    expect(await page.locator('[data-kind="alert.cleared"]').first().textContent()).toMatch(/CPU back to normal at 5% \(below \d+%\)/);
    // The incident's resource history tab: one point per minute, so a short test seeds the
    // last quarter hour the way the downsampler writes it.
    const minute = 60_000;
    const start = Math.floor(Date.now() / minute) * minute - 15 * minute;
    test.services.monitor.history.write(
      1,
      Array.from({ length: 15 }, (_, i) => [
        { metric: 'cpu' as const, subject: '', bucketStart: start + i * minute, bucketMs: minute, samples: 60, min: 10 + i, avg: 30 + i * 3, max: 50 + i * 3 },
        { metric: 'memory' as const, subject: '', bucketStart: start + i * minute, bucketMs: minute, samples: 60, min: 40, avg: 45 + i, max: 50 + i },
      ]).flat(),
    );
    await page.getByTestId('tab-resources').click();
    await page.getByTestId('history').locator('canvas').first().waitFor();
    expect(await page.getByTestId('history').locator('.history-peaks').textContent()).toContain('92%');
    await page.screenshot({ path: artifactPath('monitor-07-incident-history.png') });
    await page.getByTestId('tab-timeline').click();
    // The chain still verifies with alert entries in it.
    await page.getByTestId('verify-chain').click();
    await expect.poll(() => page.getByTestId('verify-result').textContent()).toContain('intact');
  });

  it('adds probe targets, runs them, and never echoes the password', async () => {
    await page.getByTestId('screen-system').click();
    await page.getByTestId('system-tab-probes').click();
    await page.getByTestId('probe-add').click();
    const form = page.getByTestId('probe-form');
    await form.locator('select[name="kind"]').selectOption('tcp');
    await form.locator('input[name="name"]').fill('api-port');
    await form.locator('input[name="host"]').fill('127.0.0.1');
    await form.locator('input[name="port"]').fill('99999');
    await page.getByTestId('probe-save').click();
    await expect.poll(() => form.locator('.field-error').first().textContent()).toMatch(/65535/);
    await form.locator('input[name="port"]').fill(String(tcpPort));
    await page.getByTestId('probe-save').click();
    await page.getByTestId('probe-row-api-port').waitFor();

    await page.getByTestId('probe-add').click();
    await form.locator('input[name="name"]').fill('cache');
    await form.locator('input[name="port"]').fill('1');
    await form.locator('input[name="retries"]').fill('0');
    await page.getByTestId('probe-password').fill('s3cret-horse');
    await page.getByTestId('probe-save').click();
    await page.getByTestId('probe-row-cache').waitFor();

    await page.getByTestId('probe-run-all').click();
    await expect.poll(() => page.getByTestId('probe-state-api-port').textContent(), { timeout: 15_000 }).toBe('OK');
    await expect.poll(() => page.getByTestId('probe-state-cache').textContent(), { timeout: 15_000 }).toBe('Down');
    await page.getByTestId('probe-row-cache').getByRole('button', { name: 'Edit' }).click();
    expect(await page.getByTestId('probe-password').inputValue()).toBe('');
    expect(await page.getByTestId('probe-password').getAttribute('placeholder')).toMatch(/stored/);
    await page.screenshot({ path: artifactPath('monitor-05-probes.png'), fullPage: true });
    expect(await page.content()).not.toContain('s3cret-horse');
    expect(JSON.stringify(await test.services.monitor.probesView())).not.toContain('s3cret-horse');
    expect(await test.services.secrets.get('probe.cache')).toBe('s3cret-horse');
    // The probe going down is an alert too, on the same incident.
    await expect.poll(() => test.services.timeline.list(1).some((e) => e.kind === 'alert.raised' && e.data.source === 'probe')).toBe(true);
    expect(JSON.stringify(test.services.timeline.list(1))).not.toContain('s3cret-horse');
    expect(session.cspViolations).toEqual([]);
  });

  it('imports probe settings from a file, dropping any password in it', async () => {
    await page.getByRole('button', { name: 'Cancel' }).click();
    const exported = await test.services.monitor.exportProbes();
    const document = { ...exported, config: { ...exported.config, targets: [...exported.config.targets, { name: 'web', kind: 'http', url: 'http://127.0.0.1:1/health', password: 'leaked-pw' }] } };
    await page.getByTestId('probe-import').setInputFiles({ name: 'probes.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(document)) });
    await page.getByText(/Imported 3 probe target\(s\); dropped .*password/).waitFor();
    await page.getByTestId('probe-row-web').waitFor();
    await page.screenshot({ path: artifactPath('monitor-06-probes-imported.png') });
    expect(JSON.stringify(test.services.monitor.probeConfig())).not.toContain('leaked-pw');
  });
});
