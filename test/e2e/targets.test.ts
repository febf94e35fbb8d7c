import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdAvailable, startSshd, type TestSshd } from '../support/sshd';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';
import type { TestHost } from './support/host';

const SNAPSHOT = 'initial-response/status-check/snapshot';

/** The fingerprint ssh-keygen gives for the server's host key: what the operator compares. */
function hostKeyFingerprint(sshd: TestSshd): string {
  const out = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(sshd.dir, 'host_ed25519.pub')], { encoding: 'utf8' });
  return out.split(' ')[1]!;
}

describe.skipIf(!chromiumPath || (!sshdAvailable && process.env.CI !== 'true'))('remote targets in a real browser (real sshd)', () => {
  let sshd: TestSshd;
  let session: ConsoleSession;
  let test: TestHost;
  let page: Page;
  let incidentId: number;
  let logFile: string;

  beforeAll(async () => {
    sshd = await startSshd();
    // The server's own log file, collected through the UI below.
    logFile = path.join(sshd.dir, 'app.log');
    fs.writeFileSync(logFile, ['INFO boot', 'ERROR upstream timed out', 'INFO retry', 'ERROR pool exhausted', ''].join('\n'));
    session = await openConsole({
      host: { ssh: { configFile: sshd.config }, terminals: { env: { ...process.env, SHELL: '/bin/sh', PS1: '$ ' }, killGraceMs: 300 } },
    });
    ({ test, page } = session);
    incidentId = test.services.incidents.create({ title: 'Checkout API 502 on fbtest', severity: 'high', services: ['node'], tags: ['outage'] }).id;
    await session.open();
  });

  afterAll(async () => {
    await session?.close();
    await sshd?.stop();
  });

  it('adds a target and accepts its host key only after showing the fingerprint', async () => {
    await page.getByTestId('screen-targets').click();
    await page.getByTestId('target-add-name').fill('fbtest');
    await page.getByTestId('target-add').click();
    await expect.poll(() => page.getByTestId('target-state-fbtest').getAttribute('data-state'), { timeout: 20_000 }).toBe('host-key-unknown');
    const offer = page.getByTestId('host-key-offer-fbtest');
    await offer.waitFor();
    const shown = await offer.getByTestId('host-key-fingerprint').allTextContents();
    expect(shown).toContain(hostKeyFingerprint(sshd));
    // Nothing was trusted by itself.
    const knownHosts = test.services.targets.knownHostsFile;
    const trusted = () => (fs.existsSync(knownHosts) ? fs.readFileSync(knownHosts, 'utf8') : '');
    expect(trusted()).toBe('');
    await page.screenshot({ path: artifactPath('targets-01-host-key.png') });
    await offer.getByTestId('host-key-accept-ssh-ed25519').click();
    await expect.poll(() => page.getByTestId('target-state-fbtest').getAttribute('data-state'), { timeout: 20_000 }).toBe('connected');
    expect(trusted()).toMatch(/ssh-ed25519/);
    await page.screenshot({ path: artifactPath('targets-02-connected.png') });
  });

  it('shows the target\'s gauges on the System screen', async () => {
    await page.getByTestId('screen-system').click();
    await page.getByTestId('gauge-source').selectOption('fbtest');
    await page.locator('.gauges[data-source="fbtest"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.getByTestId('gauge-cpu-value').textContent(), { timeout: 20_000 }).toMatch(/%/);
    await expect.poll(() => page.getByTestId('gauge-memory-value').textContent()).toMatch(/%/);
    await page.screenshot({ path: artifactPath('targets-03-gauges.png') });
    await page.getByTestId('gauge-source').selectOption('local');
  });

  it('adds the target to the incident (on the timeline)', async () => {
    await page.goto(`${test.host.origin}/#/incidents/${incidentId}`);
    await page.getByTestId('tab-targets').click();
    await page.getByTestId('incident-target-pick').selectOption('fbtest');
    await page.getByTestId('incident-target-add').click();
    await page.getByTestId('incident-target-fbtest').waitFor();
    expect(test.services.targets.incidentTargets(incidentId)).toEqual(['fbtest']);
    expect(test.services.timeline.list(incidentId).some((e) => e.kind === 'incident.target-added' && (e.data as { target?: string }).target === 'fbtest')).toBe(true);
    await page.screenshot({ path: artifactPath('targets-04-incident.png') });
  });

  it('runs a runbook step on the target chosen for the run; the command entry names the host', async () => {
    await page.getByTestId('tab-runbooks').click();
    await page.getByTestId('terminal-on-fbtest').click();
    await page.getByTestId('terminal-view').waitFor();
    await expect.poll(() => page.getByTestId('terminal-tab-1').textContent()).toContain('fbtest');
    // The run's steps are typed on the target chosen when it starts (this laptop by default), saved with the run.
    await page.getByTestId('start-target').selectOption('fbtest');
    await page.getByTestId('start-initial-response').click();
    await page.getByTestId('checklist').waitFor();
    expect(await page.getByTestId('run-target').inputValue()).toBe('fbtest');
    expect(test.services.runbooks.list(incidentId).map((r) => r.target)).toEqual(['fbtest']);
    await page.locator(`[data-step-id="${SNAPSHOT}"]`).getByTestId('step-run').click();
    await expect.poll(() => page.locator(`[data-step-id="${SNAPSHOT}"]`).getByTestId('last-run').textContent(), { timeout: 30_000 }).toMatch(/^exit 0/);
    const started = test.services.timeline.list(incidentId).find((e) => e.kind === 'terminal.started')!;
    expect(started.data).toMatchObject({ host: 'fbtest' });
    const finished = test.services.timeline.list(incidentId).find((e) => e.kind === 'command.finished')!;
    expect((finished.data as { terminalId?: string }).terminalId).toBe((started.data as { terminalId: string }).terminalId);
    expect(finished.data).toMatchObject({ host: 'fbtest' });
    await page.screenshot({ path: artifactPath('targets-05-step.png') });
  });

  it('collects a log from the target, grep applied, with the server hash compared', async () => {
    await page.getByTestId('tab-evidence').click();
    await page.getByTestId('remote-paths').fill(logFile);
    await page.getByTestId('remote-grep').fill('ERROR');
    await page.getByTestId('remote-collect-files').click();
    await expect.poll(() => page.getByTestId('evidence-result').textContent(), { timeout: 30_000 }).toMatch(/complete/i);
    const stored = test.services.evidence.listArtifacts(incidentId).find((a) => a.source?.path === logFile);
    expect(stored).toMatchObject({ host: 'fbtest', status: 'ok' });
    await page.screenshot({ path: artifactPath('targets-06-collected.png') });
  });
});
