import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import type { CloseReadiness } from '../../../../shared/closing';
import type { IncidentView } from '../../../../shared/domain';
import { createRunFixture, type RunFixture } from '../runbook-runs/fixture';

// Through dispatch: the UI and the CLI both reach resolve/close by `incidents.transition`.
describe('closing guard (issue 15)', () => {
  let f: RunFixture;
  let dispatch: Dispatch;
  const call = async <T,>(channel: string, input?: unknown): Promise<T> => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const failure = async (channel: string, input: unknown) => {
    const result = await dispatch(channel, input);
    if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
    return result.error;
  };

  beforeEach(() => {
    f = createRunFixture();
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
  });
  afterEach(async () => f.cleanup());

  const mitigated = async (extra: Record<string, unknown> = {}) => {
    const incident = await call<IncidentView>('incidents.create', { title: 'Checkout down', severity: 'high', ...extra });
    f.services.incidents.transition({ id: incident.id, to: 'mitigated', reason: 'test' });
    return incident.id;
  };

  it('names the current user (user@host, as the top bar) as responder unless someone is named', async () => {
    expect((await call<IncidentView>('incidents.create', { title: 'a', severity: 'low' })).responder).toBe('alice@laptop-1');
    expect((await call<IncidentView>('incidents.create', { title: 'b', severity: 'low', responder: '  ' })).responder).toBe('alice@laptop-1');
    expect((await call<IncidentView>('incidents.create', { title: 'c', severity: 'low', responder: 'bob' })).responder).toBe('bob');
  });

  it('refuses to resolve with pending runbook steps, no root cause and a running command unless a reason is given, and records what was missing', async () => {
    const id = await mitigated();
    // Someone cleared it.
    f.services.incidents.update(id, { responder: '' });
    const run = await f.services.runbooks.start(id, 'drill');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    const term = f.services.terminals.create({ incidentId: id, cols: 100, rows: 30 });
    // A step whose command is still running when the operator clicks Resolve.
    const running = f.services.terminals.service.runCommand(term.id, { stepId: 'drill/check/target', command: 'sleep 30', shell: 'sh' });
    await expect.poll(() => f.services.terminals.service.runningCommands(id).length).toBe(1);

    const check = await call<CloseReadiness>('incidents.closeCheck', { id, to: 'resolved' });
    expect(check.gaps.map((g) => g.kind)).toEqual(['responder', 'rootCause', 'pendingSteps', 'runningCommands']);
    const steps = check.gaps.find((g) => g.kind === 'pendingSteps')!;
    // Every step of the runbook counts, touched or not: 6 steps, 1 done.
    expect(steps.count).toBe(5);
    expect(steps.items).toContain('Drill › Write it down');
    expect(check.gaps.find((g) => g.kind === 'runningCommands')!.items).toEqual(['sleep 30']);

    const refused = await failure('incidents.transition', { id, to: 'resolved' });
    expect(refused.code).toBe('invalid_input');
    expect(refused.message).toMatch(/^reason: INC-0001 is not ready to be resolved: no responder; no root cause .*; 5 runbook steps not done: Drill › Look at the target; .*; 1 command still running: sleep 30\. Give a reason to go ahead anyway$/);
    expect(f.services.incidents.get(id).status).toBe('mitigated');

    const resolved = await call<IncidentView>('incidents.transition', { id, to: 'resolved', reason: 'customer impact over; steps tracked in INC-0002' });
    expect(resolved.status).toBe('resolved');
    const entry = f.services.timeline.list(id).filter((e) => e.kind === 'status.changed').at(-1)!;
    expect(entry.data).toMatchObject({ to: 'resolved', reason: 'customer impact over; steps tracked in INC-0002' });
    expect((entry.data as { gaps: string[] }).gaps).toHaveLength(4);
    // Resolving ends no terminal.
    expect(f.services.terminals.service.get(term.id).running).toBe(true);
    await f.services.terminals.kill(term.id);
    await running.catch(() => undefined);
  });

  it('closing lists the open terminal it would end and the empty postmortem fields; it goes ahead only with a reason', async () => {
    const id = await mitigated({ responder: 'alice' });
    f.services.incidents.addNote(id, 'Root cause: the pool was exhausted by a retry storm');
    expect((await call<CloseReadiness>('incidents.closeCheck', { id, to: 'resolved' })).gaps).toEqual([]);
    await call('incidents.transition', { id, to: 'resolved' });
    const term = f.services.terminals.create({ incidentId: id, cols: 80, rows: 24 });

    const check = await call<CloseReadiness>('incidents.closeCheck', { id, to: 'closed' });
    expect(check.gaps).toEqual([
      { kind: 'openTerminals', count: 1, items: [expect.stringMatching(/ \(pid \d+\)$/)] },
      { kind: 'postmortem', count: 3, items: ['resolution', 'prevention', 'lessons'] },
    ]);
    expect((await failure('incidents.transition', { id, to: 'closed' })).message).toMatch(/1 terminal still open, closing ends it/);
    // Not killed by the refused attempt.
    expect(f.services.terminals.service.get(term.id).running).toBe(true);

    f.services.incidents.addNote(id, 'Resolution: pool size raised, retries capped');
    f.services.incidents.addNote(id, 'Prevention: alert on pool saturation');
    f.services.incidents.addNote(id, 'Lessons: retry storms need jitter');
    expect((await call<CloseReadiness>('incidents.closeCheck', { id, to: 'closed' })).gaps.map((g) => g.kind)).toEqual(['openTerminals']);
    await call('incidents.transition', { id, to: 'closed', reason: 'postmortem done; the shell is not needed' });
    const closed = f.services.timeline.list(id).filter((e) => e.kind === 'status.changed').at(-1)!;
    expect((closed.data as { gaps: string[] }).gaps).toEqual([expect.stringMatching(/^1 terminal still open, closing ends it: /)]);
  });

  it('a complete incident resolves and closes in one click each, as before', async () => {
    const id = await mitigated({ responder: 'alice' });
    f.services.incidents.addNote(id, 'Root cause: disk full');
    f.services.incidents.addNote(id, 'Resolution: rotated logs');
    f.services.incidents.addNote(id, 'Prevention: logrotate daily');
    f.services.incidents.addNote(id, 'Lessons learned: watch /var');
    await call('incidents.transition', { id, to: 'resolved' });
    expect((await call<IncidentView>('incidents.transition', { id, to: 'closed' })).status).toBe('closed');
  });
});
