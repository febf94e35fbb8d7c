import type { TerminalExitEvent, TerminalInfo } from '../../../shared/terminals';
import { summarizeCommand } from '../../../shared/terminals';
import type { Clock } from '../clock';
import { conflict } from '../errors';
import type { EventBus } from '../events';
import type { IncidentService } from '../incidents';
import { TerminalService, type TerminalServiceDeps, type TranscriptSink } from '../terminals';
import type { TimelineService } from '../timeline';
import { terminalServiceError } from './executor';
import { FileTranscriptSink } from './transcript-sink';
import { incidentDir } from './variables';
import fs from 'node:fs';

export interface IncidentTerminalsDeps {
  readonly home: string;
  readonly clock: Clock;
  readonly events: EventBus;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  /** Where transcripts go (default FileTranscriptSink; EvidenceTranscriptSink adds custody). */
  readonly transcripts?: TranscriptSink;
  /** Overrides for the TerminalService (tests: a fake pty, short grace periods). */
  readonly terminal?: Partial<TerminalServiceDeps>;
}

/**
 * Terminals belong to incidents: each starts in the incident folder, its end (exit, kill,
 * app quit) is written to the incident's timeline, and closing the incident ends them.
 */
export class IncidentTerminals {
  readonly service: TerminalService;
  private closed = false;
  private readonly stops: (() => void)[] = [];
  /** Terminal id → the target host its shell runs on (remote terminals only). */
  private readonly hosts = new Map<string, string>();

  constructor(private readonly deps: IncidentTerminalsDeps) {
    this.service = new TerminalService({
      transcripts: deps.transcripts ?? new FileTranscriptSink(deps.home),
      clock: deps.clock,
      onEvent: (event, payload) => {
        switch (event) {
          case 'data':
            return deps.events.emit('terminals.data', payload as never);
          case 'exit':
            return deps.events.emit('terminals.exit', payload as never);
          case 'commandStarted':
            return deps.events.emit('terminals.commandStarted', payload as never);
          case 'commandFinished':
            // Without its output: the transcript is on disk, the screen already showed it.
            return deps.events.emit('terminals.commandFinished', summarizeCommand(payload as never));
          default:
            return undefined;
        }
      },
      onError: (err, context) => console.error(`firebreak: terminal ${context}:`, err),
      ...(deps.terminal ?? {}),
    });
    this.stops.push(this.service.on('exit', (e) => this.recordExit(e)));
    this.stops.push(
      deps.events.on('incidents.changed', ({ incident }) => {
        if (incident.status === 'closed' && this.service.list(incident.id).length > 0) void this.service.killAllFor(incident.id, 'disposed');
      }),
    );
  }

  /** `remote`: the program and argv of a shell on a remote target (ssh -tt …) and the target's name. */
  create(input: { incidentId: number; cols: number; rows: number; remote?: { readonly file: string; readonly args: readonly string[]; readonly host: string } }): TerminalInfo {
    const incident = this.deps.incidents.get(input.incidentId);
    if (incident.status === 'closed') throw conflict('the incident is closed; open terminals on an open incident');
    const cwd = incidentDir(this.deps.home, input.incidentId);
    fs.mkdirSync(cwd, { recursive: true });
    let info: TerminalInfo;
    try {
      const remote = input.remote ? { shell: input.remote.file, shellArgs: input.remote.args } : {};
      info = this.service.get(this.service.create({ incidentId: input.incidentId, cwd, cols: input.cols, rows: input.rows, ...remote }));
    } catch (err) {
      throw terminalServiceError(err);
    }
    if (input.remote) this.hosts.set(info.id, input.remote.host);
    this.deps.timeline.append({
      incidentId: input.incidentId,
      kind: 'terminal.started',
      data: { terminalId: info.id, shell: info.shell, pid: info.pid, cwd: info.cwd, ...(input.remote ? { host: input.remote.host } : {}) },
    });
    return input.remote ? { ...info, host: input.remote.host } : info;
  }

  /** The target host a terminal's shell runs on; null for this machine. */
  hostOf(id: string): string | null {
    return this.hosts.get(id) ?? null;
  }

  async kill(id: string): Promise<TerminalExitEvent> {
    try {
      return await this.service.kill(id, 'killed');
    } catch (err) {
      throw terminalServiceError(err);
    }
  }

  /** Wraps a call that may throw TerminalError. */
  call<T>(fn: (service: TerminalService) => T): T {
    try {
      return fn(this.service);
    } catch (err) {
      throw terminalServiceError(err);
    }
  }

  /** App quit: end every terminal; exits after the database closed are not recorded. */
  close(): Promise<void> {
    const done = this.service.dispose();
    this.closed = true;
    for (const stop of this.stops.splice(0)) stop();
    return done;
  }

  private recordExit(e: TerminalExitEvent): void {
    if (this.closed) return;
    try {
      this.deps.timeline.append({
        incidentId: e.incidentId,
        kind: 'terminal.exited',
        data: { terminalId: e.id, exitCode: e.exitCode, signal: e.signal, reason: e.reason },
      });
    } catch (err) {
      console.error('firebreak: could not record a terminal exit:', err);
    }
  }
}
