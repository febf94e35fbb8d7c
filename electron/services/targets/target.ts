import type { Readable } from 'node:stream';
import type { TargetOrigin } from '../../../shared/targets';

/** A running script on a target: its stdout as a stream, stderr and the exit code at the end. */
export interface TargetProcess {
  readonly stdout: Readable;
  /** Resolves when the process has exited: its code (null if killed) and stderr (bounded). */
  readonly done: Promise<ProcessEnd>;
  kill(): void;
}

export interface ProcessEnd {
  readonly code: number | null;
  readonly stderr: string;
  /** Set when the transport failed (ssh's own exit 255), not the script: why. */
  readonly connectionLost?: string;
  /** Set when the command sent nothing for the read timeout while the connection stayed up, and was stopped: why. */
  readonly stalled?: string;
}

export interface ExecOptions {
  readonly signal?: AbortSignal;
  /**
   * Stop the command when its stdout is silent this long (ms; 0: never). ServerAlive only
   * notices a dead connection; this catches a command that hangs on a live one (an NFS
   * read, a stuck `ps`). The SSH target defaults it from its settings.
   */
  readonly readTimeoutMs?: number;
  /** Every stderr chunk as it arrives (`done` keeps only the first STDERR_KEPT bytes). */
  readonly onStderr?: (chunk: Buffer) => void;
}

/**
 * Where a feature runs: this laptop or a host over SSH. Collectors, gauges, terminals and
 * runbook steps take a Target and never ask which kind it is.
 */
export interface Target {
  /** `local`, or the target name as the operator typed it. */
  readonly name: string;
  /**
   * Runs a POSIX sh script. The script travels on stdin to `sh -s` (never on a command line,
   * so the remote login shell's quoting rules do not matter); it must not read stdin itself.
   */
  exec(script: string, options?: ExecOptions): Promise<TargetProcess>;
  /** Host, user and verified host key, for custody entries. */
  origin(): Promise<TargetOrigin>;
  /** The program and argv of an interactive shell there (a terminal). */
  shellCommand(): Promise<{ readonly file: string; readonly args: readonly string[] }>;
}

/** The target is gone mid-way (connection dropped, master died): work must stop as incomplete. */
export class TargetConnectionLost extends Error {
  readonly connectionLost = true;
  constructor(target: string, detail: string) {
    super(`the connection to ${target} was lost: ${detail}`);
    this.name = 'TargetConnectionLost';
  }
}

export const STDERR_KEPT = 64 * 1024;
