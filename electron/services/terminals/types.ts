// Public types of the main-side terminal service. Kept free of node-pty and Electron
// imports; the data that crosses the contract is defined once in shared/terminals.ts.
import type {
  CommandResult,
  CommandStartedEvent,
  ShellFlavor,
  TerminalDataEvent,
  TerminalExitEvent,
} from '../../../shared/terminals';

export type {
  CommandResult,
  CommandStartedEvent,
  ExitReason,
  ShellFlavor,
  StoredTranscript,
  TerminalDataEvent,
  TerminalExitEvent,
  TerminalInfo,
} from '../../../shared/terminals';

/** The subset of node-pty's IPty the service uses; tests and benches may fake it. */
export interface PtyLike {
  readonly pid: number;
  readonly cols: number;
  readonly rows: number;
  onData(listener: (data: string) => void): { dispose(): void };
  onExit(listener: (e: { exitCode: number; signal?: number }) => void): { dispose(): void };
  write(data: string): void;
  resize(cols: number, rows: number): void;
  kill(signal?: string): void;
  pause(): void;
  resume(): void;
}

export interface PtySpawnOptions {
  readonly name: string;
  readonly cols: number;
  readonly rows: number;
  readonly cwd: string;
  readonly env: Record<string, string>;
}

/** Defaults to node-pty's spawn. */
export type PtyFactory = (file: string, args: string[], options: PtySpawnOptions) => PtyLike;

export interface CreateTerminalOptions {
  readonly incidentId: number;
  /** Working directory: the incident folder unless a step says otherwise. */
  readonly cwd: string;
  /** Shell executable; default per platform (pwsh/powershell.exe on Windows, $SHELL or /bin/sh elsewhere). */
  readonly shell?: string;
  /** Arguments for `shell` (default none, or `-NoLogo` for PowerShell). */
  readonly shellArgs?: readonly string[];
  readonly cols: number;
  readonly rows: number;
  /** Added to the inherited environment. */
  readonly env?: Readonly<Record<string, string>>;
}

export interface FlowStats {
  /** Characters sent to the renderer and not acknowledged yet. */
  readonly unacked: number;
  /** Characters read from the pty and not sent yet (batch + held partial marker). */
  readonly buffered: number;
  readonly peakUnacked: number;
  readonly paused: boolean;
  readonly pauseCount: number;
  /** Characters delivered to the sink since creation. */
  readonly totalChars: number;
  /** Data events delivered to the sink since creation. */
  readonly batches: number;
}

export interface RunCommandOptions {
  readonly command: string;
  /** Wrapper dialect; must match the terminal's shell (`sh` for POSIX shells, `pwsh` for PowerShell). */
  readonly shell: ShellFlavor;
  readonly stepId: string;
  /** Send Ctrl-C after this long and report `timedOut`. */
  readonly timeoutMs?: number;
  /** Run in a subshell (sh) / child scope (pwsh) so `cd`, `set -e`, exports do not leak (default true). */
  readonly isolated?: boolean;
  /** Directory to run in (the step's `cwd` attribute). */
  readonly cwd?: string;
  /** Variables exported for this command (e.g. promptEnv values); sent encoded, never in plain text. */
  readonly env?: Readonly<Record<string, string>>;
  /** Values to replace with •••• in transcripts (in addition to those given to addSecrets). */
  readonly secrets?: readonly string[];
  /**
   * The command text carries a secret (the caller substituted one, perhaps escaped): type it
   * fully encoded. Also assumed whenever a known secret appears in it verbatim.
   */
  readonly hideText?: boolean;
  /** Shown on screen in place of the wrapper line's echo (default: the command, or a placeholder when hidden). */
  readonly display?: string;
}

/** The evidence store (written elsewhere), reduced to what the terminals need. */
export interface TranscriptSink {
  store(incidentId: number, name: string, content: Buffer): Promise<{ sha256: string; path: string }>;
}

export interface TerminalEvents {
  data: TerminalDataEvent;
  exit: TerminalExitEvent;
  commandStarted: CommandStartedEvent;
  commandFinished: CommandResult;
}

export type TerminalEventName = keyof TerminalEvents;

export type TerminalErrorCode = 'not-found' | 'exited' | 'busy' | 'shell-mismatch' | 'invalid' | 'disposed';

export class TerminalError extends Error {
  constructor(
    readonly code: TerminalErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'TerminalError';
  }
}
