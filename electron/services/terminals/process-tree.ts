import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

// No orphans: a shell started by node-pty is a session leader (setsid) with the pty as
// controlling terminal. Interactive shells put every job in its own process group, so
// killing the shell's group is not enough: we take everything in the shell's session, in
// its process group, or descending from it, send SIGHUP (+SIGCONT for stopped jobs), and
// SIGKILL whatever is still there after a grace period.

export interface ProcEntry {
  readonly pid: number;
  readonly ppid: number;
  readonly pgid: number;
  /** Session id; -1 where the platform does not tell us cheaply. */
  readonly sid: number;
  /** Start time (Linux: clock ticks since boot), to tell a pid reused in between. */
  readonly start: string;
  readonly zombie: boolean;
}

function parseStat(pid: number, stat: string): ProcEntry | null {
  // pid (comm) state ppid pgrp session tty_nr tpgid flags minflt cminflt majflt cmajflt
  // utime stime cutime cstime priority nice num_threads itrealvalue starttime …
  const close = stat.lastIndexOf(')');
  if (close === -1) return null;
  const f = stat.slice(close + 2).split(' ');
  const state = f[0];
  const ppid = Number(f[1]);
  const pgid = Number(f[2]);
  const sid = Number(f[3]);
  const start = f[19] ?? '';
  if (state === undefined || !Number.isFinite(ppid)) return null;
  return { pid, ppid, pgid, sid, start, zombie: state === 'Z' || state === 'X' };
}

function readLinuxProc(pid: number): ProcEntry | null {
  try {
    return parseStat(pid, readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

export function listProcesses(platform: NodeJS.Platform = process.platform): ProcEntry[] {
  if (platform === 'linux') {
    const out: ProcEntry[] = [];
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const entry = readLinuxProc(Number(name));
      if (entry) out.push(entry);
    }
    return out;
  }
  try {
    const text = execFileSync('ps', ['-A', '-o', 'pid=,ppid=,pgid=,state='], { encoding: 'utf8', timeout: 5000 });
    return text
      .split('\n')
      .map((line) => line.trim().split(/\s+/))
      .filter((f) => f.length >= 4)
      .map((f) => ({
        pid: Number(f[0]),
        ppid: Number(f[1]),
        pgid: Number(f[2]),
        sid: -1,
        start: '',
        zombie: (f[3] ?? '').startsWith('Z'),
      }));
  } catch {
    return [];
  }
}

/** The shell, its session, its process group and all its descendants (never ourselves). */
export function sessionMembers(root: number, procs: readonly ProcEntry[]): ProcEntry[] {
  const byParent = new Map<number, ProcEntry[]>();
  for (const p of procs) {
    const list = byParent.get(p.ppid) ?? [];
    list.push(p);
    byParent.set(p.ppid, list);
  }
  const found = new Map<number, ProcEntry>();
  for (const p of procs) {
    if (p.pid === root || p.sid === root || p.pgid === root) found.set(p.pid, p);
  }
  const queue = [root, ...found.keys()];
  while (queue.length > 0) {
    const pid = queue.pop() as number;
    for (const child of byParent.get(pid) ?? []) {
      if (!found.has(child.pid)) {
        found.set(child.pid, child);
        queue.push(child.pid);
      }
    }
  }
  found.delete(process.pid);
  return [...found.values()].filter((p) => !p.zombie);
}

/** Still running and still the same process (not a reused pid)? */
export function isAlive(entry: Pick<ProcEntry, 'pid' | 'start'>, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'linux') {
    const now = readLinuxProc(entry.pid);
    return now !== null && !now.zombie && (entry.start === '' || now.start === entry.start);
  }
  try {
    process.kill(entry.pid, 0);
    return true;
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    /* already gone */
  }
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export interface KillTreeOptions {
  /** How long processes get to exit after SIGHUP before SIGKILL. */
  readonly graceMs: number;
  readonly platform?: NodeJS.Platform;
}

/**
 * Hang up the whole session of `root` and make sure it is gone. Returns the pids that
 * needed SIGKILL. POSIX only; on Windows ConPTY closes the console and its processes.
 */
export async function killProcessTree(root: number, opts: KillTreeOptions): Promise<number[]> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') return [];
  const targets = sessionMembers(root, listProcesses(platform));
  signal(-root, 'SIGHUP');
  for (const p of targets) signal(p.pid, 'SIGHUP');
  for (const p of targets) signal(p.pid, 'SIGCONT');
  const deadline = Date.now() + opts.graceMs;
  let alive = targets.filter((p) => isAlive(p, platform));
  while (alive.length > 0 && Date.now() < deadline) {
    await sleep(Math.min(50, Math.max(1, deadline - Date.now())));
    alive = alive.filter((p) => isAlive(p, platform));
  }
  // Anything left, plus anything the session spawned meanwhile (sid/pgid still match).
  const late = sessionMembers(root, listProcesses(platform)).filter((p) => !targets.some((t) => t.pid === p.pid));
  const killed = [...alive, ...late];
  for (const p of killed) signal(p.pid, 'SIGKILL');
  return killed.map((p) => p.pid);
}

/** After a shell exited on its own: hang up what it left behind in its session. */
export async function reapSession(root: number, opts: KillTreeOptions): Promise<number[]> {
  const platform = opts.platform ?? process.platform;
  if (platform === 'win32') return [];
  const procs = listProcesses(platform);
  // Once the leader is gone only sid/pgid tie the leftovers to it (they were reparented).
  const left = procs.filter((p) => p.pid !== process.pid && !p.zombie && (p.sid === root || p.pgid === root));
  if (left.length === 0) return [];
  return killProcessTree(root, opts);
}
