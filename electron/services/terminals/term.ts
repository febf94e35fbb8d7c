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
