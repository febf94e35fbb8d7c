import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * A real OpenSSH server for tests: `sshd -D -e` on 127.0.0.1 and a random port, with a
 * throwaway host key and one authorised throwaway client key, plus a private client config
 * (`Host fbtest`) and known_hosts, so nothing under ~/.ssh is read or written.
 *
 * `path` (the server's PATH) lets a test take tools away (a server without sha256sum) or
 * put wrappers first (a `head` that stalls, to drop the connection mid-file).
 */
export interface TestSshd {
  readonly dir: string;
  readonly port: number;
  /** The listening sshd's pid (its sessions are its descendants), or null once stopped. */
  readonly pid: number | null;
  /** The remote user (whoever runs the tests: sshd authorises the key for that account). */
  readonly user: string;
  /** `ssh -F` file with `Host fbtest` → this server. */
  readonly config: string;
  /** The client's own known_hosts (empty at start: the host key is unknown). */
  readonly knownHosts: string;
  /** `127.0.0.1:port`-style entry to pre-trust the current host key. */
  trustHostKey(): void;
  /** Replaces the host key and restarts: the key the client trusted no longer matches. */
  changeHostKey(): Promise<void>;
  /** SIGKILLs every process the server started (sessions, their commands): connections drop. */
  dropConnections(): void;
  stop(): Promise<void>;
}

export const SSHD = '/usr/sbin/sshd';
export const sshdAvailable = fs.existsSync(SSHD);

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

function keygen(file: string): void {
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'firebreak-test', '-f', file]);
}

/** Children of `pid` and theirs, from /proc (Linux), deepest first. */
export function descendants(pid: number): number[] {
  const children = new Map<number, number[]>();
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // gone meanwhile
    }
  }
  const out: number[] = [];
  const walk = (p: number): void => {
    for (const c of children.get(p) ?? []) {
      walk(c);
      out.push(c);
    }
  };
  walk(pid);
  return out;
}

export interface SshdOptions {
  /** Tools the server lacks: sessions get a PATH of links to everything else in /usr/bin, /bin. */
  readonly without?: readonly string[];
  /** Scripts put first on the server's PATH, by name (e.g. a `head` that stalls). */
  readonly wrappers?: Readonly<Record<string, string>>;
}

/**
 * The server's sessions go through a ForceCommand that sets PATH and runs the command with
 * /bin/sh: the login shell's rc files (root's .bashrc here) would otherwise put the full
 * system PATH back.
 */
function restrictPath(dir: string, options: SshdOptions): string {
  const bin = path.join(dir, 'bin');
  fs.mkdirSync(bin);
  const without = new Set(options.without ?? []);
  for (const from of ['/bin', '/usr/bin', '/sbin', '/usr/sbin']) {
    for (const name of fs.readdirSync(from)) {
      if (without.has(name) || fs.existsSync(path.join(bin, name))) continue;
      fs.symlinkSync(path.join(from, name), path.join(bin, name));
    }
  }
  const wrappers = path.join(dir, 'wrappers');
  fs.mkdirSync(wrappers);
  for (const [name, script] of Object.entries(options.wrappers ?? {})) fs.writeFileSync(path.join(wrappers, name), script, { mode: 0o755 });
  const force = path.join(dir, 'force-command');
  fs.writeFileSync(
    force,
    `#!/bin/sh\nPATH=${wrappers}:${bin}; export PATH\nif [ -z "$SSH_ORIGINAL_COMMAND" ]; then exec /bin/sh -i; fi\nexec /bin/sh -c "$SSH_ORIGINAL_COMMAND"\n`,
    { mode: 0o755 },
  );
  return force;
}

export async function startSshd(options: SshdOptions = {}): Promise<TestSshd> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-sshd-'));
  fs.chmodSync(dir, 0o700);
  fs.mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  const hostKey = path.join(dir, 'host_ed25519');
  const clientKey = path.join(dir, 'client_ed25519');
  keygen(hostKey);
  keygen(clientKey);
  fs.copyFileSync(`${clientKey}.pub`, path.join(dir, 'authorized_keys'));
  const port = await freePort();
  const user = os.userInfo().username;
  const serverConfig = path.join(dir, 'sshd_config');
  fs.writeFileSync(
    serverConfig,
    [
      `ListenAddress 127.0.0.1:${port}`,
      `HostKey ${hostKey}`,
      'PidFile none',
      `AuthorizedKeysFile ${path.join(dir, 'authorized_keys')}`,
      'PasswordAuthentication no',
      'KbdInteractiveAuthentication no',
      'UsePAM no',
      'StrictModes no',
      'PermitRootLogin prohibit-password',
      'PrintMotd no',
      'LogLevel ERROR',
      ...(options.without || options.wrappers ? [`ForceCommand ${restrictPath(dir, options)}`] : []),
      '',
    ].join('\n'),
  );
  const knownHosts = path.join(dir, 'known_hosts');
  fs.writeFileSync(knownHosts, '');
  const config = path.join(dir, 'ssh_config');
  fs.writeFileSync(
    config,
    [
      'Host fbtest',
      '  HostName 127.0.0.1',
      `  Port ${port}`,
      `  User ${user}`,
      `  IdentityFile ${clientKey}`,
      '  IdentitiesOnly yes',
      '  IdentityAgent none',
      `  UserKnownHostsFile ${knownHosts}`,
      '  GlobalKnownHostsFile /dev/null',
      '  LogLevel ERROR',
      '',
    ].join('\n'),
  );
  fs.chmodSync(config, 0o600);

  let child: ChildProcess | null = null;
  const start = (): Promise<void> =>
    new Promise((resolve, reject) => {
      // -e: log to stderr; LogLevel ERROR keeps it quiet, so we poll the port instead.
      const proc = spawn(SSHD, ['-D', '-e', '-f', serverConfig], { stdio: ['ignore', 'ignore', 'pipe'] });
      child = proc;
      let stderr = '';
      proc.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
      proc.once('exit', (code) => reject(new Error(`sshd exited (${code}): ${stderr}`)));
      const poll = (tries: number): void => {
        const socket = net.connect(port, '127.0.0.1');
        socket.once('connect', () => {
          socket.destroy();
          resolve();
        });
        socket.once('error', () => {
          socket.destroy();
          if (tries <= 0) reject(new Error(`sshd did not listen on ${port}: ${stderr}`));
          else setTimeout(() => poll(tries - 1), 50);
        });
      };
      poll(200);
    });
  const stopServer = async (): Promise<void> => {
    const proc = child;
    child = null;
    if (!proc || proc.exitCode !== null) return;
    for (const pid of descendants(proc.pid!)) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  };
  await start();

  return {
    dir,
    port,
    get pid() {
      return (child as ChildProcess | null)?.pid ?? null;
    },
    user,
    config,
    knownHosts,
    trustHostKey() {
      const pub = fs.readFileSync(`${hostKey}.pub`, 'utf8').trim().split(' ').slice(0, 2).join(' ');
      fs.appendFileSync(knownHosts, `[127.0.0.1]:${port} ${pub}\n`);
    },
    async changeHostKey() {
      await stopServer();
      fs.rmSync(hostKey);
      fs.rmSync(`${hostKey}.pub`);
      keygen(hostKey);
      await start();
    },
    dropConnections() {
      const proc = child;
      if (!proc?.pid) return;
      // Parents first: the connection's own sshd goes before the session's shell and commands.
      // Deepest first, a killed command's session could report its end (an exit signal, not a
      // lost connection) before its sshd was reached, and on a loaded machine it sometimes did.
      for (const pid of descendants(proc.pid).reverse()) {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          // already gone
        }
      }
    },
    async stop() {
      await stopServer();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
