import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunFixture, type RunFixture } from './fixture';

describe('runbook runs', () => {
  let f: RunFixture;
  let incidentId: number;
  beforeEach(() => {
    f = createRunFixture();
    incidentId = f.services.incidents.create({ title: 'Checkout down', severity: 'high', services: [], tags: ['outage'] }).id;
  });
  afterEach(async () => f.cleanup());

  const kinds = () => f.services.timeline.list(incidentId).map((e) => e.kind);
  /** Runs a step in a new terminal, keeping everything that terminal sent to the screen. */
  const runStepWatchingScreen = async (runId: string, stepId: string) => {
    const term = f.services.terminals.create({ incidentId, cols: 100, rows: 30 });
    let live = '';
    const stop = f.services.events.on('terminals.data', (e) => (live += e.id === term.id ? e.data : ''));
    try {
      return { outcome: await f.services.runner.runStep({ runId, stepId, terminalId: term.id }), live };
    } finally {
      stop();
    }
  };

  it('starts a run recording the runbook id, version and file hash', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    expect(run).toMatchObject({ runbookId: 'drill', version: '1.2.0', status: 'active', incidentId });
    expect(run.sha256).toMatch(/^[0-9a-f]{64}$/);
    const started = f.services.timeline.list(incidentId).find((e) => e.kind === 'runbook.started')!;
    expect(started.data).toMatchObject({ runbookId: 'drill', runId: run.id, version: '1.2.0', sha256: run.sha256 });
    expect(run.phases[0]).toMatchObject({ id: 'check', budgetMinutes: 2, startedAt: null, overrun: false });
    expect(run.phases[0]!.runAllStepIds).toEqual(['drill/check/hello', 'drill/check/target', 'drill/check/fails', 'drill/check/after']);
    expect((await f.services.runbooks.suggest(incidentId)).map((s) => s.runbook.id)).toContain('drill');
  });

  it('marks steps done, skipped (reason required) and failed, each on the timeline, and survives reopening', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    expect(() => f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/target', status: 'skipped' })).toThrow(/reason/);
    expect(() => f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/target', status: 'skipped', reason: '  ' })).toThrow(/reason/);
    f.clock.advance(3 * 60_000);
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/target', status: 'skipped', reason: 'no target host' });
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/fails', status: 'failed', note: 'disk full' });
    const view = f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/after', status: 'done' });
    expect(view.steps['drill/check/target']).toMatchObject({ status: 'skipped', reason: 'no target host', actor: 'alice' });
    expect(view.steps['drill/check/fails']).toMatchObject({ status: 'failed', note: 'disk full' });
    // The phase took 3 minutes against a 2-minute budget.
    expect(view.phases[0]).toMatchObject({ usedMs: 180_000, overrun: true });
    expect(view.phases[0]!.finishedAt).not.toBeNull();
    const steps = f.services.timeline.list(incidentId).filter((e) => e.kind === 'runbook.step');
    expect(steps.map((e) => e.data.status)).toEqual(['done', 'skipped', 'failed', 'done']);
    expect(steps[1]!.data).toMatchObject({ runbookId: 'drill', runId: run.id, stepId: 'drill/check/target', reason: 'no target host' });
    expect(kinds()).toContain('runbook.phase');

    // Another process (or a restart) sees the same progress.
    const other = f.reopen();
    const again = other.runbooks.get(run.id);
    expect(again.steps['drill/check/hello']!.status).toBe('done');
    expect(again.steps['drill/check/target']!.status).toBe('skipped');
    expect(other.runbooks.list(incidentId)).toHaveLength(1);

    // Finishing the last steps completes the run, once.
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/fix/restart', status: 'skipped', reason: 'not needed' });
    const done = f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/fix/write', status: 'done' });
    expect(done.status).toBe('completed');
    const completed = f.services.timeline.list(incidentId).filter((e) => e.kind === 'runbook.completed');
    expect(completed).toHaveLength(1);
    expect(completed[0]!.data).toMatchObject({ status: 'failed', failedSteps: 1 });
  });

  it('remembers prompted variables per incident; secrets stay out of the database and the timeline', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    const prompts = await f.services.runbooks.prompts(run.id, { stepId: 'drill/check/target' });
    expect(prompts.map((p) => [p.name, p.secret, p.ask, p.value])).toEqual([
      ['TARGET', false, true, 'web-1'],
      ['API_TOKEN', true, true, null],
    ]);
    await f.services.runbooks.setVariables(run.id, { TARGET: 'web-7', API_TOKEN: 's3cr3t-value' });
    const after = await f.services.runbooks.prompts(run.id, { stepId: 'drill/check/target' });
    expect(after.every((p) => p.known && !p.ask)).toBe(true);
    expect(after.find((p) => p.name === 'API_TOKEN')!.value).toBeNull();
    // A second run of the same incident does not ask again.
    const second = await f.services.runbooks.start(incidentId, 'drill');
    expect((await f.services.runbooks.prompts(second.id, {})).filter((p) => p.ask)).toEqual([]);

    const { outcome, live } = await runStepWatchingScreen(run.id, 'drill/check/target');
    expect(outcome.exitCode).toBe(0);
    const entry = f.services.timeline.list(incidentId).find((e) => e.kind === 'command.finished')!;
    const transcript = fs.readFileSync(String(entry.data.path), 'utf8');
    expect(transcript).toContain('target=web-7');
    expect(transcript).not.toContain('s3cr3t-value');
    // On screen only where the command itself prints it, never in the typed line's echo.
    expect(live.split('s3cr3t-value')).toHaveLength(2);
    const db = fs.readFileSync(`${f.home}/firebreak.db`);
    expect(db.includes(Buffer.from('s3cr3t-value'))).toBe(false);
    expect(JSON.stringify(f.services.timeline.list(incidentId))).not.toContain('s3cr3t-value');
    expect(await f.secrets.get(`runbook-var.${incidentId}.API_TOKEN`)).toBe('s3cr3t-value');
  });

  it('keeps a secret with shell metacharacters out of the echoed line too (it is escaped when substituted)', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    // Substituted as 'it'\''s-hunter2-pass': a verbatim search for the value misses it.
    const secret = `it's-hunter2-pass`;
    await f.services.runbooks.setVariables(run.id, { TARGET: 'web-7', API_TOKEN: secret });
    const { outcome, live } = await runStepWatchingScreen(run.id, 'drill/check/target');
    expect(outcome.exitCode).toBe(0);
    // Once, where the command prints the token; the typed line's echo shows no part of it.
    expect(live.split(secret)).toHaveLength(2);
    expect(live.split('s-hunter2-pass')).toHaveLength(2);
  });

  it('runs a step in the terminal: exit code, duration, transcript hash on the timeline', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    const term = f.services.terminals.create({ incidentId, cols: 100, rows: 30 });
    expect(term.cwd).toBe(`${f.home}/incidents/${incidentId}`);
    const outcome = await f.services.runner.runStep({ runId: run.id, stepId: 'drill/check/hello', terminalId: term.id });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.commands).toHaveLength(1);
    const entry = f.services.timeline.list(incidentId).find((e) => e.kind === 'command.finished')!;
    expect(entry.data).toMatchObject({ runbookId: 'drill', runId: run.id, stepId: 'drill/check/hello', exitCode: 0, blockId: 'drill/check/hello#hello' });
    expect(entry.data.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(String(entry.data.path)).toContain(`/incidents/${incidentId}/evidence/sha256/`);
    expect(fs.readFileSync(String(entry.data.path), 'utf8')).toContain(`hello from ${incidentId}`);
    expect(fs.statSync(String(entry.data.path)).mode & 0o222).toBe(0);
    // Stored through the evidence service: a transcript artifact with custody.
    expect(f.services.evidence.listArtifacts(incidentId).map((a) => [a.kind, a.sha256])).toContainEqual(['transcript', entry.data.hash]);
    expect(outcome.run.steps['drill/check/hello']!.lastRun).toMatchObject({ exitCode: 0, sha256: entry.data.hash });
    // Running does not tick the step off: the operator decides.
    expect(outcome.run.steps['drill/check/hello']!.status).toBe('pending');
    expect(outcome.run.phases[0]!.startedAt).not.toBeNull();
  });

  it('refuses a confirm=true command until the operator types its name', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    const term = f.services.terminals.create({ incidentId, cols: 100, rows: 30 });
    await expect(f.services.runner.runStep({ runId: run.id, stepId: 'drill/fix/restart', terminalId: term.id })).rejects.toThrow(/type "restart" or "RUN"/);
    await expect(f.services.runner.runStep({ runId: run.id, stepId: 'drill/fix/restart', terminalId: term.id, confirmation: 'yes' })).rejects.toThrow(/confirm=true/);
    expect(kinds()).not.toContain('command.finished');
    const ok = await f.services.runner.runStep({ runId: run.id, stepId: 'drill/fix/restart', terminalId: term.id, confirmation: 'restart' });
    expect(ok.exitCode).toBe(0);
  });

  it('Run all runs the phase in order and stops at the first non-zero exit', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill');
    const term = f.services.terminals.create({ incidentId, cols: 100, rows: 30 });
    await expect(f.services.runner.runAll({ runId: run.id, phaseId: 'check', terminalId: term.id })).rejects.toThrow(/values needed first: API_TOKEN, TARGET/);
    const outcome = await f.services.runner.runAll({ runId: run.id, phaseId: 'check', terminalId: term.id, values: { TARGET: 'db-1', API_TOKEN: '' } });
    expect(outcome.ran).toEqual(['drill/check/hello', 'drill/check/target', 'drill/check/fails']);
    expect(outcome).toMatchObject({ stoppedAt: 'drill/check/fails', exitCode: 3 });
    expect(outcome.run.steps['drill/check/hello']!.status).toBe('done');
    expect(outcome.run.steps['drill/check/fails']).toMatchObject({ status: 'failed', lastRun: { exitCode: 3 } });
    expect(outcome.run.steps['drill/check/after']!.status).toBe('pending');
    const commands = f.services.timeline.list(incidentId).filter((e) => e.kind === 'command.finished');
    expect(commands.map((e) => e.data.exitCode)).toEqual([0, 0, 3]);
  });

  it('records terminal exits and kills on the timeline; closing the incident ends its terminals', async () => {
    const a = f.services.terminals.create({ incidentId, cols: 80, rows: 24 });
    await f.services.terminals.kill(a.id);
    const b = f.services.terminals.create({ incidentId, cols: 80, rows: 24 });
    f.services.terminals.call((t) => t.write(b.id, 'exit 4\r'));
    await expect.poll(() => f.services.timeline.list(incidentId).filter((e) => e.kind === 'terminal.exited').length, { timeout: 5000 }).toBe(2);
    const exits = f.services.timeline.list(incidentId).filter((e) => e.kind === 'terminal.exited');
    expect(exits.map((e) => e.data.reason)).toEqual(['killed', 'exited']);
    expect(exits[1]!.data.exitCode).toBe(4);

    f.services.terminals.create({ incidentId, cols: 80, rows: 24 });
    for (const to of ['acknowledged', 'investigating', 'mitigated', 'resolved', 'closed'] as const) {
      f.services.incidents.transition({ id: incidentId, to });
    }
    await expect.poll(() => f.services.terminals.service.list(incidentId).length, { timeout: 5000 }).toBe(0);
    expect(() => f.services.terminals.create({ incidentId, cols: 80, rows: 24 })).toThrow(/closed/);
  });
});
