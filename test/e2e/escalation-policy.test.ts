import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ESCALATION_POLICY_FILE } from '../../electron/services/escalation';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';

// Issue 17: the escalation policy is the operator's file; the Contacts screen shows it (and names
// a file that does not validate), the incident's update clock follows its cadence.

describe.skipIf(!chromiumPath)('The escalation policy file in a real browser', () => {
  let session: ConsoleSession;
  let file: string;

  beforeAll(async () => {
    session = await openConsole();
    file = path.join(session.test.services.home, ESCALATION_POLICY_FILE);
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it('shows seed 004’s policy, then the edited cadence on the update clock, then names a broken file', async () => {
    const { page, test } = session;
    await session.open();
    await page.getByTestId('screen-contacts').click();
    const panel = page.getByTestId('escalation-policy');
    await expect.poll(() => panel.textContent()).toContain('24 h for Critical, business hours otherwise');
    expect(await panel.innerText()).toMatch(/Critical\s+30 min\s+20 min/);
    expect(await panel.innerText()).toContain(file);

    test.services.escalation.setUpdateCadence('critical', 15);
    const incident = test.services.incidents.create({ title: 'Checkout down', severity: 'critical' });
    await session.open(`#/incidents/${incident.id}`);
    await expect.poll(() => page.getByTestId('update-clock').textContent()).toContain('every 15m');

    fs.writeFileSync(file, 'updateCadenceMinutes:\n  critical: 0\n');
    const later = Date.now() / 1000 + 120;
    fs.utimesSync(file, later, later);
    await session.open();
    await page.getByTestId('screen-contacts').click();
    const error = page.getByTestId('escalation-policy-file-error');
    await error.waitFor();
    expect(await error.innerText()).toContain(`${file}:2: updateCadenceMinutes.critical: must be at least 1 minute`);
    await panel.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('escalation-policy-01-contacts.png') });
    expect(session.cspViolations).toEqual([]);
  }, 60_000);
});
