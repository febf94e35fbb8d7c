import { EventEmitter } from 'node:events';
import { randomBytes } from 'node:crypto';
import { statSync } from 'node:fs';
import { systemClock, type Clock } from '../clock';
import { nodePtyFactory, type TerminalServiceDeps } from './deps';
import { DEFAULT_FLOW, OutputPump, type FlowOptions } from './flow';
import { MarkerScanner, type ScanPart } from './markers';
import { killProcessTree, reapSession } from './process-tree';
import { buildResult, storeTranscript, type PendingRun } from './runs';
import { defaultShell, flavorOf, shellEnv, shellExists } from './shell';
import { CappedText, maskSecrets } from './text';
import { checkSize, noteShellOutput, termInfo, termStats, typeWhenShellReady, type Term } from './term';
import {
  TerminalError,
  type CommandResult,
  type CreateTerminalOptions,
  type ExitReason,
  type FlowStats,
  type PtyFactory,
  type PtyLike,
  type RunCommandOptions,
  type TerminalEventName,
  type TerminalEvents,
  type TerminalExitEvent,
  type TerminalInfo,
} from './types';
import { holdEcho, replaceEchoes, shownCommand, takeEcho } from './echo';
import { newNonce, wrapCommand } from './wrap';

const HELD_RELEASE_MS = 50;
/** Shown in place of a command that carries a secret, when the caller gave nothing safer. */
const HIDDEN_COMMAND = '(a command carrying a secret; its text is not shown)';

/**
 * Embedded terminals of the main process: node-pty shells per incident, flow-controlled
 * output towards the renderer, runbook commands with exit code / duration / transcript,
 * and clean teardown (no orphaned processes).
 */
export class TerminalService {
  private readonly terms = new Map<string, Term>();
  private readonly secrets = new Map<number, Set<string>>();
  private readonly emitter = new EventEmitter();
  private readonly spawnPty: PtyFactory;
  private readonly clock: Clock;
  private readonly flow: FlowOptions;
  private readonly platform: NodeJS.Platform;
  private seq = 0;
  private disposed = false;

  constructor(private readonly deps: TerminalServiceDeps = {}) {
    this.spawnPty = deps.spawn ?? nodePtyFactory;
    this.clock = deps.clock ?? systemClock;
    this.flow = { ...DEFAULT_FLOW, ...(deps.flow ?? {}) };
    this.platform = deps.platform ?? process.platform;
    this.emitter.setMaxListeners(100);
  }

  on<E extends TerminalEventName>(event: E, listener: (payload: TerminalEvents[E]) => void): () => void {
    this.emitter.on(event, listener);
    return () => this.emitter.off(event, listener);
  }

  create(options: CreateTerminalOptions): string {
    if (this.disposed) throw new TerminalError('disposed', 'terminal service is disposed');
    checkSize(options.cols, options.rows);
    if (!statSync(options.cwd, { throwIfNoEntry: false })?.isDirectory()) {
      throw new TerminalError('invalid', `working directory does not exist: ${options.cwd}`);
    }
    const chosen = options.shell
      ? { file: options.shell, args: [...(options.shellArgs ?? [])], flavor: flavorOf(options.shell) }
      : defaultShell(this.platform, this.deps.env ?? process.env);
    if (!options.shell && options.shellArgs) chosen.args.splice(0, chosen.args.length, ...options.shellArgs);
    if (!shellExists(chosen.file, this.deps.env ?? process.env, this.platform)) {
      throw new TerminalError('invalid', `shell not found: ${chosen.file}`);
    }
    const id = `t${++this.seq}-${randomBytes(3).toString('hex')}`;
    let pty: PtyLike;
    try {
      pty = this.spawnPty(chosen.file, chosen.args, {
        name: 'xterm-256color',
        cols: options.cols,
        rows: options.rows,
        cwd: options.cwd,
        env: shellEnv(this.deps.env ?? process.env, options.incidentId, options.env),
      });
    } catch (err) {
      throw new TerminalError('invalid', `cannot start ${chosen.file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    let resolveExit: (e: TerminalExitEvent) => void = () => undefined;
    const exitPromise = new Promise<TerminalExitEvent>((r) => (resolveExit = r));
    const term: Term = {
      id,
      incidentId: options.incidentId,
      pty,
      shell: chosen.file,
      flavor: chosen.flavor,
      cwd: options.cwd,
      createdAt: new Date(this.clock.now()).toISOString(),
      cols: options.cols,
      rows: options.rows,
      pump: new OutputPump(
        {
          emit: (data) => this.emit('data', { id, incidentId: options.incidentId, data }),
          pause: () => pty.pause(),
          resume: () => pty.resume(),
        },
        this.flow,
      ),
      scanner: new MarkerScanner(),
      heldTimer: null,
      pending: null,
      shellSpoke: false,
      waitingForShell: [],
      staleNonces: [],
      exitReason: null,
      exited: false,
      exitPromise,
      resolveExit,
      disposables: [],
    };
    this.terms.set(id, term);
    term.disposables.push(pty.onData((chunk) => this.onPtyData(term, chunk)));
    term.disposables.push(pty.onExit((e) => this.onPtyExit(term, e.exitCode, e.signal ?? 0)));
    return id;
  }

  write(id: string, data: string): void {
    const term = this.live(id);
    // Ctrl-C must not wait behind flow control: the tty delivers SIGINT (and flushes its
    // output queue) as soon as the byte is written; resume so the prompt comes through.
    if (data.includes('\x03')) term.pump.interrupt();
    // The operator typed while a command was starting: show what the shell prints at once.
    if (term.pending) this.releaseEcho(term, term.pending);
    term.pty.write(data);
  }

  resize(id: string, cols: number, rows: number): void {
    const term = this.live(id);
    checkSize(cols, rows);
    term.cols = cols;
    term.rows = rows;
    term.pty.resize(cols, rows);
  }

  /** The renderer has processed `charCount` characters of this terminal's output. */
  ack(id: string, charCount: number): void {
    this.terms.get(id)?.pump.ack(charCount);
  }

  get(id: string): TerminalInfo {
    const term = this.terms.get(id);
    if (!term) throw new TerminalError('not-found', `no terminal ${id}`);
    return termInfo(term);
  }

  list(incidentId?: number): TerminalInfo[] {
    return [...this.terms.values()].filter((t) => incidentId === undefined || t.incidentId === incidentId).map(termInfo);
  }

  /** Runbook commands still running in an incident's live terminals (what closing would cut short). */
  runningCommands(incidentId: number): { readonly terminalId: string; readonly stepId: string; readonly command: string }[] {
    return [...this.terms.values()]
      .filter((t) => t.incidentId === incidentId && !t.exited && t.pending !== null)
      .map((t) => ({ terminalId: t.id, stepId: t.pending!.stepId, command: maskSecrets(t.pending!.command, t.pending!.secrets) }));
  }

  stats(id: string): FlowStats {
    const term = this.terms.get(id);
    if (!term) throw new TerminalError('not-found', `no terminal ${id}`);
    return termStats(term);
  }

  /** Values typed at promptEnv prompts: masked in every transcript of this incident. */
  addSecrets(incidentId: number, values: readonly string[]): void {
    const set = this.secrets.get(incidentId) ?? new Set<string>();
    for (const v of values) if (v !== '') set.add(v);
    this.secrets.set(incidentId, set);
  }

  forgetSecrets(incidentId: number): void {
    this.secrets.delete(incidentId);
  }

  /**
   * Type a runbook command into the terminal, wrapped so its exit code, duration and
   * output are captured. Resolves once it finished (and its transcript was stored and
   * `onCommandFinished` ran).
   */
  runCommand(id: string, opts: RunCommandOptions): Promise<CommandResult> {
    const term = this.live(id);
    if (typeof opts.command !== 'string' || opts.command.trim() === '') {
      throw new TerminalError('invalid', 'empty command');
    }
    if (opts.shell !== term.flavor) {
      throw new TerminalError('shell-mismatch', `terminal ${id} runs ${term.flavor}, the command is for ${opts.shell}`);
    }
    if (term.pending) throw new TerminalError('busy', `terminal ${id} is still running step ${term.pending.stepId}`);
    const nonce = newNonce();
    const secrets = [...(this.secrets.get(term.incidentId) ?? []), ...(opts.secrets ?? []).filter((s) => s !== '')];
    const hideText = opts.hideText === true || secrets.some((secret) => opts.command.includes(secret) || opts.cwd?.includes(secret));
    let line: string;
    try {
      line = wrapCommand(term.flavor, {
        command: opts.command,
        nonce,
        hideText,
        isolated: opts.isolated ?? true,
        ...(opts.cwd !== undefined ? { cwd: opts.cwd } : {}),
        ...(opts.env !== undefined ? { env: opts.env } : {}),
      });
    } catch (err) {
      throw new TerminalError('invalid', err instanceof Error ? err.message : String(err));
    }
    const cap = this.deps.transcriptCap ?? 1_000_000;
    return new Promise<CommandResult>((resolve) => {
      const run: PendingRun = {
        runId: nonce.slice(2, 12),
        nonce,
        stepId: opts.stepId,
        command: opts.command,
        shell: opts.shell,
        secrets,
        sentAt: this.clock.now(),
        startedAt: null,
        // PowerShell's echo is shown as it comes (see echo.ts).
        echo: term.flavor === 'sh' ? '' : null,
        echoTimer: null,
        shown: shownCommand(hideText ? maskSecrets(opts.display ?? HIDDEN_COMMAND, secrets) : (opts.display ?? opts.command)),
        capture: new CappedText(cap, cap),
        timedOut: false,
        timers: [],
        resolve,
      };
      term.pending = run;
      if (opts.timeoutMs !== undefined && opts.timeoutMs > 0) {
        run.timers.push(setTimeout(() => this.onTimeout(term, run), opts.timeoutMs));
      }
      typeWhenShellReady(term, line);
    });
  }

  /** Kill one terminal and everything started in it. Resolves with its exit event. */
  async kill(id: string, reason: ExitReason = 'killed'): Promise<TerminalExitEvent> {
    const term = this.terms.get(id);
    if (!term) throw new TerminalError('not-found', `no terminal ${id}`);
    if (term.exited) return term.exitPromise;
    term.exitReason ??= reason;
    term.pump.disable();
    const grace = this.deps.killGraceMs ?? 1500;
    if (this.platform === 'win32') term.pty.kill();
    else await killProcessTree(term.pty.pid, { graceMs: grace, platform: this.platform });
    // node-pty reports exit once the pty closed; do not hang if it never does.
    const fallback = new Promise<TerminalExitEvent>((resolve) => {
      const timer = setTimeout(() => {
        if (!term.exited) this.onPtyExit(term, -1, 9);
        resolve(term.exitPromise);
      }, grace + 3000);
      void term.exitPromise.then(() => clearTimeout(timer));
    });
    return Promise.race([term.exitPromise, fallback]);
  }

  /** The incident's view was closed: end all of its terminals. */
  async killAllFor(incidentId: number, reason: ExitReason = 'disposed'): Promise<TerminalExitEvent[]> {
    const ids = [...this.terms.values()].filter((t) => t.incidentId === incidentId).map((t) => t.id);
    return Promise.all(ids.map((id) => this.kill(id, reason)));
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    await Promise.all([...this.terms.keys()].map((id) => this.kill(id, 'disposed')));
  }

  // ---- internals ------------------------------------------------------------------

  private emit<E extends TerminalEventName>(event: E, payload: TerminalEvents[E]): void {
    try {
      this.emitter.emit(event, payload);
      this.deps.onEvent?.(event, payload);
    } catch (err) {
      this.deps.onError?.(err, `listener of ${event}`); // a bad listener must not break the pty loop
    }
  }

  private live(id: string): Term {
    const term = this.terms.get(id);
    if (!term) throw new TerminalError('not-found', `no terminal ${id}`);
    if (term.exited || term.exitReason) throw new TerminalError('exited', `terminal ${id} has ended`);
    return term;
  }

  private onPtyData(term: Term, chunk: string): void {
    noteShellOutput(term);
    for (const part of term.scanner.feed(chunk)) this.handlePart(term, part);
    if (term.scanner.heldLength > 0 && term.heldTimer === null) {
      term.heldTimer = setTimeout(() => {
        term.heldTimer = null;
        this.text(term, term.scanner.release());
      }, HELD_RELEASE_MS);
    } else if (term.scanner.heldLength === 0 && term.heldTimer !== null) {
      clearTimeout(term.heldTimer);
      term.heldTimer = null;
    }
  }

  private text(term: Term, text: string): void {
    if (text === '') return;
    const run = term.pending;
    if (run?.echo != null) {
      holdEcho(run, text, () => this.releaseEcho(term, run));
      return;
    }
    term.pump.push(text);
    if (run?.startedAt != null) run.capture.append(text);
  }

  /** The C marker never came in time (or the run ended without it): show what the shell printed. */
  private releaseEcho(term: Term, run: PendingRun): void {
    const held = takeEcho(run);
    if (held !== '') term.pump.push(held);
  }

  private handlePart(term: Term, part: ScanPart): void {
    if (part.type === 'text') return this.text(term, part.text);
    const run = term.pending;
    if (run && part.nonce === run.nonce) {
      if (part.type === 'start') {
        // The echo is complete: the command, readable, instead of the wrapper.
        const held = takeEcho(run);
        if (held !== '') term.pump.push(replaceEchoes(held, run.nonce, run.shown) ?? held);
        if (run.startedAt === null) {
          run.startedAt = this.clock.now();
          this.emit('commandStarted', {
            id: term.id,
            incidentId: term.incidentId,
            runId: run.runId,
            stepId: run.stepId,
            startedAt: new Date(run.startedAt).toISOString(),
          });
        }
      } else {
        this.finishRun(term, part.exitCode, false);
      }
      return;
    }
    // A marker of a run we gave up on is still ours to hide; anything else is shown.
    if (!term.staleNonces.includes(part.nonce)) this.text(term, part.raw);
  }

  private onTimeout(term: Term, run: PendingRun): void {
    if (term.pending !== run) return;
    run.timedOut = true;
    if (!term.exited) {
      term.pump.interrupt();
      term.pty.write('\x03');
    }
    const grace = this.deps.interruptGraceMs ?? 5000;
    run.timers.push(setTimeout(() => term.pending === run && this.finishRun(term, null, false), grace));
  }

  private finishRun(term: Term, exitCode: number | null, terminalExited: boolean): void {
    const run = term.pending;
    if (!run) return;
    this.releaseEcho(term, run);
    term.pending = null;
    for (const t of run.timers) clearTimeout(t);
    // The renderer sees the command's output before it hears that the command finished.
    term.pump.flush();
    term.staleNonces.push(run.nonce);
    if (term.staleNonces.length > 8) term.staleNonces.shift();
    const result = buildResult(run, { id: term.id, incidentId: term.incidentId, exitCode, terminalExited }, this.clock);
    void this.completeRun(result).then(run.resolve);
  }

  private async completeRun(raw: CommandResult): Promise<CommandResult> {
    const result = await storeTranscript(this.deps.transcripts, raw);
    if (result.evidenceError) this.deps.onError?.(new Error(result.evidenceError), 'transcript');
    try {
      await this.deps.onCommandFinished?.(result);
    } catch (err) {
      this.deps.onError?.(err, 'onCommandFinished');
    }
    this.emit('commandFinished', result);
    return result;
  }

  private onPtyExit(term: Term, exitCode: number, signal: number): void {
    if (term.exited) return;
    term.exited = true;
    if (term.heldTimer !== null) clearTimeout(term.heldTimer);
    this.text(term, term.scanner.release());
    if (term.pending) this.releaseEcho(term, term.pending);
    term.pump.flush();
    term.pump.dispose();
    const reason: ExitReason = term.exitReason ?? 'exited';
    if (term.pending) this.finishRun(term, signal ? null : exitCode, true);
    for (const d of term.disposables.splice(0)) {
      try {
        d.dispose();
      } catch {
        /* ignore */
      }
    }
    this.terms.delete(term.id);
    if (reason === 'exited' && this.platform !== 'win32') {
      // The shell is gone; hang up whatever it left running in its session.
      reapSession(term.pty.pid, { graceMs: this.deps.killGraceMs ?? 1500, platform: this.platform }).catch((err) =>
        this.deps.onError?.(err, 'reap'),
      );
    }
    const event: TerminalExitEvent = {
      id: term.id,
      incidentId: term.incidentId,
      exitCode,
      signal: signal ? signal : null,
      reason,
    };
    this.emit('exit', event);
    term.resolveExit(event);
  }
}
