// Plain data of the embedded terminals that crosses the contract. The main-side service
// (electron/services/terminals) re-exports these, so both sides share one definition.

/** Which wrapper a shell understands. */
export type ShellFlavor = 'sh' | 'pwsh';

export type ExitReason = 'exited' | 'killed' | 'disposed';

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
  /** The target the shell runs on (ssh); absent for this machine. */
  readonly host?: string;
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

/** What the UI hears about a finished command: the result without its (large) output. */
export type CommandSummary = Omit<CommandResult, 'transcript' | 'text'>;

export function summarizeCommand(result: CommandResult): CommandSummary {
  const { transcript: _transcript, text: _text, ...summary } = result;
  return summary;
}

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
