import * as nodePty from 'node-pty';
import type { Clock } from '../clock';
import type { FlowOptions } from './flow';
import type { CommandResult, PtyFactory, TerminalEventName, TerminalEvents, TranscriptSink } from './types';

export const nodePtyFactory: PtyFactory = (file, args, options) =>
  nodePty.spawn(file, args, { ...options, encoding: 'utf8' });

export interface TerminalServiceDeps {
  readonly spawn?: PtyFactory;
  readonly clock?: Clock;
  /** Where transcripts of runbook commands are stored as evidence. */
  readonly transcripts?: TranscriptSink;
  /** Called (and awaited) after a command's transcript is stored: append `command.finished` here. */
  readonly onCommandFinished?: (result: CommandResult) => void | Promise<void>;
  /** Every event, for transports that forward them all (IPC, WebSocket). */
  readonly onEvent?: <E extends TerminalEventName>(event: E, payload: TerminalEvents[E]) => void;
  /** Hook errors and other non-fatal failures. */
  readonly onError?: (err: unknown, context: string) => void;
  readonly flow?: Partial<FlowOptions>;
  /** SIGHUP → SIGKILL grace when killing (default 1500 ms). */
  readonly killGraceMs?: number;
  /** After a timeout's Ctrl-C, how long to wait for the command to report (default 5000 ms). */
  readonly interruptGraceMs?: number;
  /** Cap of a transcript kept in memory: this many characters at the head and at the tail. */
  readonly transcriptCap?: number;
  readonly platform?: NodeJS.Platform;
  readonly env?: NodeJS.ProcessEnv;
}
