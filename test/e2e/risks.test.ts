import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeedExporter } from '../support/metrics-exporter';
import { eventually, hasPrometheus, startPrometheus, type RunningPrometheus } from '../support/prometheus';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

describe.skipIf(!chromiumPath)('Service metrics and the risk register in a real browser', () => {
  const exporter = new SeedExporter();
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;

  beforeAll(async () => {
    const url = await exporter.start();
    session = await openConsole();
    ({ test, page } = session);
    test.services.metrics.addSource({ name: 'api', kind: 'scrape', url });
    incidentId = test.services.incidents.create({ title: 'Checkout API failing', severity: 'high', services: ['api'] }).id;
    // The test drives the scrapes itself (no timer): two scrapes, 2 % errors between them.
    exporter.observe(1000, 0.05);
    await test.services.metrics.poll();
    exporter.observe(1000, 0.05, 20);
    await test.services.metrics.poll();
  });

  afterAll(async () => {
    await session?.close();
    await exporter.stop();
  });

  it('shows the indicators with their levels beside the gauges', async () => {
    await session.open();
    await page.getByTestId('screen-system').click();
    const errorRate = page.getByTestId('signal-error_rate');
    await errorRate.waitFor();
    await expect.poll(() => errorRate.innerText()).toMatch(/2\.00 %\s+warning\s/);
    await expect.poll(() => page.getByTestId('signal-query_time').innerText()).toMatch(/unknown.*database_query_time_seconds_bucket missing/s);
    // uPlot charts of the indicators, on the gauges' time axis.
    await expect.poll(() => page.locator('[data-testid="chart-error-rate"] canvas').count()).toBeGreaterThan(0);
    await page.getByTestId('service-metrics').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('risks-01-service-metrics.png'), fullPage: true });
  });

  it('an error rate over 5 % raises risk R2: the alert names it, with score, mitigation and runbook', async () => {
    exporter.observe(1000, 0.05, 80);
    await test.services.metrics.poll();
    // The toast names the risk wherever the operator is.
    await page.locator('.toast', { hasText: 'R2 Database connection errors (score 10)' }).waitFor();
    // And the act-now crossing itself is an alert (on the incident's timeline too).
    await page.locator('.toast', { hasText: 'Act now: Error rate 8.00 % (danger)' }).waitFor();
    expect(test.services.timeline.list(incidentId).some((e) => e.kind === 'signal.alert' && e.data.indicator === 'error_rate')).toBe(true);
    await expect.poll(() => page.getByTestId('signal-error_rate').innerText()).toMatch(/8\.00 %\s+danger \(act now\)/);
    await page.getByTestId('screen-risks').click();
    const card = page.getByTestId('risk-warning-R2');
    await card.waitFor();
    const text = await card.innerText();
    expect(text).toContain('R2 Database connection errors — score 10 (high)');
    expect(text).toContain('error_rate > 5 (now 8 %)');
    expect(text).toContain('Mitigation: Connection pool management with retries and backoff');
    // The warning is on the incident's timeline too.
    expect(test.services.timeline.list(incidentId).some((e) => e.kind === 'risk.warning' && e.data.risk === 'R2')).toBe(true);
    expect(await page.getByTestId('heat-p2-i5').innerText()).toContain('R2');
    await page.screenshot({ path: artifactPath('risks-02-warning.png'), fullPage: true });
  });

  it('the operator starts the suggested runbook from the warning', async () => {
    await page.getByTestId('start-runbook-database-connection-errors').click();
    // The incident opens: its timeline tells the warning in words, with the act-now alert.
    await page.getByText(/Early warning R2 Database connection errors \(score 10\): error_rate > 5 \(now 8 %\)/).first().waitFor();
    await page.getByText('Act now: Error rate 8.00 % (danger)').first().waitFor();
    await page.screenshot({ path: artifactPath('risks-03a-timeline.png') });
    await page.getByTestId('tab-runbooks').click();
    await expect.poll(() => test.services.runbooks.list(incidentId).map((r) => r.runbookId)).toEqual(['database-connection-errors']);
    await page.getByText('Database connection errors (Neo4j, Redis, Chroma)').first().waitFor();
    await page.screenshot({ path: artifactPath('risks-03-runbook-started.png') });
  });

  it('after the postmortem re-scores the realised risk, the heat map moves it', async () => {
    await page.getByTestId('tab-risks').click();
    await page.getByTestId('risk-link-select').selectOption('R2');
    await page.getByTestId('risk-link').click();
    const proposal = page.getByTestId('proposal-R2');
    await proposal.waitFor();
    expect(await proposal.innerText()).toContain('R2 Database connection errors: 5×2=10 → 5×3=15');
    await page.getByTestId('proposal-reason-R2').fill('Pool exhausted during the checkout outage');
    await page.getByTestId('apply-rescore-R2').click();
    await expect.poll(() => test.services.risks.get('R2').score).toBe(15);
    await page.getByTestId('screen-risks').click();
    await expect.poll(() => page.getByTestId('heat-p3-i5').innerText()).toContain('R2');
    expect(await page.getByTestId('heat-p2-i5').innerText()).not.toContain('R2');
    expect(test.services.risks.history('R2')[0]).toMatchObject({ reason: 'Pool exhausted during the checkout outage', context: 'postmortem', incidentId });
    await page.screenshot({ path: artifactPath('risks-04-heatmap-after-postmortem.png'), fullPage: true });
    expect(session.cspViolations).toEqual([]);
  });
});

describe.skipIf(!chromiumPath || !hasPrometheus())('A promql block of a runbook runs against Prometheus (real prometheus)', () => {
  const exporter = new SeedExporter();
  let prometheus: RunningPrometheus;
  let session: ConsoleSession;
  let runbooks: string;

  beforeAll(async () => {
    await exporter.start();
    prometheus = await startPrometheus(`127.0.0.1:${exporter.port}`);
    session = await openConsole();
    runbooks = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-promql-'));
    fs.writeFileSync(
      path.join(runbooks, 'api-errors.md'),
      [
        '# API errors',
        '',
        '## Check the error rate',
        '',
        '1. Ask Prometheus for the errors so far:',
        '',
        '   ```promql',
        '   sum(api_errors_total)',
        '   ```',
        '',
        '2. Note the time:',
        '',
        '   ```sh',
        '   date -u',
        '   ```',
        '',
      ].join('\n'),
    );
    await session.test.services.runbooks.setFolders([runbooks]);
    session.test.services.metrics.addSource({ name: 'prom', kind: 'prometheus', url: prometheus.url });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await prometheus?.stop();
    await exporter.stop();
    fs.rmSync(runbooks, { recursive: true, force: true });
  });

  it('keeps the answer as evidence of the incident', async () => {
    exporter.observe(100, 0.1, 7);
    const { test, page } = session;
    const incident = test.services.incidents.create({ title: 'API errors', severity: 'high' });
    // Prometheus has scraped the exporter at least once.
    await eventually(async () => ((await test.services.metrics.query({ query: 'sum(api_errors_total)' })).series.length ? true : undefined));
    await session.open(`#/incidents/${incident.id}`);
    await page.getByTestId('tab-runbooks').click();
    // Not suggested for this incident's tags: started from the list of all runbooks.
    await page.locator('.picker-all select').selectOption('api-errors');
    await page.locator('.picker-all button').click();
    await page.getByTestId('promql-run').first().click();
    const result = page.getByTestId('promql-result');
    await result.waitFor();
    expect(await result.innerText()).toMatch(/Answer of prom: 1 series, kept as evidence[\s\S]*\{\}\s+7/);
    const [artifact] = test.services.evidence.listArtifacts(incident.id);
    expect(artifact?.name).toMatch(/^transcripts\/promql-prom-.*\.json$/);
    await page.getByTestId('promql-block').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('risks-05-promql-block.png') });
  }, 60_000);

  it('saves a range query from the System screen as evidence, with query, source and time range', async () => {
    const { test, page } = session;
    const incidentId = test.services.incidents.list({ openOnly: true })[0]!.id;
    await page.getByTestId('screen-system').click();
    await page.getByTestId('query-input').fill('sum(api_errors_total)');
    await page.getByTestId('query-save').click();
    const saved = page.getByTestId('query-saved');
    await saved.waitFor();
    expect(await saved.innerText()).toMatch(/^prom, \S+Z → \S+Z, sha256 [0-9a-f]{12}…$/);
    const artifacts = test.services.evidence.listArtifacts(incidentId);
    expect(artifacts).toHaveLength(2);
    const stored = JSON.parse(fs.readFileSync(test.services.evidence.blobPath(artifacts[1]!)!, 'utf8')) as { kind: string; query: string; source: string; from: string; to: string };
    expect(stored).toMatchObject({ kind: 'range', query: 'sum(api_errors_total)', source: 'prom' });
    expect(Date.parse(stored.to) - Date.parse(stored.from)).toBe(15 * 60_000);
    await page.getByTestId('query-evidence').scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('risks-06-query-evidence.png') });
  }, 60_000);
});
