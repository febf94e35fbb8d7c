import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedArtifacts, seedIncidents, seedLongIncident } from '../../scripts/bench/long-incident';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

const ENTRIES = 100_000;

describe.skipIf(!chromiumPath)('a 100,000-entry incident in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    // Signed as they are appended: entries appended before the device key loads are signed later
    // in one pass that holds the host's event loop for seconds.
    await test.services.devices.ready();
    incidentId = seedLongIncident(test.services, ENTRIES);
    seedArtifacts(test.services, incidentId, 10_000);
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const rows = () => page.locator('[data-testid="timeline"] > li');
  const scroller = () => page.getByTestId('timeline-scroll');

  it('opens with the newest entries, drawing only what is in view', async () => {
    await page.goto(test.host.url);
    await page.goto(`${test.host.origin}/#/incidents/${incidentId}`);
    await page.locator(`[data-kind][data-seq="${ENTRIES}"]`).waitFor();
    expect(await scroller().getAttribute('data-rows')).toBe(String(ENTRIES));
    expect(await page.getByTestId('timeline-count').textContent()).toBe('100,000 entries');
    expect(await rows().count()).toBeLessThan(80);
    await page.screenshot({ path: artifactPath('long-01-newest.png') });
  });

  it('scrolls to the first entry and back, with End and Home', async () => {
    await scroller().focus();
    await page.keyboard.press('End');
    const first = page.locator('[data-kind="incident.created"][data-seq="1"]');
    await first.waitFor();
    expect(await first.textContent()).toContain('Long outage (100000 entries)');
    await expect.poll(() => first.evaluate((el) => el.classList.contains('active'))).toBe(true);
    expect(await rows().count()).toBeLessThan(80);
    await page.screenshot({ path: artifactPath('long-02-oldest.png') });
    // Arrow keys move from there; the place is kept.
    await page.keyboard.press('ArrowUp');
    await expect.poll(() => page.locator('.entry.active').getAttribute('data-seq')).toBe('2');
    await page.keyboard.press('Home');
    await page.locator(`.entry.active[data-seq="${ENTRIES}"]`).waitFor();
  });

  it('keeps the scroll position when leaving the tab and coming back', async () => {
    await scroller().evaluate((el) => (el.scrollTop = el.scrollHeight / 2));
    // Wait for the rows of the middle to be drawn (the old ones stay until the scroll is handled).
    const fourthSeq = async () => Number(await page.locator('[data-testid="timeline"] > li[data-seq]').nth(3).getAttribute('data-seq'));
    await expect.poll(fourthSeq).toBeLessThan(60_000);
    const seqBefore = await fourthSeq();
    expect(seqBefore).toBeGreaterThan(40_000);
    expect(seqBefore).toBeLessThan(60_000);
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('tab-timeline').click();
    await expect.poll(async () => Number(await page.locator('[data-testid="timeline"] > li[data-seq]').nth(3).getAttribute('data-seq'))).toBe(seqBefore);
    await scroller().evaluate((el) => (el.scrollTop = 0));
  });

  it('filters by kind, then takes a new note at the top of the filtered list', async () => {
    // The choices are read when the filter box is first used (a scan of the whole record).
    await page.getByTestId('timeline-filter-kind').focus();
    await page.getByTestId('timeline-filter-kind').selectOption('note');
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toBe('1,000 matching entries');
    expect(await rows().first().getAttribute('data-kind')).toBe('note');
    expect(new Set(await page.locator('[data-testid="timeline"] > li').evaluateAll((els) => els.map((e) => e.getAttribute('data-kind'))))).toEqual(new Set(['note']));
    await page.getByTestId('note-input').fill('Rolled back api to v41; watching error rate');
    await page.getByTestId('note-input').press('Control+Enter');
    await expect.poll(() => rows().first().textContent()).toContain('Rolled back api to v41');
    expect(await rows().first().getAttribute('data-seq')).toBe(String(ENTRIES + 1));
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toBe('1,001 matching entries');
    await page.screenshot({ path: artifactPath('long-03-filtered-note.png') });
  });

  it('filters by text across the whole record, and clears back to everything', async () => {
    await page.getByTestId('timeline-filter-clear').click();
    await page.getByTestId('timeline-filter-text').fill('probe 99999');
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toBe('1 matching entries');
    expect(await rows().first().getAttribute('data-seq')).toBe('99999');
    await page.getByTestId('timeline-filter-clear').click();
    await expect.poll(() => page.getByTestId('timeline-count').textContent()).toBe('100,001 entries');
    expect(await rows().first().textContent()).toContain('Rolled back api to v41');
  });

  it('shows 10,000 artifacts a page at a time, jumps to the oldest and filters them', async () => {
    await page.getByTestId('tab-evidence').click();
    await page.locator('[data-testid="artifact-row"][data-name$="worker-09999.log"]').waitFor();
    expect(await page.getByTestId('artifact-scroll').getAttribute('data-rows')).toBe('10000');
    expect(await page.getByTestId('artifact-row').count()).toBeLessThan(80);
    // Rows are one fixed height, never measured (measuring each row as it scrolled in rebuilt
    // 10,000 offsets and re-flowed the table per frame): the body is exactly 10,000 rows tall.
    const sizes = (await page.evaluate(`(() => {
      const table = document.querySelector('[data-testid="artifacts"]');
      return { body: table.tBodies[0].getBoundingClientRect().height, rows: [...table.querySelectorAll('[data-testid="artifact-row"]')].map((tr) => tr.getBoundingClientRect().height) };
    })()`)) as { body: number; rows: number[] };
    expect(new Set(sizes.rows).size).toBe(1);
    expect(sizes.body).toBeCloseTo(10_000 * sizes.rows[0]!, 0);
    await page.getByTestId('artifact-scroll').focus();
    await page.keyboard.press('End');
    await page.locator('[data-testid="artifact-row"][data-name$="worker-00000.log"]').waitFor();
    await page.screenshot({ path: artifactPath('long-04-artifacts-oldest.png') });
    await page.getByTestId('artifact-filter-text').fill('worker-0424');
    await expect.poll(() => page.getByTestId('artifact-filter-count').textContent()).toBe('10 of 10,000');
    expect(await page.getByTestId('artifact-row').first().getAttribute('data-name')).toMatch(/worker-04249\.log$/);
  });
});

describe.skipIf(!chromiumPath)('10,000 incidents in the list, a page at a time', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let largestFrame = 0;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    seedIncidents(test.services, 10_000);
    // What crosses the contract: the whole list was one 3.9 MB answer.
    page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => (largestFrame = Math.max(largestFrame, payload.length))));
  }, 120_000);

  afterAll(async () => {
    await session?.close();
  });

  const list = () => page.getByTestId('incident-list');
  const rows = () => page.locator('[data-testid="incident-list"] [data-testid^="incident-row-"]');

  it('shows the most urgent first, drawing and reading only what is in view', async () => {
    await page.goto(test.host.url);
    await page.getByTestId('incident-row-1').waitFor();
    expect(await list().getAttribute('data-rows')).toBe('10000');
    expect(await rows().count()).toBeLessThan(40);
    expect(await rows().first().getAttribute('data-testid')).toBe('incident-row-1');
    expect(largestFrame).toBeLessThan(200_000);
    // Rows are one fixed height, never measured (measuring each row as it scrolled in rebuilt
    // 10,000 offsets per frame): the list is exactly 10,000 rows tall, every row drawn alike.
    const sizes = (await page.evaluate(`(() => {
      const list = document.querySelector('[data-testid="incident-list"]');
      return { total: list.scrollHeight, rows: [...list.querySelectorAll('li[data-index]')].map((li) => li.getBoundingClientRect().height) };
    })()`)) as { total: number; rows: number[] };
    expect(new Set(sizes.rows).size).toBe(1);
    expect(sizes.total).toBe(10_000 * sizes.rows[0]!);
    await page.screenshot({ path: artifactPath('long-05-incident-list.png') });
  });

  it('goes to the least urgent with End, reading that page', async () => {
    await page.getByTestId('incident-row-1').click();
    await page.getByTestId('incident-row-1').press('End');
    // Low severity, detected last of the lows: the last row.
    await page.locator('[data-testid="incident-row-10000"].selected').waitFor();
    expect(await rows().count()).toBeLessThan(40);
    expect(largestFrame).toBeLessThan(200_000);
    await page.screenshot({ path: artifactPath('long-06-incident-list-end.png') });
  });

  it('searches on the service, and a new incident appears at the top', async () => {
    await page.getByPlaceholder('Search incidents').fill('Incident 4242:');
    await expect.poll(() => list().getAttribute('data-rows')).toBe('1');
    expect(await rows().first().getAttribute('data-testid')).toBe('incident-row-4243');
    await page.getByPlaceholder('Search incidents').fill('');
    await expect.poll(() => list().getAttribute('data-rows')).toBe('10000');
    await list().evaluate((el) => (el.scrollTop = 0));
    const created = test.services.incidents.create({ title: 'Payments down', severity: 'critical', detectedAt: new Date(Date.now() - 14 * 60_000).toISOString() });
    await expect.poll(() => rows().first().getAttribute('data-testid')).toBe(`incident-row-${created.id}`);
    expect(await list().getAttribute('data-rows')).toBe('10001');
  });
});
