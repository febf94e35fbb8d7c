// Public types of the main-side terminal service. Kept free of node-pty and Electron
// imports so the contract (shared/contract.ts) can mirror them without pulling Node in.

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

/** Which wrapper a shell understands. */
export type ShellFlavor = 'sh' | 'pwsh';

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

export interface TerminalInfo {
  readonly id: string;
  readonly incidentId: number;
  readonly pid: number;
  readonly shell: string;
  readonly flavor: ShellFlavor;
  readonly cols: number;
  readonly rows: number;
  readonly cwd: string;
  readonly createdAt: string;
  readonly running: boolean;
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
}

export interface StoredTranscript {
  readonly name: string;
  readonly sha256: string;
  readonly path: string;
}

export interface CommandResult {
  readonly id: string;
  readonly incidentId: number;
  readonly runId: string;
  readonly stepId: string;
  readonly shell: ShellFlavor;
  /** The command as given, with secrets masked. */
  readonly command: string;
  /** Exit status; 130 after Ctrl-C; null if it never reported (interrupt ignored, terminal gone before start). */
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly startedAt: string;
  readonly finishedAt: string;
  readonly timedOut: boolean;
  /** The shell exited (or was killed) before the command reported its status. */
  readonly terminalExited: boolean;
  /** Output between the markers, ANSI included, secrets masked. */
  readonly transcript: string;
  /** The same, ANSI-stripped plain text. */
  readonly text: string;
  /** The transcript exceeded the cap and its middle was dropped. */
  readonly truncated: boolean;
  /** Where the transcript was stored as evidence (when a TranscriptSink is configured). */
  readonly evidence?: StoredTranscript;
  readonly evidenceError?: string;
}

/** The evidence store (written elsewhere), reduced to what the terminals need. */
export interface TranscriptSink {
  store(incidentId: number, name: string, content: Buffer): Promise<{ sha256: string; path: string }>;
}

export type ExitReason = 'exited' | 'killed' | 'disposed';

export interface TerminalDataEvent {
  readonly id: string;
  readonly incidentId: number;
  readonly data: string;
}

export interface TerminalExitEvent {
  readonly id: string;
  readonly incidentId: number;
  readonly exitCode: number;
  readonly signal: number | null;
  readonly reason: ExitReason;
}

export interface CommandStartedEvent {
  readonly id: string;
  readonly incidentId: number;
  readonly runId: string;
  readonly stepId: string;
  readonly startedAt: string;
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
