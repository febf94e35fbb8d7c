import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

// A team's own runbooks, as they are: the folder is set in the Runbooks tab, a runbook in
// the alert-runbook style (Hugo front matter, sections, a `$ ` prompt with sample output,
// placeholders) is started, and a step with placeholders runs in the terminal.
const FIXTURES = path.join(__dirname, '..', 'electron', 'services', 'runbooks', 'fixtures', 'real-world');

const LOG_RUNBOOK = `---
title: Log directory growing
weight: 10
tags: [disk]
aliases: [/logdirectorygrowing/]
---

# LogDirectoryGrowing

## Meaning

The log directory on the host grows faster than rotation removes files.

## Diagnosis

1. **Look at the directory**

   The alert names the directory; check it exists and who owns it:

   \`\`\`console
   $ ls -ld <LOG_DIR> && echo "checked for $NAMESPACE"
   drwxr-xr-x 2 root root 4096 Jan  1 00:00 SAMPLE-OUTPUT-ONLY
   \`\`\`

## Mitigation

Remove the rotated files:

\`\`\`bash
rm -rf <LOG_DIR>/rotated
\`\`\`
`;

const STEP = 'logdirectorygrowing/diagnosis/look-at-the-directory';
const DANGER_STEP = 'logdirectorygrowing/mitigation/remove-the-rotated-files';

describe.skipIf(!chromiumPath)('real-world runbooks in a real browser', () => {
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;
  let folder: string;
  let logDir: string;

  const step = (id: string) => page.locator(`[data-step-id="${id}"]`);
  const screen = () => page.locator('.xterm-rows').innerText();

  beforeAll(async () => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-team-runbooks-'));
    fs.cpSync(FIXTURES, folder, { recursive: true });
    fs.writeFileSync(path.join(folder, 'LogDirectoryGrowing.md'), LOG_RUNBOOK);
    fs.writeFileSync(path.join(folder, 'broken.md'), '# Broken\n\n```sh\necho never closed\n');
    // A value with a space: it must reach the shell as one word.
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak logs '));
    session = await openConsole({ host: { terminals: { env: { ...process.env, SHELL: '/bin/sh', PS1: '$ ' }, killGraceMs: 300 } } });
    ({ test, page } = session);
    incidentId = test.services.incidents.create({ title: 'Disk filling up on web-3', severity: 'medium', services: ['web'], tags: ['disk'] }).id;
  });

  afterAll(async () => {
    await session?.close();
    if (folder) fs.rmSync(folder, { recursive: true, force: true });
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });

  it('sets the runbook folder and lists its runbooks, and the file that did not load with file:line: reason', async () => {
    await session.open(`#/incidents/${incidentId}`);
    await page.getByTestId('tab-runbooks').click();
    await page.getByTestId('runbook-folders').locator('summary').click();
    await page.getByTestId('runbook-folder-path').fill(folder);
    await page.getByTestId('runbook-folder-add').click();
    // Suggested because its Hugo tags match the incident's; the others are in "All runbooks".
    await page.locator('[data-runbook-id="logdirectorygrowing"]').waitFor();
    await expect.poll(() => page.locator('option[value="kubernetes.kubepodcrashlooping"]').count()).toBe(1);
    expect(await page.locator('[data-runbook-id="kubernetes.kubepodcrashlooping"]').count()).toBe(0);
    const notLoaded = page.getByTestId('runbooks-not-loaded');
    await expect.poll(() => notLoaded.locator('summary').textContent()).toBe('1 file did not load');
    await notLoaded.locator('summary').click();
    expect(await notLoaded.locator('li').allTextContents()).toEqual([`${path.join(folder, 'broken.md')}:3: code block is never closed: add a closing \`\`\` line`]);
    await page.screenshot({ path: artifactPath('real-world-01-folder.png') });
  });

  it('starts a runbook written without checklist items: sections are phases, the fence is a step', async () => {
    await page.getByTestId('start-logdirectorygrowing').click();
    await page.getByTestId('checklist').waitFor();
    await expect.poll(() => page.getByTestId('run-progress').textContent()).toBe('0 of 2 steps');
    expect(await step(STEP).locator('.step-text').textContent()).toBe('Look at the directory');
    // The prompt is gone from what will be typed; the sample output is shown apart.
    expect(await step(STEP).locator('.cmd-code').textContent()).toBe('ls -ld ${LOG_DIR} && echo "checked for ${NAMESPACE}"');
    await step(STEP).getByTestId('expected-output').locator('summary').click();
    expect(await step(STEP).getByTestId('expected-output').locator('pre').textContent()).toContain('SAMPLE-OUTPUT-ONLY');
    // rm -rf was found without the author marking it.
    await step(DANGER_STEP).getByTestId('cmd-danger').waitFor();
    await page.screenshot({ path: artifactPath('real-world-02-checklist.png') });
  });

  it('asks for the placeholders, runs the step with them, and never types the sample output', async () => {
    await step(STEP).getByTestId('step-run').click();
    const dialog = page.getByTestId('variables-dialog');
    await dialog.waitFor();
    await dialog.getByLabel('LOG_DIR').fill(logDir);
    await dialog.getByLabel('NAMESPACE').fill('payments');
    await page.screenshot({ path: artifactPath('real-world-03-variables.png') });
    await dialog.getByRole('button', { name: 'Save and run' }).click();
    await expect.poll(() => step(STEP).getByTestId('last-run').textContent(), { timeout: 15_000 }).toMatch(/^exit 0/);
    await expect.poll(screen).toContain('checked for payments');
    expect(await screen()).toContain(path.basename(logDir));
    expect(await screen()).not.toContain('SAMPLE-OUTPUT-ONLY');
    await page.screenshot({ path: artifactPath('real-world-04-ran.png') });
  });

  it('asks for the typed confirmation before a dangerous command it found itself', async () => {
    await step(DANGER_STEP).getByTestId('step-run').click();
    await page.getByTestId('confirm-dialog').waitFor();
    await page.screenshot({ path: artifactPath('real-world-05-confirm.png') });
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
    expect(test.services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished')).toHaveLength(1);
  });

  it('shows the command as it ran on the timeline', async () => {
    await page.getByTestId('tab-timeline').click();
    await page.locator('[data-kind="command.finished"]').first().waitFor();
    const text = await page.locator('[data-kind="command.finished"] .entry-text').first().textContent();
    expect(text).toContain('ls -ld');
    expect(text).toMatch(/exited 0/);
    const entry = test.services.timeline.list(incidentId).find((e) => e.kind === 'command.finished');
    expect(JSON.stringify(entry?.data)).toContain('payments');
    expect(JSON.stringify(entry?.data)).not.toContain('<LOG_DIR>');
    await page.screenshot({ path: artifactPath('real-world-06-timeline.png') });
  });
});
