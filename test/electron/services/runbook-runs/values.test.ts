import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../../../electron/services';
import { createRunFixture, type RunFixture } from './fixture';

const RUNBOOK = `---
id: guess
title: Guess
severity: [high]
applies_to: [outage]
version: 1.0.0
variables:
  SERVICE:
    description: Process to stop
  APP_DIR:
    description: Folder the application runs from
    default: .
---

# Guess

## Stop

- [ ] Stop it {#stop}

  \`\`\`sh {name=stop confirm=true}
  echo "would stop <\${SERVICE}> in <\${APP_DIR}> for \${INCIDENT_ID}"
  \`\`\`
`;

// Issue 15: a value guessed from the incident (its first service) or a runbook default is
// shown and confirmed before the first command uses it, and the operator's answer wins.
describe('runbook values: guesses are confirmed, answers win', () => {
  let f: RunFixture;
  let s: Services;
  let incidentId: number;
  beforeEach(() => {
    f = createRunFixture();
    fs.writeFileSync(path.join(f.home, 'runbooks-src', 'guess.md'), RUNBOOK);
    // Services opened after the file was written, so their catalog has it.
    s = f.reopen();
    incidentId = s.incidents.create({ title: 'API down', severity: 'high', services: ['api'] }).id;
  });
  afterEach(async () => f.cleanup());

  const runStop = async (runId: string, values?: Record<string, string>) => {
    const term = s.terminals.create({ incidentId, cols: 120, rows: 30 });
    return s.runner.runStep({ runId, stepId: 'guess/stop/stop', terminalId: term.id, confirmation: 'stop', ...(values ? { values } : {}) });
  };
  const transcript = () => {
    const entry = s.timeline.list(incidentId).filter((e) => e.kind === 'command.finished').at(-1)!;
    const d = entry.data as { transcriptPath?: string; output?: string };
    return JSON.stringify(d);
  };

  it('offers SERVICE from the incident and APP_DIR from the default, marked as such, and runs nothing until they are confirmed', async () => {
    const run = await s.runbooks.start(incidentId, 'guess');
    const prompts = await s.runbooks.prompts(run.id, { stepId: 'guess/stop/stop' });
    expect(prompts.map((p) => [p.name, p.value, p.from, p.ask])).toEqual([
      ['SERVICE', 'api', 'incident', true],
      ['APP_DIR', '.', 'default', true],
    ]);
    await expect(runStop(run.id)).rejects.toThrow(/values needed first: APP_DIR, SERVICE/);
    expect(s.timeline.list(incidentId).some((e) => e.kind === 'command.finished')).toBe(false);

    // Confirmed as offered: now an answer, not asked again.
    const outcome = await runStop(run.id, { SERVICE: 'api', APP_DIR: '/srv/app' });
    expect(outcome.exitCode).toBe(0);
    const again = await s.runbooks.prompts(run.id, { stepId: 'guess/stop/stop' });
    expect(again.map((p) => [p.name, p.from, p.ask])).toEqual([
      ['SERVICE', 'answer', false],
      ['APP_DIR', 'answer', false],
    ]);
  });

  it("runs with the operator's answer, not the incident's first service", async () => {
    const run = await s.runbooks.start(incidentId, 'guess');
    const outcome = await runStop(run.id, { SERVICE: 'redis-server', APP_DIR: '/srv/app' });
    expect(outcome.commands[0]!.command).toContain('<redis-server> in </srv/app>');
    expect(outcome.commands[0]!.command).not.toContain('<api>');
    expect(transcript()).toContain('redis-server');
  });

  it('previews a dangerous step exactly as Run will type it, with the folder (and no host: this machine)', async () => {
    const run = await s.runbooks.start(incidentId, 'guess');
    const term = s.terminals.create({ incidentId, cols: 120, rows: 30 });
    await expect(s.runner.preview({ runId: run.id, stepId: 'guess/stop/stop', terminalId: term.id }, null)).rejects.toThrow(/values needed first/);
    await s.runbooks.setVariables(run.id, { SERVICE: 'redis-server', APP_DIR: '/srv/app' });
    const preview = await s.runner.preview({ runId: run.id, stepId: 'guess/stop/stop', terminalId: term.id }, null);
    expect(preview).toEqual([
      {
        blockId: expect.any(String),
        name: 'stop',
        command: `echo "would stop <redis-server> in </srv/app> for ${incidentId}"`,
        cwd: s.runbooks.incidentDir(incidentId),
        host: null,
        dangerous: true,
      },
    ]);
  });
});
