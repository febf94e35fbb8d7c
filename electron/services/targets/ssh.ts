import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ResolvedTarget, TargetConnectionState, TargetOrigin, TargetStatus } from '../../../shared/targets';
import type { Clock } from '../clock';
import { spawnScript } from './local';
import { runProcess } from './process';
import { destinationArgs, type TargetSpec } from './quote';
import { type ExecOptions, type Target, type TargetProcess } from './target';

export interface SshSettings {
  /** Private (0700) folder for ControlMaster sockets and connection logs. */
  readonly controlDir: string;
  /** Host keys the operator accepted in Firebreak; read after their own known_hosts files. */
  readonly knownHostsFile: string;
  /** `ssh -F FILE` (tests, or a profile-specific config); default the operator's ~/.ssh/config. */
  readonly configFile?: string;
  readonly ssh?: string;
  readonly connectTimeoutSec?: number;
  /** A remote command silent this long on a live connection is stopped (default 60; 0: never). */
  readonly readTimeoutSec?: number;
  /** How long an idle master stays up after the last use (ControlPersist). */
  readonly persistSec?: number;
  /** How long a successful `ssh -O check` vouches for the master (ms; default 5 s). */
  readonly masterCheckFreshMs?: number;
  readonly clock: Clock;
}

/** First retry after a failure, doubling up to the cap; a success resets it. */
const BACKOFF_MIN_MS = 1_000;
const BACKOFF_MAX_MS = 60_000;
/** How long a successful `ssh -O check` vouches for the master before the next session checks again. */
const ALIVE_FRESH_MS = 5_000;
/** Long enough for a slow `find` over /etc between two lines; short enough that a hung read is noticed. */
const DEFAULT_READ_TIMEOUT_SEC = 60;

/** `ssh`'s messages turned into a state and one clear sentence. */
export function classifySshFailure(target: string, output: string, timedOut: boolean): { state: TargetConnectionState; message: string } {
  const text = output.replace(/\r/g, '');
  if (/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key for .* has changed/.test(text)) {
    const fp = /(SHA256:[A-Za-z0-9+/=]+)/.exec(text)?.[1];
    return {
      state: 'host-key-changed',
      message: `the host key of ${target} has changed${fp ? ` (it now offers ${fp})` : ''}; Firebreak refuses to connect. If the server was really reinstalled, remove the old key from known_hosts (ssh-keygen -R) after checking the new fingerprint with its administrator.`,
    };
  }
  if (/No .* host key is known for|Host key verification failed/.test(text)) {
    return { state: 'host-key-unknown', message: `the host key of ${target} is not known yet: check its fingerprint and accept it before connecting` };
  }
  if (/Permission denied|Too many authentication failures|No more authentication methods/.test(text)) {
    return { state: 'auth-required', message: `${target} refused the key/agent authentication; open a terminal on it and authenticate once (password, hardware key), the collectors then reuse that connection` };
  }
  if (timedOut || /timed out/i.test(text)) return { state: 'unreachable', message: `${target} did not answer in time` };
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('debug') && !l.startsWith('Warning: Permanently'))
    .pop();
  return { state: 'unreachable', message: line ? `${target}: ${line}` : `${target} is unreachable` };
}

/** Parses `ssh -G` output (lower-case keyword, value). */
function parseConfigDump(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split('\n')) {
    const space = line.indexOf(' ');
    if (space <= 0) continue;
    const key = line.slice(0, space);
    if (!map.has(key)) map.set(key, line.slice(space + 1).trim());
  }
  return map;
}

/**
 * A host reached with the operator's own OpenSSH client. One ControlMaster per target
 * (socket in the profile's private folder, ControlPersist) carries every session: the
 * collectors, the gauge loop and terminals open channels on it instead of new handshakes.
 *
 * Options always passed: StrictHostKeyChecking=yes (an unknown key is never accepted
 * silently; a changed one is refused), BatchMode=yes for background work (never waits for
 * a password nobody sees), the profile's accepted keys after the operator's own known_hosts,
 * connect and keep-alive timeouts. Everything else — Host aliases, User, Port, IdentityFile,
 * ProxyJump, the agent — comes from their ssh config as in their shell.
 */
export class SshTarget implements Target {
  private status: { state: TargetConnectionState; since: number; message: string | null; retryAt: number | null };
  private fingerprint: string | null = null;
  private resolved: (ResolvedTarget & { readonly knownHostsFiles: readonly string[]; readonly hostKeyAlias: string }) | null = null;
  private connecting: Promise<void> | null = null;
  private backoffMs = BACKOFF_MIN_MS;
  private readonly listeners = new Set<(status: TargetStatus) => void>();
  /** When `ssh -O check` last found the master up (monotonic ms). */
  private aliveAt = -Infinity;

  constructor(
    readonly spec: TargetSpec,
    private readonly settings: SshSettings,
  ) {
    this.status = { state: 'idle', since: settings.clock.now(), message: null, retryAt: null };
  }

  get name(): string {
    return this.spec.name;
  }

  get controlPath(): string {
    // %C-like but computed here, so we know the socket path without asking ssh.
    const id = crypto.createHash('sha256').update(this.spec.name).digest('hex').slice(0, 32);
    return path.join(this.settings.controlDir, id);
  }

  onStatus(listener: (status: TargetStatus) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  current(): TargetStatus {
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return { name: this.name, state: this.status.state, since: iso(this.status.since)!, message: this.status.message, retryAt: iso(this.status.retryAt), hostKeyFingerprint: this.fingerprint };
  }

  private setState(state: TargetConnectionState, message: string | null, retryAt: number | null = null): void {
    const changed = state !== this.status.state;
    this.status = { state, since: changed ? this.settings.clock.now() : this.status.since, message, retryAt };
    const snapshot = this.current();
    for (const l of this.listeners) l(snapshot);
  }

  /** Options every ssh invocation for this target gets (before the destination). */
  async baseArgs(): Promise<string[]> {
    const resolved = await this.resolve();
    return [
      ...(this.settings.configFile ? ['-F', this.settings.configFile] : []),
      '-o', `ControlPath=${this.controlPath}`,
      '-o', 'StrictHostKeyChecking=yes',
      '-o', `UserKnownHostsFile=${[...resolved.knownHostsFiles, this.settings.knownHostsFile].join(' ')}`,
      '-o', 'UpdateHostKeys=no',
      '-o', `ConnectTimeout=${this.settings.connectTimeoutSec ?? 10}`,
      '-o', 'ServerAliveInterval=5',
      '-o', 'ServerAliveCountMax=3',
    ];
  }

  /** What the operator's ssh config makes of the name (`ssh -G`; reads config only, no network). */
  async resolve(): Promise<ResolvedTarget & { readonly knownHostsFiles: readonly string[]; readonly hostKeyAlias: string }> {
    if (this.resolved) return this.resolved;
    const args = [...(this.settings.configFile ? ['-F', this.settings.configFile] : []), '-G', ...destinationArgs(this.spec)];
    const result = await runProcess(this.settings.ssh ?? 'ssh', args, { timeoutMs: 10_000 });
    if (result.code !== 0) throw new Error(`ssh could not read its configuration for ${this.name}: ${result.stderr.trim() || `exit ${result.code}`}`);
    const dump = parseConfigDump(result.stdout);
    const hostname = dump.get('hostname') ?? this.spec.host;
    const port = Number(dump.get('port') ?? 22);
    const files = (dump.get('userknownhostsfile') ?? '~/.ssh/known_hosts ~/.ssh/known_hosts2').split(/\s+/).filter((f) => f && f !== this.settings.knownHostsFile);
    const base = dump.get('hostkeyalias') ?? hostname;
    this.resolved = { name: this.name, hostname, port, user: dump.get('user') ?? '', knownHostsFiles: files, hostKeyAlias: port === 22 ? base : `[${base}]:${port}` };
    return this.resolved;
  }

  /** Whether our master for this target is up (`ssh -O check`; no network traffic). */
  async masterAlive(): Promise<boolean> {
    if (!fs.existsSync(this.controlPath)) return false;
    const result = await runProcess(this.settings.ssh ?? 'ssh', [...(await this.baseArgs()), '-O', 'check', ...destinationArgs(this.spec)], { timeoutMs: 5_000 });
    if (result.code === 0) this.aliveAt = performance.now();
    return result.code === 0;
  }

  /**
   * Brings the master connection up (or finds it up). Concurrent callers share one attempt.
   * After a failure, callers before `retryAt` get the same failure at once instead of a new
   * handshake (backoff 1 s doubling to 60 s); `force` skips the wait (the operator asked).
   */
  connect(options: { readonly force?: boolean; readonly signal?: AbortSignal } = {}): Promise<void> {
    this.connecting ??= this.doConnect(options).finally(() => (this.connecting = null));
    return this.connecting;
  }

  private async doConnect(options: { readonly force?: boolean; readonly signal?: AbortSignal }): Promise<void> {
    // A master checked a moment ago is taken as up without another `ssh -O check` process:
    // a collection opens a session every few hundred ms. A master that died meanwhile fails
    // its next session with 255, which marks the target lost, and the next use checks again.
    if (this.status.state === 'connected' && performance.now() - this.aliveAt < (this.settings.masterCheckFreshMs ?? ALIVE_FRESH_MS) && fs.existsSync(this.controlPath)) return;
    if (this.status.state === 'connected' && (await this.masterAlive())) return;
    const now = this.settings.clock.now();
    if (!options.force && this.status.retryAt !== null && now < this.status.retryAt) throw new Error(this.status.message ?? `${this.name} is not connected`);
    this.ensureControlDir();
    if (await this.masterAlive()) {
      // A master left by another Firebreak process (the CLI, the app) or an earlier run.
      this.fingerprint = this.readFingerprint();
      this.succeeded();
      return;
    }
    this.setState('connecting', null);
    // -v into a log file: the only place ssh names the host key it verified ("Server host
    // key: …"), which custody entries record. -E also keeps the detached master off our pipes.
    const log = path.join(this.settings.controlDir, `${path.basename(this.controlPath)}.log`);
    fs.rmSync(log, { force: true });
    const timeoutMs = ((this.settings.connectTimeoutSec ?? 10) + 10) * 1000;
    const args = [
      ...(await this.baseArgs()),
      '-o', 'ControlMaster=yes',
      '-o', `ControlPersist=${this.settings.persistSec ?? 600}`,
      '-o', 'BatchMode=yes',
      '-v', '-E', log,
      '-N',
      ...destinationArgs(this.spec),
    ];
    const result = await runProcess(this.settings.ssh ?? 'ssh', args, { timeoutMs, ...(options.signal ? { signal: options.signal } : {}) });
    const logText = fs.existsSync(log) ? fs.readFileSync(log, 'utf8') : '';
    fs.rmSync(log, { force: true });
    if (result.code === 0 && (await this.masterAlive())) {
      this.fingerprint = /Server host key: \S+ (SHA256:[A-Za-z0-9+/=]+)/.exec(logText)?.[1] ?? null;
      fs.writeFileSync(`${this.controlPath}.hostkey`, this.fingerprint ?? '', { mode: 0o600 });
      this.succeeded();
      return;
    }
    const failure = options.signal?.aborted
      ? { state: 'idle' as const, message: 'cancelled' }
      : classifySshFailure(this.name, `${logText}\n${result.stderr}`, result.timedOut);
    // A host key problem is not retried on its own: it needs the operator.
    const retry = failure.state === 'unreachable' || failure.state === 'auth-required' ? now + this.backoffMs : null;
    this.backoffMs = Math.min(this.backoffMs * 2, BACKOFF_MAX_MS);
    this.setState(failure.state, failure.message, retry);
    throw new Error(failure.message);
  }

  /** The socket folder: private (0700), since whoever can reach a master socket can use the connection. */
  private ensureControlDir(): void {
    fs.mkdirSync(this.settings.controlDir, { recursive: true, mode: 0o700 });
    fs.chmodSync(this.settings.controlDir, 0o700);
  }

  private succeeded(): void {
    this.backoffMs = BACKOFF_MIN_MS;
    this.setState('connected', null);
  }

  private readFingerprint(): string | null {
    try {
      return fs.readFileSync(`${this.controlPath}.hostkey`, 'utf8').trim() || null;
    } catch {
      return null;
    }
  }

  /** The connection is gone (a session failed with ssh's 255): next use reconnects. */
  markLost(message: string): void {
    this.aliveAt = -Infinity;
    this.setState('unreachable', message, this.settings.clock.now() + this.backoffMs);
  }

  /** Forgets a failure so the next connect tries at once (after the operator accepted a key). */
  resetBackoff(): void {
    this.backoffMs = BACKOFF_MIN_MS;
    if (this.status.state !== 'connected') this.setState('idle', null);
  }

  async exec(script: string, options: ExecOptions = {}): Promise<TargetProcess> {
    await this.connect(options.signal ? { signal: options.signal } : {});
    // ControlMaster=no: a session on the master; `sh -s` is the whole remote command line.
    const args = [...(await this.baseArgs()), '-o', 'ControlMaster=no', '-o', 'BatchMode=yes', '-T', ...destinationArgs(this.spec), 'sh -s'];
    const readTimeoutMs = options.readTimeoutMs ?? (this.settings.readTimeoutSec ?? DEFAULT_READ_TIMEOUT_SEC) * 1000;
    const proc = spawnScript(this.settings.ssh ?? 'ssh', args, script, { ...options, readTimeoutMs });
    const done = proc.done.then((result) => {
      if (result.stalled) {
        const took = /for (.*) \(read timeout\)/.exec(result.stalled)?.[1] ?? `${readTimeoutMs / 1000} s`;
        return { ...result, stalled: `${this.name} sent nothing for ${took} while the connection stayed up; the remote command was stopped (read timeout)` };
      }
      // 255 is ssh's own failure (the scripts never exit 255): the connection is gone.
      if (result.code !== 255 || options.signal?.aborted) return result;
      const why = result.stderr.trim().split('\n').pop() || 'ssh exited with 255';
      this.markLost(why);
      return { ...result, connectionLost: why };
    });
    return { stdout: proc.stdout, done, kill: proc.kill };
  }

  async origin(): Promise<TargetOrigin> {
    const resolved = await this.resolve();
    return { target: this.name, hostname: resolved.hostname, user: resolved.user, hostKeyFingerprint: this.fingerprint ?? this.readFingerprint() };
  }

  /** ssh with a tty on the same master (ControlMaster=auto: it becomes the master if none is up). */
  async shellCommand(): Promise<{ file: string; args: string[] }> {
    this.ensureControlDir();
    return { file: this.settings.ssh ?? 'ssh', args: [...(await this.baseArgs()), '-o', 'ControlMaster=auto', '-o', `ControlPersist=${this.settings.persistSec ?? 600}`, '-tt', ...destinationArgs(this.spec)] };
  }

  /** Stops the master (`ssh -O exit`); sessions on it end. */
  async close(): Promise<void> {
    this.aliveAt = -Infinity;
    if (!fs.existsSync(this.controlPath)) return;
    await runProcess(this.settings.ssh ?? 'ssh', [...(await this.baseArgs()), '-O', 'exit', ...destinationArgs(this.spec)], { timeoutMs: 5_000 });
    fs.rmSync(`${this.controlPath}.hostkey`, { force: true });
    this.setState('idle', null);
  }
}
