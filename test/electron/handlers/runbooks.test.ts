import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import type { RunView, StepRunOutcome } from '../../../shared/runbook-runs';
import type { TerminalInfo } from '../../../shared/terminals';
import { createRunFixture, type RunFixture } from '../services/runbook-runs/fixture';

describe('runbook and terminal channels', () => {
  let f: RunFixture;
  let dispatch: Dispatch;
  let incidentId: number;
  const call = async <T,>(channel: string, input?: unknown): Promise<T> => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  beforeEach(() => {
    f = createRunFixture();
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
    incidentId = f.services.incidents.create({ title: 'API down', severity: 'critical', services: ['api'], tags: [] }).id;
  });
  afterEach(async () => f.cleanup());

  it('lists, suggests and gets runbooks', async () => {
    const list = await call<{ runbooks: { id: string }[] }>('runbooks.list');
    expect(list.runbooks.map((r) => r.id)).toEqual(['drill']);
    const suggestions = await call<{ runbook: { id: string } }[]>('runbooks.suggest', { incidentId });
    expect(suggestions[0]!.runbook.id).toBe('drill');
    await expect(call('runbooks.get', { id: 'nope' })).rejects.toThrow(/not_found/);
    await expect(call('runbooks.get', { id: '../etc' })).rejects.toThrow(/invalid_input/);
  });

  it('runs a checklist through the channels, with errors that say what is wrong', async () => {
    const changed: RunView[] = [];
    f.services.events.on('runs.changed', ({ run }) => changed.push(run));
    const run = await call<RunView>('runs.start', { incidentId, runbookId: 'drill' });
    await expect(call('runs.setStep', { runId: run.id, stepId: 'drill/check/hello', status: 'skipped' })).rejects.toThrow(/invalid_input: reason/);
    await expect(call('runs.setStep', { runId: run.id, stepId: 'drill/check/hello', status: 'maybe' })).rejects.toThrow(/invalid_input/);
    const term = await call<TerminalInfo>('terminals.create', { incidentId, cols: 90, rows: 20 });
    const data: string[] = [];
    f.services.events.on('terminals.data', (e) => {
      data.push(e.data);
      void dispatch('terminals.ack', { id: e.id, charCount: e.data.length });
    });
    const outcome = await call<StepRunOutcome>('runs.runStep', { runId: run.id, stepId: 'drill/check/hello', terminalId: term.id });
    expect(outcome.exitCode).toBe(0);
    expect(data.join('')).toContain(`hello from ${incidentId}`);
    await expect(call('runs.runStep', { runId: run.id, stepId: 'drill/fix/restart', terminalId: term.id })).rejects.toThrow(/forbidden: .*confirm=true/);
    await expect(call('runs.runStep', { runId: run.id, stepId: 'drill/check/hello', terminalId: 't99-abcdef' })).rejects.toThrow(/not_found/);
    const done = await call<RunView>('runs.setStep', { runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    expect(done.steps['drill/check/hello']!.status).toBe('done');
    expect(changed.length).toBeGreaterThan(2);
    expect((await call<RunView[]>('runs.list', { incidentId })).map((r) => r.id)).toEqual([run.id]);
    expect(await call<TerminalInfo[]>('terminals.list', { incidentId })).toHaveLength(1);
    await call('terminals.resize', { id: term.id, cols: 120, rows: 40 });
    const exit = await call<{ reason: string }>('terminals.kill', { id: term.id });
    expect(exit.reason).toBe('killed');
    await expect(call('terminals.write', { id: term.id, data: 'ls\r' })).rejects.toThrow(/not_found|conflict/);
  });

  it('keeps user runbook folders in settings', async () => {
    await expect(call('runbooks.setFolders', { folders: ['relative/path'] })).rejects.toThrow(/invalid_input/);
    await expect(call('runbooks.setFolders', { folders: ['/definitely/not/here'] })).rejects.toThrow(/not a folder/);
    const settings = await call<{ folders: string[] }>('runbooks.setFolders', { folders: [f.home] });
    expect(settings.folders).toEqual([f.home]);
    expect(f.reopen().runbooks.settings().folders).toEqual([f.home]);
    const lint = await call<{ errors: number }>('runbooks.lint');
    expect(lint.errors).toBe(0);
  });
});
