import type { OutputPump } from './flow';
import type { MarkerScanner } from './markers';
import type { PendingRun } from './runs';
import {
  TerminalError,
  type ExitReason,
  type FlowStats,
  type PtyLike,
  type ShellFlavor,
  type TerminalExitEvent,
  type TerminalInfo,
} from './types';

/** Everything the service keeps about one terminal. */
export interface Term {
  readonly id: string;
  readonly incidentId: number;
  readonly pty: PtyLike;
  readonly shell: string;
  readonly flavor: ShellFlavor;
  readonly cwd: string;
  readonly createdAt: string;
  cols: number;
  rows: number;
  readonly pump: OutputPump;
  readonly scanner: MarkerScanner;
  heldTimer: NodeJS.Timeout | null;
  pending: PendingRun | null;
  /** The shell has printed something (its prompt); until then typed lines wait in `waitingForShell`. */
  shellSpoke: boolean;
  readonly waitingForShell: Array<() => void>;
  readonly staleNonces: string[];
  exitReason: ExitReason | null;
  exited: boolean;
  readonly exitPromise: Promise<TerminalExitEvent>;
  resolveExit: (e: TerminalExitEvent) => void;
  readonly disposables: Array<{ dispose(): void }>;
}

export function checkSize(cols: number, rows: number): void {
  const ok = (n: number): boolean => Number.isInteger(n) && n >= 1 && n <= 1000;
  if (!ok(cols) || !ok(rows)) throw new TerminalError('invalid', `invalid terminal size ${cols}x${rows}`);
}

export function termInfo(t: Term): TerminalInfo {
  return {
    id: t.id,
    incidentId: t.incidentId,
    pid: t.pty.pid,
    shell: t.shell,
    flavor: t.flavor,
    cols: t.cols,
    rows: t.rows,
    cwd: t.cwd,
    createdAt: t.createdAt,
    running: !t.exited,
  };
}

export function termStats(t: Term): FlowStats {
  const p = t.pump;
  return {
    unacked: p.unacked,
    buffered: p.buffered + t.scanner.heldLength,
    peakUnacked: p.peakUnacked,
    paused: p.paused,
    pauseCount: p.pauseCount,
    totalChars: p.totalChars,
    batches: p.batches,
  };
}

/** After a new shell's first output, before typing into it: a prompt often comes in pieces. */
const SHELL_SETTLE_MS = 100;
/** Type anyway if a new shell has printed nothing by then. */
const SHELL_SILENT_MS = 3000;

/** The shell printed something: lines waiting for it go out (see typeWhenShellReady). */
export function noteShellOutput(term: Term): void {
  if (term.shellSpoke) return;
  term.shellSpoke = true;
  for (const wake of term.waitingForShell.splice(0)) wake();
}

/**
 * Types a line once the shell has started talking (a fresh terminal: its first prompt), so
 * the tty does not echo it ahead of the prompt and the shell echo it again after. A shell
 * that stays silent gets the line anyway after a while.
 */
export function typeWhenShellReady(term: Term, line: string): void {
  if (term.shellSpoke) {
    term.pty.write(line);
    return;
  }
  let typed = false;
  const type = (): void => {
    if (typed || term.exited) return;
    typed = true;
    term.pty.write(line);
  };
  term.waitingForShell.push(() => setTimeout(type, SHELL_SETTLE_MS));
  setTimeout(type, SHELL_SILENT_MS);
}
