import type { CommandPreview, RunAllOutcome, StepCommandRun, StepRunOutcome } from '../../../shared/runbook-runs';
import { needsConfirmation, type CommandBlock, type Runbook, type Step } from '../../../shared/runbooks';
import { checkFailure } from '../../../shared/command-check';
import { summarizeCommand, type CommandSummary } from '../../../shared/terminals';
import { ServiceError, conflict, invalidInput, notFound } from '../errors';
import { commandsFor, findStep, firebreakVariableNames, prepareCommand, runAllPlan } from '../runbooks';
import { commandTimelineData, TerminalError, type CommandResult, type TerminalService } from '../terminals';
import type { RunRow } from './repo';
import type { RunbookRunService } from './service';

/** What the operator types to run a confirm=true block: its name, or RUN. */
export function confirmationWords(block: CommandBlock): string[] {
  return block.attributes.name ? [block.attributes.name, 'RUN'] : ['RUN'];
}

/** TerminalError → the boundary's error codes, so the UI gets a sentence, not "internal". */
export function terminalServiceError(err: unknown): unknown {
  if (!(err instanceof TerminalError)) return err;
  switch (err.code) {
    case 'not-found':
      return new ServiceError('not_found', err.message);
    case 'busy':
    case 'exited':
    case 'disposed':
      return new ServiceError('conflict', err.message);
    case 'invalid':
    case 'shell-mismatch':
      return new ServiceError('invalid_input', err.message);
    default:
      return err;
  }
}

interface Prepared {
  readonly block: CommandBlock;
  readonly code: string;
  readonly cwd: string;
  /** A secret answer was substituted into `code` or `cwd` (in whatever escaped form). */
  readonly carriesSecret: boolean;
}

/**
 * "Run" and "Run all": sends a step's commands for the current platform to the step's
 * terminal, wrapped so exit code, duration and transcript are captured, and records each
 * as a `command.finished` timeline entry with the transcript's hash.
 */
export class RunExecutor {
  constructor(
    private readonly runs: RunbookRunService,
    private readonly terminals: TerminalService,
  ) {}

  /** `host`: the target the terminal's shell runs on (null: this laptop); named in each command's entry. */
  async runStep(
    input: { runId: string; stepId: string; terminalId: string; confirmation?: string | undefined; values?: Readonly<Record<string, string>> | undefined },
    host: string | null = null,
  ): Promise<StepRunOutcome> {
    const row = this.runs.row(input.runId);
    const runbook = JSON.parse(row.runbook_json) as Runbook;
    const found = findStep(runbook, input.stepId);
    if (!found) throw notFound(`step ${JSON.stringify(input.stepId)}`);
    this.checkOpen(row);
    this.checkTerminal(row, input.terminalId);
    if (input.values) await this.runs.setVariables(row.id, input.values);
    const blocks = this.blocksOf(found.step);
    for (const block of blocks) {
      if (needsConfirmation(block) && !confirmationWords(block).includes((input.confirmation ?? '').trim())) {
        const why = block.attributes.confirm ? 'is marked dangerous (confirm=true)' : `is dangerous (${block.danger?.what ?? 'changes the system'})`;
        throw new ServiceError('forbidden', `${block.attributes.name ?? 'this command'} ${why}: type ${confirmationWords(block).map((w) => `"${w}"`).join(' or ')} to run it`);
      }
    }
    checkWhere(found.step, blocks, input.terminalId, host);
    const prepared = await this.prepare(row, runbook, found.step, blocks);
    this.runs.touchPhase(row.id, found.phase.id);
    const { commands, failed } = await this.execute(row, found.step, prepared, input.terminalId, host);
    return { runId: row.id, stepId: found.step.id, commands, exitCode: firstFailure(commands), checkFailed: failed, run: this.runs.changed(row.id) };
  }

  /** What Run would type for a step, values substituted, without running it (`host`: the terminal's target). */
  async preview(input: { runId: string; stepId: string; terminalId: string }, host: string | null): Promise<CommandPreview[]> {
    const row = this.runs.row(input.runId);
    const runbook = JSON.parse(row.runbook_json) as Runbook;
    const found = findStep(runbook, input.stepId);
    if (!found) throw notFound(`step ${JSON.stringify(input.stepId)}`);
    this.checkTerminal(row, input.terminalId);
    const prepared = await this.prepare(row, runbook, found.step, this.blocksOf(found.step));
    return prepared.map((p) => ({
      blockId: p.block.id,
      name: p.block.attributes.name ?? null,
      // Where a secret went in, the runbook's text is shown (as on the terminal screen).
      command: p.carriesSecret ? p.block.code : p.code,
      cwd: p.cwd,
      host,
      dangerous: needsConfirmation(p.block),
    }));
  }

  async runAll(input: { runId: string; phaseId: string; terminalId: string; values?: Readonly<Record<string, string>> | undefined }, host: string | null = null): Promise<RunAllOutcome> {
    const row = this.runs.row(input.runId);
    const runbook = JSON.parse(row.runbook_json) as Runbook;
    const phase = runbook.phases.find((p) => p.id === input.phaseId);
    if (!phase) throw notFound(`phase ${JSON.stringify(input.phaseId)}`);
    this.checkOpen(row);
    this.checkTerminal(row, input.terminalId);
    if (input.values) await this.runs.setVariables(row.id, input.values);
    const states = this.runs.get(row.id).steps;
    // Steps already done or skipped are not run again; pending and failed ones are.
    const plan = runAllPlan(phase, this.runs.platform).filter((item) => {
      const status = states[item.step.id]?.status;
      return status !== 'done' && status !== 'skipped';
    });
    // Check every step's variables (and where it may run) before the first command runs.
    for (const item of plan) checkWhere(item.step, item.blocks, input.terminalId, host);
    const prepared = [];
    for (const item of plan) prepared.push({ step: item.step, commands: await this.prepare(row, runbook, item.step, item.blocks) });
    this.runs.touchPhase(row.id, phase.id);
    const ran: string[] = [];
    for (const { step, commands: blocks } of prepared) {
      const { commands, failed } = await this.execute(row, step, blocks, input.terminalId, host);
      ran.push(step.id);
      const exitCode = firstFailure(commands);
      if (failed === null) {
        this.runs.setStep({ runId: row.id, stepId: step.id, status: 'done', note: `Run all: exit code ${exitCode ?? 'unknown'}` });
      } else {
        this.runs.setStep({ runId: row.id, stepId: step.id, status: 'failed', note: `Run all stopped here: ${failed}` });
        return { runId: row.id, phaseId: phase.id, ran, stoppedAt: step.id, exitCode, run: this.runs.changed(row.id) };
      }
    }
    return { runId: row.id, phaseId: phase.id, ran, stoppedAt: null, exitCode: 0, run: this.runs.changed(row.id) };
  }

  private checkOpen(row: RunRow): void {
    const incident = this.runs.deps.incidents.get(row.incident_id);
    if (incident.status === 'closed') throw conflict('the incident is closed; its runbooks cannot run commands');
  }

  private checkTerminal(row: RunRow, terminalId: string): void {
    let info;
    try {
      info = this.terminals.get(terminalId);
    } catch (err) {
      throw terminalServiceError(err);
    }
    if (info.incidentId !== row.incident_id) throw invalidInput('terminalId', `terminal ${terminalId} belongs to another incident`);
  }

  private blocksOf(step: Step): readonly CommandBlock[] {
    const { current } = commandsFor(step, this.runs.platform);
    if (current.length === 0) throw invalidInput('stepId', `step has no commands for ${this.runs.platform}`);
    const cmd = current.find((b) => b.shell === 'cmd');
    if (cmd) throw invalidInput('stepId', `${cmd.id} is a cmd.exe block; the embedded terminal runs PowerShell — use a powershell block`);
    return current;
  }

  private async prepare(row: RunRow, runbook: Runbook, step: Step, blocks: readonly CommandBlock[]): Promise<Prepared[]> {
    const { vars, secrets } = await this.runs.resolveValues(row, step.id);
    const known = firebreakVariableNames(runbook);
    const missing = new Set<string>();
    const out: Prepared[] = [];
    // Prepared a second time with the secret answers blanked: if the text differs, a secret
    // went into it, escaped for its quoting context, which a plain search would miss.
    const blanked = Object.fromEntries(Object.entries(vars).map(([name, value]) => [name, secrets.includes(value) ? '' : value]));
    for (const block of blocks) {
      const p = prepareCommand(block, vars, known);
      const q = secrets.length > 0 ? prepareCommand(block, blanked, known) : p;
      p.missing.forEach((m) => missing.add(m));
      out.push({ block, code: p.code, cwd: p.cwd ?? this.runs.incidentDir(row.incident_id), carriesSecret: q.code !== p.code || q.cwd !== p.cwd });
    }
    // Prompted declarations without an answer are "missing" too, even if prepareCommand left the default in.
    const unanswered = (await this.runs.prompts(row.id, { stepId: step.id })).filter((p) => !p.known);
    unanswered.forEach((p) => missing.add(p.name));
    if (missing.size > 0) throw new ServiceError('conflict', `values needed first: ${[...missing].sort().join(', ')}`);
    return out;
  }

  /** `failed`: why the first command that failed its success check did (Run stops there); null when all passed. */
  private async execute(row: RunRow, step: Step, prepared: readonly Prepared[], terminalId: string, host: string | null): Promise<{ commands: CommandSummary[]; failed: string | null }> {
    const { secrets } = await this.runs.resolveValues(row, step.id);
    this.terminals.addSecrets(row.incident_id, secrets);
    const results: CommandSummary[] = [];
    for (const p of prepared) {
      if (p.block.attributes.background) {
        // Long-running (a tail -f, a watcher): typed and left running, never awaited.
        this.terminals.write(terminalId, `${p.code}\r`);
        continue;
      }
      let result: CommandResult;
      try {
        result = await this.terminals.runCommand(terminalId, {
          command: p.code,
          shell: p.block.shell === 'pwsh' ? 'pwsh' : 'sh',
          stepId: step.id,
          cwd: p.cwd,
          secrets,
          hideText: p.carriesSecret,
          // On screen: the command that ran, or the runbook's text where a secret went in.
          display: p.carriesSecret ? p.block.code : p.code,
          ...(p.block.attributes.timeoutMs !== undefined ? { timeoutMs: p.block.attributes.timeoutMs } : {}),
        });
      } catch (err) {
        throw terminalServiceError(err);
      }
      const failed = result.timedOut ? 'timed out' : checkFailure(p.block.attributes, result.exitCode, result.text);
      this.record(row, step, p.block, result, failed, host);
      results.push(summarizeCommand(result));
      if (failed !== null) return { commands: results, failed };
    }
    return { commands: results, failed: null };
  }

  private record(row: RunRow, step: Step, block: CommandBlock, result: CommandResult, failed: string | null, host: string | null): void {
    const lastRun: StepCommandRun = {
      blockId: block.id,
      command: result.command,
      exitCode: result.exitCode,
      durationMs: result.durationMs,
      at: result.finishedAt,
      timedOut: result.timedOut,
      sha256: result.evidence?.sha256 ?? null,
      path: result.evidence?.path ?? null,
      checkFailed: failed,
    };
    this.runs.repo.transaction(() => {
      this.runs.repo.setLastRun(row.id, step.id, lastRun);
      this.runs.deps.timeline.append({
        incidentId: row.incident_id,
        kind: 'command.finished',
        data: { ...commandTimelineData(result), terminalRunId: result.runId, runId: row.id, runbookId: row.runbook_id, blockId: block.id, ...(host !== null ? { host } : {}), ...(failed !== null ? { checkFailed: failed } : {}) },
      });
    });
    this.runs.changed(row.id);
  }
}

/** A block marked `local` (Runme-style `{"local":true}`: a check from outside, say) never runs in a terminal on a target. */
function checkWhere(step: Step, blocks: readonly CommandBlock[], terminalId: string, host: string | null): void {
  if (host === null) return;
  const local = blocks.find((b) => b.attributes.local);
  if (!local) return;
  throw invalidInput('terminalId', `step "${step.text}" must run on this laptop (${local.attributes.name ?? 'its command'} is marked local); terminal ${terminalId} is on ${host}`);
}

function firstFailure(commands: readonly CommandSummary[]): number | null {
  for (const c of commands) if (c.exitCode !== 0) return c.exitCode;
  return 0;
}
