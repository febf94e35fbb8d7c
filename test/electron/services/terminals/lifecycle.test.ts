import { afterEach, describe, expect, it } from 'vitest';
import { TerminalError } from '../../../../electron/services/terminals';
import { harness, pidAlive, SHELLS, waitFor } from './helpers';

// Real node-pty: resize, several terminals per incident, kill without orphans, exits.

let current: ReturnType<typeof harness> | null = null;
afterEach(async () => {
  await current?.svc.dispose();
  current = null;
});

async function backgroundPid(h: ReturnType<typeof harness>, id: string, command: string): Promise<number> {
  const tag = `BG${Math.random().toString(36).slice(2, 8)}`;
  h.svc.write(id, `${command} & echo "${tag}=$!"\r`);
  const m = await waitFor(() => new RegExp(`${tag}=(\\d+)`).exec(h.out(id)), 'background pid');
  const pid = Number(m[1]);
  await waitFor(() => pidAlive(pid), 'background process to run');
  return pid;
}

describe('terminal lifecycle', () => {
  it('resize reaches the pty', async () => {
    const h = (current = harness());
    const id = h.create(SHELLS[0], { cols: 80, rows: 24 });
    const before = await h.svc.runCommand(id, { command: 'stty size', shell: 'sh', stepId: 'size' });
    expect(before.text.trim()).toBe('24 80');
    h.svc.resize(id, 132, 43);
    expect(h.svc.get(id)).toMatchObject({ cols: 132, rows: 43 });
    const after = await h.svc.runCommand(id, { command: 'stty size', shell: 'sh', stepId: 'size' });
    expect(after.text.trim()).toBe('43 132');
    expect(() => h.svc.resize(id, 0, 10)).toThrow(TerminalError);
  });

  it.each(SHELLS)('kill leaves no orphan in $name (background job, SIGHUP-immune child)', async (shell) => {
    const h = (current = harness({ killGraceMs: 300 }));
    const id = h.create(shell);
    await h.ready(id);
    const shellPid = h.svc.get(id).pid;
    const job = await backgroundPid(h, id, 'sleep 1000');
    const immune = await backgroundPid(h, id, `sh -c 'trap "" HUP; exec sleep 1001'`);
    const exit = await h.svc.kill(id);
    expect(exit).toMatchObject({ id, incidentId: 1, reason: 'killed' });
    await waitFor(() => !pidAlive(job), 'sleep 1000 to be gone', 10_000);
    await waitFor(() => !pidAlive(immune), 'HUP-immune sleep to be gone', 10_000);
    await waitFor(() => !pidAlive(shellPid), 'shell to be gone', 10_000);
    expect(h.exits).toEqual([exit]);
    expect(() => h.svc.write(id, 'x')).toThrow(TerminalError);
  });

  it('a shell exiting on its own emits exit and its leftovers are hung up', async () => {
    const h = (current = harness({ killGraceMs: 300 }));
    const id = h.create(SHELLS[0]);
    await h.ready(id);
    const job = await backgroundPid(h, id, 'sleep 1002');
    h.svc.write(id, 'exit 7\r');
    await waitFor(() => h.exits.length === 1, 'exit event');
    expect(h.exits[0]).toEqual({ id, incidentId: 1, exitCode: 7, signal: null, reason: 'exited' });
    await waitFor(() => !pidAlive(job), 'left-over sleep to be gone', 10_000);
    expect(h.svc.list()).toEqual([]);
  });

  it('several terminals per incident; closing the incident ends only its terminals; dispose ends the rest', async () => {
    const h = (current = harness({ killGraceMs: 300 }));
    const a = h.create(SHELLS[0], { incidentId: 5 });
    const b = h.create(SHELLS[1], { incidentId: 5 });
    const c = h.create(SHELLS[0], { incidentId: 6 });
    expect(h.svc.list(5).map((t) => t.id).sort()).toEqual([a, b].sort());
    const [ra, rb] = await Promise.all([
      h.svc.runCommand(a, { command: 'echo a', shell: 'sh', stepId: 'x' }),
      h.svc.runCommand(b, { command: 'echo b', shell: 'sh', stepId: 'x' }),
    ]);
    expect([ra.text, rb.text]).toEqual(['a\n', 'b\n']);
    const pids = [a, b].map((id) => h.svc.get(id).pid);

    const events = await h.svc.killAllFor(5);
    expect(events.map((e) => [e.id, e.reason]).sort()).toEqual([[a, 'disposed'], [b, 'disposed']].sort());
    for (const pid of pids) await waitFor(() => !pidAlive(pid), 'shell gone');
    expect(h.svc.list(5)).toEqual([]);
    expect(h.svc.list(6)).toHaveLength(1);

    await h.svc.dispose();
    expect(h.exits.find((e) => e.id === c)).toMatchObject({ reason: 'disposed', incidentId: 6 });
    expect(() => h.create()).toThrow(/disposed/);
  });

  it('a running command is reported when its terminal is killed', async () => {
    const h = (current = harness({ killGraceMs: 300 }));
    const id = h.create(SHELLS[0]);
    const run = h.svc.runCommand(id, { command: 'echo begun; sleep 1000', shell: 'sh', stepId: 'long' });
    await waitFor(() => h.out(id).includes('begun\r\n'), 'command started');
    await h.svc.kill(id);
    const r = await run;
    expect(r.terminalExited).toBe(true);
    expect(r.text).toContain('begun');
  });
});

describe('create', () => {
  it('rejects a missing working directory, a missing shell and a bad size', () => {
    const h = (current = harness());
    const base = { incidentId: 1, cols: 80, rows: 24 };
    expect(() => h.svc.create({ ...base, cwd: '/definitely/not/here', shell: 'sh' })).toThrow(/working directory/);
    expect(() => h.svc.create({ ...base, cwd: '/', shell: '/definitely/not/a-shell' })).toThrow(TerminalError);
    expect(() => h.svc.create({ ...base, cwd: '/', shell: 'sh', cols: 0 })).toThrow(/size/);
  });

  it('uses the platform default shell when none is given, in the given cwd', async () => {
    const h = (current = harness({ env: { ...process.env, SHELL: '/bin/sh' } }));
    const id = h.svc.create({ incidentId: 3, cwd: '/tmp', cols: 80, rows: 24 });
    expect(h.svc.get(id)).toMatchObject({ shell: '/bin/sh', flavor: 'sh', incidentId: 3, running: true });
    const r = await h.svc.runCommand(id, { command: 'pwd; echo "$FIREBREAK_INCIDENT_ID"', shell: 'sh', stepId: 'where' });
    expect(r.text).toBe('/tmp\n3\n');
  });
});
