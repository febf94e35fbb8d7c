import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import type { TerminalInfo } from '../../../../shared/terminals';
import { sshdAvailable, startSshd, type TestSshd } from '../../../support/sshd';
import { createRunFixture, type RunFixture } from '../runbook-runs/fixture';

const REMOTE_RUNBOOK = `---
id: remote-drill
title: Remote drill
severity: [critical, high, medium, low]
applies_to: [outage]
version: 1.0.0
---

# Remote drill

## Check

- [ ] Where am I {#where}

  \`\`\`sh {name=where}
  echo "client=\${SSH_CONNECTION%% *}"
  \`\`\`

- [ ] Fail there {#fail}

  \`\`\`sh {name=fail}
  exit 7
  \`\`\`

- [ ] From outside {#outside}

  \`\`\`sh {"name":"outside","local":true}
  echo checked from the laptop
  \`\`\`
`;

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('a terminal and runbook steps on a remote target (real sshd)', () => {
  let f: RunFixture | undefined;
  let sshd: TestSshd | undefined;
  afterEach(async () => {
    await f?.cleanup();
    await sshd?.stop();
    delete process.env.FIREBREAK_SSH_CONFIG;
  });

  it('opens ssh in a pty on the target connection, names the host, and records a step run there with its exit code', async () => {
    sshd = await startSshd();
    sshd.trustHostKey();
    process.env.FIREBREAK_SSH_CONFIG = sshd.config;
    f = createRunFixture();
    fs.writeFileSync(path.join(f.home, 'runbooks-src', 'remote-drill.md'), REMOTE_RUNBOOK);
    const services = f.services;
    const incidentId = services.incidents.create({ title: 'API down on fbtest', severity: 'high', services: [], tags: ['outage'] }).id;
    services.targets.add('fbtest');
    const dispatch = createDispatch(createHandlers(services, 'websocket'));
    let screen = '';
    services.events.on('terminals.data', (e) => (screen += e.data));
    const created = await dispatch('terminals.create', { incidentId, cols: 100, rows: 30, target: 'fbtest' });
    if (!created.ok) throw new Error(created.error.message);
    const term = created.value as TerminalInfo;
    expect(term.shell).toMatch(/ssh$/);
    const started = services.timeline.list(incidentId).find((e) => e.kind === 'terminal.started')!;
    expect(started.data).toMatchObject({ terminalId: term.id, host: 'fbtest' });

    const run = await services.runbooks.start(incidentId, 'remote-drill');
    const ran = await dispatch('runs.runStep', { runId: run.id, stepId: 'remote-drill/check/where', terminalId: term.id });
    if (!ran.ok) throw new Error(ran.error.message);
    expect((ran.value as { exitCode: number }).exitCode, screen).toBe(0);
    const finished = services.timeline.list(incidentId).find((e) => e.kind === 'command.finished')!;
    // The command's entry names the host it ran on.
    expect(finished.data.host).toBe('fbtest');
    // SSH_CONNECTION exists only in the remote session: the step ran on the target.
    expect(fs.readFileSync(String(finished.data.path), 'utf8')).toContain('client=127.0.0.1');
    const failed = await services.runner.runStep({ runId: run.id, stepId: 'remote-drill/check/fail', terminalId: term.id });
    expect(failed.exitCode).toBe(7);
    // A block marked local never runs in a terminal on a target: refused before anything is typed.
    const before = services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished').length;
    const outside = await dispatch('runs.runStep', { runId: run.id, stepId: 'remote-drill/check/outside', terminalId: term.id });
    expect(outside.ok).toBe(false);
    if (!outside.ok) expect(outside.error.message).toMatch(/must run on this laptop \(outside is marked local\); terminal .* is on fbtest/);
    expect(services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished')).toHaveLength(before);
    await services.terminals.kill(term.id);
  });
});
