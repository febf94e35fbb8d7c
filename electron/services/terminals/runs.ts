import type { Clock } from '../clock';
import { CappedText, maskSecrets, stripAnsi } from './text';
import type { CommandResult, ShellFlavor, StoredTranscript, TranscriptSink } from './types';

/** A runbook command sent to a terminal and not finished yet. */
export interface PendingRun {
  readonly runId: string;
  readonly nonce: string;
  readonly stepId: string;
  readonly command: string;
  readonly shell: ShellFlavor;
  readonly secrets: readonly string[];
  readonly sentAt: number;
  startedAt: number | null;
  /** The shell's echo of the wrapper line, held until the C marker (echo.ts); null once shown or given up. */
  echo: string | null;
  echoTimer: NodeJS.Timeout | null;
  /** What replaces that echo on screen. */
  readonly shown: string;
  readonly capture: CappedText;
  timedOut: boolean;
  timers: NodeJS.Timeout[];
  readonly resolve: (result: CommandResult) => void;
}

export interface FinishInfo {
  readonly id: string;
  readonly incidentId: number;
  readonly exitCode: number | null;
  readonly terminalExited: boolean;
}

/** Assemble the (masked) result of a finished run; storing it is separate. */
export function buildResult(run: PendingRun, info: FinishInfo, clock: Clock): CommandResult {
  const finished = clock.now();
  const started = run.startedAt ?? run.sentAt;
  const transcript = maskSecrets(run.capture.toString(), run.secrets);
  return {
    id: info.id,
    incidentId: info.incidentId,
    runId: run.runId,
    stepId: run.stepId,
    shell: run.shell,
    command: maskSecrets(run.command, run.secrets),
    exitCode: info.exitCode,
    durationMs: Math.max(0, finished - started),
    startedAt: new Date(started).toISOString(),
    finishedAt: new Date(finished).toISOString(),
    timedOut: run.timedOut,
    terminalExited: info.terminalExited,
    transcript,
    text: maskSecrets(stripAnsi(transcript), run.secrets),
    truncated: run.capture.truncated,
  };
}

function safeName(s: string): string {
  return s.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'step';
}

export function transcriptName(result: CommandResult): string {
  const ts = result.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
  return `transcript-${safeName(result.stepId)}-${ts}-${result.runId}.txt`;
}

/** The evidence file: a self-describing header, then the plain-text output. */
export function transcriptFile(result: CommandResult): Buffer {
  const header = [
    '# Firebreak command transcript',
    `incident: ${result.incidentId}`,
    `terminal: ${result.id}`,
    `step: ${result.stepId}`,
    `shell: ${result.shell}`,
    `command: ${result.command.replace(/\n/g, '\n         ')}`,
    `exit code: ${result.exitCode ?? 'unknown'}`,
    `timed out: ${result.timedOut}`,
    `started: ${result.startedAt}`,
    `finished: ${result.finishedAt}`,
    `duration ms: ${result.durationMs}`,
    ...(result.truncated ? ['note: output exceeded the transcript cap; its middle was omitted'] : []),
    '',
    '',
  ].join('\n');
  return Buffer.from(header + result.text + (result.text.endsWith('\n') ? '' : '\n'), 'utf8');
}

export async function storeTranscript(
  sink: TranscriptSink | undefined,
  result: CommandResult,
): Promise<CommandResult> {
  if (!sink) return result;
  const name = transcriptName(result);
  try {
    const stored = await sink.store(result.incidentId, name, transcriptFile(result));
    const evidence: StoredTranscript = { name, sha256: stored.sha256, path: stored.path };
    return { ...result, evidence };
  } catch (err) {
    return { ...result, evidenceError: err instanceof Error ? err.message : String(err) };
  }
}

/** Payload for the caller's timeline entry of kind `command.finished`. */
export function commandTimelineData(result: CommandResult): Record<string, unknown> {
  return {
    terminalId: result.id,
    runId: result.runId,
    stepId: result.stepId,
    shell: result.shell,
    command: result.command,
    exitCode: result.exitCode,
    durationMs: result.durationMs,
    timedOut: result.timedOut,
    terminalExited: result.terminalExited,
    hash: result.evidence?.sha256 ?? null,
    path: result.evidence?.path ?? null,
    transcript: result.evidence?.name ?? null,
    truncated: result.truncated,
  };
}
