import os from 'node:os';
import { systemInformation } from '../systeminformation';
import { runCommand, onPath, type CommandSpec } from './commands';
import type { CollectionContext } from './context';

/** Where the numbers come from; injectable so tests and other platforms can substitute. */
export type SnapshotSource = Record<string, () => Promise<unknown>>;

/** systeminformation calls making up a snapshot. Each one may fail alone. */
export function defaultSnapshotSource(): SnapshotSource {
  return {
    os: async () => (await systemInformation()).osInfo(),
    time: async () => ({ ...(await systemInformation()).time(), nodeUptime: os.uptime() }),
    cpu: async () => (await systemInformation()).cpu(),
    load: async () => (await systemInformation()).currentLoad(),
    memory: async () => (await systemInformation()).mem(),
    disks: async () => (await systemInformation()).fsSize(),
    networkInterfaces: async () => (await systemInformation()).networkInterfaces(),
    networkStats: async () => (await systemInformation()).networkStats('*'),
    processes: async () => (await systemInformation()).processes(),
    connections: async () => (await systemInformation()).networkConnections(),
    users: async () => (await systemInformation()).users(),
    // '*' lists every service the platform knows; this is the slow one (spawns systemctl / sc).
    services: async () => (await systemInformation()).services('*'),
  };
}

/** Platform commands whose raw output is worth keeping next to the parsed view. */
export function snapshotCommands(platform: NodeJS.Platform): CommandSpec[] {
  const specs: CommandSpec[] =
    platform === 'win32'
      ? [
          { name: 'commands/netstat-ano.txt', command: 'netstat', args: ['-ano'] },
          { name: 'commands/tasklist-v.txt', command: 'tasklist', args: ['/v'] },
        ]
      : platform === 'darwin'
        ? [
            { name: 'commands/lsof-i.txt', command: 'lsof', args: ['-i', '-P', '-n'] },
            { name: 'commands/ps-axww.txt', command: 'ps', args: ['axww', '-o', 'pid,ppid,user,lstart,command'] },
          ]
        : [
            { name: 'commands/ss-tulpan.txt', command: 'ss', args: ['-tulpan'] },
            { name: 'commands/ps-eww.txt', command: 'ps', args: ['-eo', 'pid,ppid,user,lstart,args', 'ww'] },
          ];
  return specs.filter((s) => onPath(s.command));
}

const SOURCE_TIMEOUT_MS = 30_000;

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
    }),
  ]);
}

export interface SnapshotRequest {
  /** Which sections to take (default: all of the source's). */
  readonly sections?: readonly string[];
  readonly includeCommands?: boolean;
}

/** Takes the snapshot and stores it as JSON and as readable text, plus raw command output. */
export async function collectSnapshot(ctx: CollectionContext, source: SnapshotSource, request: SnapshotRequest = {}): Promise<void> {
  const takenAt = new Date(ctx.now()).toISOString();
  const sections: Record<string, unknown> = {};
  const errors: Record<string, string> = {};
  const names = (request.sections ?? Object.keys(source)).filter((n) => source[n]);
  await Promise.all(
    names.map(async (name) => {
      ctx.progress(0, `snapshot: ${name}`);
      try {
        sections[name] = await withTimeout(source[name]!(), SOURCE_TIMEOUT_MS);
      } catch (error) {
        errors[name] = error instanceof Error ? error.message : String(error);
      }
    }),
  );
  ctx.signal?.throwIfAborted();
  const ordered = Object.fromEntries(names.filter((n) => n in sections).map((n) => [n, sections[n]]));
  const json = JSON.stringify({ takenAt, host: os.hostname(), platform: ctx.platform, sections: ordered, errors }, null, 2);
  const text = renderSnapshot(takenAt, ordered, errors);
  const detail = Object.keys(errors).length ? `sections that failed: ${Object.entries(errors).map(([k, v]) => `${k} (${v})`).join(', ')}` : null;
  for (const [name, body, mediaType] of [
    ['system/snapshot.json', json, 'application/json'],
    ['system/snapshot.txt', text, 'text/plain; charset=utf-8'],
  ] as const) {
    const blob = await ctx.store.putBuffer(body);
    ctx.progress(blob.size);
    await ctx.add({ name, kind: 'snapshot', status: 'ok', detail, sha256: blob.sha256, size: blob.size, mediaType, binary: false, source: null, sourceSha256: null, derivation: null });
  }
  if (request.includeCommands !== false) {
    for (const spec of snapshotCommands(ctx.platform)) await ctx.add(await runCommand(ctx, { ...spec, name: `system/${spec.name}` }));
  }
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);
const str = (v: unknown): string => (v === undefined || v === null ? '' : String(v));
const mb = (v: unknown): string => (typeof v === 'number' ? `${(v / 1024 / 1024).toFixed(0)} MiB` : '?');

/** A responder-readable summary: the parts people scan first, then everything else flat. */
export function renderSnapshot(takenAt: string, sections: Obj, errors: Record<string, string>): string {
  const out: string[] = [`System snapshot taken ${takenAt}`, ''];
  const o = sections.os;
  if (isObj(o)) out.push(`OS: ${str(o.distro)} ${str(o.release)} (${str(o.platform)} ${str(o.arch)}), kernel ${str(o.kernel)}, host ${str(o.hostname)}`);
  const t = sections.time;
  if (isObj(t)) out.push(`Uptime: ${(Number(t.uptime) / 3600).toFixed(1)} h`);
  const load = sections.load;
  if (isObj(load)) out.push(`CPU load: ${Number(load.currentLoad).toFixed(1)}%`);
  const mem = sections.memory;
  if (isObj(mem)) out.push(`Memory: ${mb(mem.active)} used of ${mb(mem.total)}, swap ${mb(mem.swapused)} of ${mb(mem.swaptotal)}`);
  if (Array.isArray(sections.disks)) {
    out.push('', 'Disks:');
    for (const d of sections.disks.filter(isObj)) out.push(`  ${str(d.mount).padEnd(24)} ${str(d.use).padStart(6)}%  ${mb(d.used)} / ${mb(d.size)}  ${str(d.fs)}`);
  }
  const procs = sections.processes;
  if (isObj(procs) && Array.isArray(procs.list)) {
    out.push('', `Processes (${procs.list.length}), by CPU:`, '  PID      USER         CPU%   MEM%  COMMAND');
    const list = procs.list.filter(isObj).sort((a, b) => Number(b.cpu) - Number(a.cpu));
    for (const p of list) out.push(`  ${str(p.pid).padEnd(8)} ${str(p.user).slice(0, 12).padEnd(12)} ${Number(p.cpu).toFixed(1).padStart(5)} ${Number(p.mem).toFixed(1).padStart(6)}  ${str(p.command)} ${str(p.params)}`.trimEnd());
  }
  if (Array.isArray(sections.connections)) {
    const conns = sections.connections.filter(isObj);
    out.push('', 'Listening ports:');
    for (const c of conns.filter((c) => str(c.state).toUpperCase() === 'LISTEN' || c.protocol === 'udp'))
      out.push(`  ${str(c.protocol).padEnd(5)} ${`${str(c.localAddress)}:${str(c.localPort)}`.padEnd(28)} pid ${str(c.pid)} ${str(c.process)}`);
    out.push('', 'Established connections:');
    for (const c of conns.filter((c) => str(c.state).toUpperCase() === 'ESTABLISHED'))
      out.push(`  ${str(c.protocol).padEnd(5)} ${`${str(c.localAddress)}:${str(c.localPort)}`.padEnd(28)} -> ${`${str(c.peerAddress)}:${str(c.peerPort)}`.padEnd(28)} pid ${str(c.pid)} ${str(c.process)}`);
  }
  if (Array.isArray(sections.users)) {
    out.push('', 'Logged-in users:');
    for (const u of sections.users.filter(isObj)) out.push(`  ${str(u.user).padEnd(12)} ${str(u.tty).padEnd(8)} ${str(u.date)} ${str(u.time)} ${str(u.ip)}`);
  }
  if (Array.isArray(sections.services)) {
    out.push('', 'Services:');
    for (const s of sections.services.filter(isObj)) out.push(`  ${s.running ? 'running' : 'stopped'}  ${str(s.name)}`);
  }
  const shown = new Set(['os', 'time', 'load', 'memory', 'disks', 'processes', 'connections', 'users', 'services']);
  for (const [name, value] of Object.entries(sections)) {
    if (shown.has(name)) continue;
    out.push('', `${name}:`, ...JSON.stringify(value, null, 2).split('\n').map((l) => `  ${l}`));
  }
  if (Object.keys(errors).length) {
    out.push('', 'Sections that could not be read:');
    for (const [name, message] of Object.entries(errors)) out.push(`  ${name}: ${message}`);
  }
  return out.join('\n') + '\n';
}
