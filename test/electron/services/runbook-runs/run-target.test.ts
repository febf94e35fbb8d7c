import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../../../electron/cli';
import { createRunFixture, type RunFixture } from './fixture';

describe("a run's target is saved with the run", () => {
  let f: RunFixture;
  let incidentId: number;
  beforeEach(() => {
    f = createRunFixture();
    incidentId = f.services.incidents.create({ title: 'API down on web-1', severity: 'high', services: [], tags: ['outage'] }).id;
    f.services.targets.add('web-1');
    f.services.targets.addToIncident(incidentId, 'web-1');
  });
  afterEach(async () => f.cleanup());

  it('is chosen when the run starts, survives a reopen, moves with a timeline entry, and only to the incident\'s targets', async () => {
    const local = await f.services.runbooks.start(incidentId, 'drill');
    expect(local.target).toBe('local');
    const run = await f.services.runbooks.start(incidentId, 'drill', undefined, 'web-1');
    expect(run.target).toBe('web-1');
    const started = f.services.timeline.list(incidentId).filter((e) => e.kind === 'runbook.started');
    expect(started.map((e) => e.data.target)).toEqual(['local', 'web-1']);

    // A reload (another process, a restart) sees where each run types its steps.
    const other = f.reopen();
    expect(other.runbooks.list(incidentId).map((r) => [r.id, r.target])).toEqual([
      [local.id, 'local'],
      [run.id, 'web-1'],
    ]);

    const moved = f.services.runbooks.setTarget(run.id, 'local');
    expect(moved.target).toBe('local');
    expect(other.runbooks.get(run.id).target).toBe('local');
    const entry = f.services.timeline.list(incidentId).find((e) => e.kind === 'runbook.target')!;
    expect(entry.data).toMatchObject({ runId: run.id, target: 'local', previous: 'web-1' });

    await expect(f.services.runbooks.start(incidentId, 'drill', undefined, 'db-9')).rejects.toThrow(/db-9 is not one of this incident's targets \(web-1\)/);
    expect(() => f.services.runbooks.setTarget(run.id, 'db-9')).toThrow(/db-9 is not one of this incident's targets/);
    expect(f.services.timeline.verify(incidentId).ok).toBe(true);
  });

  it('`firebreak runbook runs INCIDENT` lists each run with where it runs, as a table and as JSON', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', undefined, 'web-1');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    const cli = async (...args: string[]) => {
      const lines: string[] = [];
      const code = await runCli(['--home', f.home, ...args], (t) => lines.push(t));
      return { code, out: lines.join('\n') };
    };
    const table = await cli('runbook', 'runs', String(incidentId));
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^RUN +RUNBOOK +STATUS +RUNS ON +STARTED +STEPS +TITLE/);
    expect(table.out).toMatch(new RegExp(`${run.id} +drill +active +web-1 +2026-11-23T09:00:00\\.000Z +1/\\d+ +`));
    const json = JSON.parse((await cli('runbook', 'runs', String(incidentId), '--json')).out) as { id: string; target: string }[];
    expect(json).toMatchObject([{ id: run.id, target: 'web-1' }]);
    expect((await cli('runbook', 'runs')).code).toBe(2);
  });
});
