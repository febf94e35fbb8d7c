// Checklist runs of a runbook on an incident, as the UI sees them.
import type { Diagnostic, Platform, Runbook } from './runbooks';
import type { CommandSummary } from './terminals';

export const STEP_STATUSES = ['pending', 'done', 'skipped', 'failed'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];

export type RunStatus = 'active' | 'completed';

/** The last command run from a step (exit code, duration, where its transcript went). */
export interface StepCommandRun {
  readonly blockId: string;
  readonly command: string;
  readonly exitCode: number | null;
  readonly durationMs: number;
  readonly at: string;
  readonly timedOut: boolean;
  readonly sha256: string | null;
  readonly path: string | null;
  /** Why the run counts as failed by the block's success check (shared/command-check.ts); null when it passed. */
  readonly checkFailed?: string | null;
}

export interface StepProgress {
  readonly stepId: string;
  readonly status: StepStatus;
  /** Why it was skipped. */
  readonly reason: string | null;
  /** What went wrong (failed) or anything the operator added. */
  readonly note: string | null;
  readonly at: string | null;
  readonly actor: string | null;
  readonly lastRun: StepCommandRun | null;
}

export interface PhaseProgress {
  readonly id: string;
  readonly title: string;
  readonly budgetMinutes: number | null;
  /** First activity in the phase (a step marked or a command run). */
  readonly startedAt: string | null;
  /** Every step of the phase is done, skipped or failed. */
  readonly finishedAt: string | null;
  /** Time used so far (until finishedAt, else until the view was built). */
  readonly usedMs: number;
  readonly overrun: boolean;
  /** Steps "Run all" would run on this platform, in order. */
  readonly runAllStepIds: readonly string[];
}

export interface RunView {
  readonly id: string;
  readonly incidentId: number;
  readonly runbookId: string;
  readonly title: string;
  readonly version: string;
  readonly sha256: string;
  readonly startedAt: string;
  readonly startedBy: string;
  readonly completedAt: string | null;
  /** Where the run's steps are typed: `local` (this laptop) or one of the incident's targets; a step marked local stays here. */
  readonly target: string;
  readonly status: RunStatus;
  /** The platform commands are offered for. */
  readonly platform: Platform;
  /** The runbook as it was when the run started (what is being followed). */
  readonly runbook: Runbook;
  /** Language of `runbook` (null: a run started before runbooks had languages). */
  readonly lang: string | null;
  /**
   * The runbook in its other languages as they were at the start. They share step and
   * block ids with `runbook` (lint guarantees it), so the UI shows the run in the
   * operator's language and progress stays keyed the same.
   */
  readonly translations: Readonly<Record<string, Runbook>>;
  /** The bundled or user file changed since the run started. */
  readonly runbookChanged: boolean;
  readonly phases: readonly PhaseProgress[];
  readonly steps: Readonly<Record<string, StepProgress>>;
  /** Block ids offered on this platform per step, in order; others are alternates. */
  readonly currentBlocks: Readonly<Record<string, readonly string[]>>;
}

/** A runbook as listed: its identity from the parsed model, its size as counts. */
export interface RunbookSummary extends Pick<Runbook, 'id' | 'title' | 'severities' | 'appliesTo' | 'version' | 'description' | 'source' | 'file'> {
  /** Language of the title and description shown (`en` for a file without a language suffix). */
  readonly lang: string;
  /** Every language the runbook has, its own first. */
  readonly languages: readonly string[];
  readonly phases: number;
  readonly steps: number;
}

export interface RunbookSuggestionView {
  readonly runbook: RunbookSummary;
  readonly matchedTags: readonly string[];
}

export interface RunbookCatalogView {
  readonly runbooks: readonly RunbookSummary[];
  readonly diagnostics: readonly Diagnostic[];
}

export interface RunbookSettings {
  /** The user's runbook folders; theirs override bundled runbooks with the same id. */
  readonly folders: readonly string[];
  readonly bundledDir: string | null;
}

export interface LintView {
  readonly diagnostics: readonly Diagnostic[];
  readonly files: number;
  readonly errors: number;
}

/** A variable the operator is asked for (once per incident) before a step runs. */
export interface VariablePrompt {
  readonly name: string;
  readonly description: string | null;
  /** Pre-filled answer: the remembered value (never for secrets) or the runbook's default. */
  readonly value: string | null;
  readonly secret: boolean;
  /** A value is remembered for this incident. */
  readonly known: boolean;
  /** Ask now: no value yet, or promptEnv=always. */
  readonly ask: boolean;
  /**
   * Where `value` comes from: the operator's answer, a guess from the incident (its first
   * service), or the runbook's default. Guesses and defaults are shown and confirmed before
   * the first command that uses them runs (issue 15).
   */
  readonly from: 'answer' | 'incident' | 'default' | null;
}

export interface StepRunOutcome {
  readonly runId: string;
  readonly stepId: string;
  readonly commands: readonly CommandSummary[];
  /** The first non-zero exit code, else 0 (null when a command never reported). */
  readonly exitCode: number | null;
  /** The first command that failed its success check (exit code or output), and why. */
  readonly checkFailed: string | null;
  readonly run: RunView;
}

export interface RunAllOutcome {
  readonly runId: string;
  readonly phaseId: string;
  readonly ran: readonly string[];
  /** The step whose command exited non-zero; Run all stopped there. */
  readonly stoppedAt: string | null;
  readonly exitCode: number | null;
  readonly run: RunView;
}

/**
 * The run's runbook in `lang` when the run recorded that language, else the one it was
 * started in. Variants share step and block ids, so progress applies to either.
 */
export function runbookInLanguage(run: Pick<RunView, 'runbook' | 'lang' | 'translations'>, lang: string): Runbook {
  if ((run.lang ?? run.runbook.lang) === lang) return run.runbook;
  return run.translations[lang] ?? run.runbook;
}

/** A step's command as it will be typed: values substituted (a secret's text left as written), where it runs. */
export interface CommandPreview {
  readonly blockId: string;
  readonly name: string | null;
  readonly command: string;
  /** The folder it runs in. */
  readonly cwd: string;
  /** The target host of the terminal (null: this machine). */
  readonly host: string | null;
  /** Needs the typed confirmation. */
  readonly dangerous: boolean;
}
