import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { listProcesses, sessionMembers } from '../../../../electron/services/terminals/process-tree';
import { TerminalService, type TerminalExitEvent, type TerminalServiceDeps } from '../../../../electron/services/terminals';

export const PROMPT = 'FBPROMPT> ';

/** Deterministic shells for tests: no rc files, a known prompt. */
export const SHELLS = [
  { name: 'bash', shell: 'bash', shellArgs: ['--noprofile', '--norc'] },
  { name: 'sh', shell: 'sh', shellArgs: [] as string[] },
] as const;

export function hasCommand(cmd: string): boolean {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Poll until `cond` holds; generous by default so a loaded machine does not flake. */
export async function waitFor<T>(cond: () => T | undefined | null | false, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = cond();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Alive = exists and is not a zombie (orphans may sit unreaped under a container's pid 1). */
export function pidAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const state = stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0];
    return state !== 'Z' && state !== 'X';
  } catch {
    try {
      process.kill(pid, 0);
      return process.platform !== 'linux';
    } catch {
      return false;
    }
  }
}

/** A service plus a recorder of everything it emitted, per terminal. */
export function harness(deps: TerminalServiceDeps = {}, options: { autoAck?: boolean } = {}) {
  const mode = { autoAck: options.autoAck ?? true };
  const svc = new TerminalService({ killGraceMs: 400, ...deps, env: { ...process.env, PS1: PROMPT, ...(deps.env ?? {}) } });
  const output = new Map<string, string>();
  const exits: TerminalExitEvent[] = [];
  svc.on('data', (e) => {
    output.set(e.id, (output.get(e.id) ?? '') + e.data);
    if (mode.autoAck) svc.ack(e.id, e.data.length);
  });
  svc.on('exit', (e) => exits.push(e));
  const out = (id: string): string => output.get(id) ?? '';
  const create = (shell: (typeof SHELLS)[number] = SHELLS[0], extra: { cols?: number; rows?: number; incidentId?: number } = {}) =>
    svc.create({
      incidentId: extra.incidentId ?? 1,
      cwd: process.cwd(),
      shell: shell.shell,
      shellArgs: [...shell.shellArgs],
      cols: extra.cols ?? 80,
      rows: extra.rows ?? 24,
    });
  /** Wait until the shell printed its prompt (it is ready for input). */
  const ready = (id: string) => waitFor(() => out(id).includes(PROMPT), 'first prompt');
  return { svc, out, exits, create, ready, output, mode };
}

/** Command names of the processes in a terminal's session (Linux /proc). */
export function sessionCommands(shellPid: number): string[] {
  return sessionMembers(shellPid, listProcesses()).map((p) => {
    try {
      return readFileSync(`/proc/${p.pid}/comm`, 'utf8').trim();
    } catch {
      return '';
    }
  });
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
