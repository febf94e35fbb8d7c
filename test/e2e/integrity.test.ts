import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../electron/services/db/open';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// Issue 18 in the browser: verify shows its progress and names a truncated chain; a
// collection with files not stored whole shows a warning naming them.

describe.skipIf(!chromiumPath)('integrity warnings in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let id: number;
  let logs: string;

  beforeAll(async () => {
    session = await openConsole();
    ({ test, page } = session);
    id = test.services.incidents.create({ title: 'Long incident', severity: 'high' }).id;
    // Several pages of entries (5,000 a page), so verification reports progress as it goes.
    for (let i = 0; i < 6; i++) test.services.timeline.appendMany(Array.from({ length: 5000 }, (_, n) => ({ incidentId: id, kind: 'note', data: { text: `bulk ${i}-${n}` } })));
    await test.services.anchors.ready();
    logs = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-e2e-integrity-'));
    fs.writeFileSync(path.join(logs, 'app.log'), 'INFO ok\n');
  });

  afterAll(async () => {
    await session?.close();
    if (logs) fs.rmSync(logs, { recursive: true, force: true });
  });

  it('shows verification progress, then the chain intact', async () => {
    await session.open(`#/incidents/${id}`);
    // Record every progress text the page shows, however briefly.
    // (A string: the test is compiled without the DOM library.)
    await page.evaluate(`(() => {
      const seen = (window.progressSeen = []);
      new MutationObserver(() => {
        const el = document.querySelector('[data-testid="verify-progress"]');
        if (el && el.textContent) seen.push(el.textContent);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    })()`);
    await page.getByTestId('verify-chain').click();
    await expect.poll(async () => (await page.getByTestId('verify-result').textContent()) ?? '', { timeout: 60_000 }).toMatch(/Hash chain intact \(30,?001 entries\)/);
    const seen = (await page.evaluate('window.progressSeen')) as string[];
    expect(seen.some((s) => /^Verifying… [\d,]+ \/ 30,001 entries$/.test(s))).toBe(true);
    await page.screenshot({ path: artifactPath('integrity-01-verified.png') });
  });

  it('names the entries cut from the end of the chain', async () => {
    const db = new Database(path.join(test.services.home, DATABASE_FILE));
    db.exec('DROP TRIGGER IF EXISTS timeline_no_delete');
    db.pragma('foreign_keys = OFF');
    db.prepare('DELETE FROM timeline WHERE incident_id = ? AND seq > 29990').run(id);
    db.close();
    await page.getByTestId('verify-chain').click();
    await expect.poll(async () => (await page.getByTestId('verify-result').textContent()) ?? '', { timeout: 60_000 }).toMatch(
      /Tampering detected at entry #29991: entries #29991–#30001 are missing: the chain ends at #29990/,
    );
    await page.screenshot({ path: artifactPath('integrity-02-truncated.png') });
  });

  it('warns about every file of a collection that was not stored whole, naming it', async () => {
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('collect-files-open').click();
    await page.getByTestId('files-paths').fill(`${path.join(logs, 'app.log')}\n${path.join(logs, 'missing.log')}`);
    await page.getByTestId('files-submit').click();
    const problems = page.getByTestId('evidence-problems');
    await problems.waitFor({ timeout: 60_000 });
    expect(await problems.getAttribute('role')).toBe('alert');
    expect(await problems.textContent()).toMatch(/Vanished \/ not found.*missing\.log/);
    expect(await page.getByTestId('evidence-result').getAttribute('class')).toMatch(/warn-text/);
    await page.screenshot({ path: artifactPath('integrity-03-collection-warning.png') });
  });
});
