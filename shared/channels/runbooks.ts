import { z } from 'zod';
import { channel, event, noInput } from '../channel-def';
import type {
  CommandPreview,
  LintView,
  RunAllOutcome,
  RunbookCatalogView,
  RunbookSettings,
  RunbookSuggestionView,
  RunView,
  StepRunOutcome,
  VariablePrompt,
} from '../runbook-runs';
import { STEP_STATUSES } from '../runbook-runs';
import type { Runbook } from '../runbooks';
import { incidentIdSchema } from '../schemas';
import { terminalIdSchema } from './terminals';

// Guided runbooks and their checklist runs (issue 4).

const runbookIdSchema = z.string().regex(/^[a-z0-9][a-z0-9._-]{0,99}$/, { error: 'must be a runbook id' });
/** A runbook language (`name.ja.md` → ja); the UI sends its own. */
const langSchema = z.string().regex(/^[a-z]{2}(?:-[A-Za-z]{2,4})?$/, { error: 'must be a language code such as en or ja' });
const runIdSchema = z.string().regex(/^rr-[0-9a-f]{10}$/, { error: 'must be a run id' });
const stepIdSchema = z.string().min(1).max(400);
const phaseIdSchema = z.string().min(1).max(200);
const absolutePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { error: 'must be an absolute path' });
/** Answers to promptEnv / front-matter variables, remembered for the incident. */
/** `local` or a target name as `firebreak target add` accepts it (the service checks it is the incident's). */
const runTargetSchema = z.string().min(1).max(255).regex(/^[^-\s][^\s]*$/, { error: 'must be local or a target name' });
const valuesSchema = z.record(z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,63}$/), z.string().max(10_000)).optional();

export const runbookChannels = {
  /** Each runbook in `lang` where it has that language, else in its own. */
  'runbooks.list': channel<RunbookCatalogView>()(z.strictObject({ lang: langSchema.optional() }).optional()),
  'runbooks.get': channel<Runbook>()(z.strictObject({ id: runbookIdSchema, lang: langSchema.optional() })),
  /** Lints the given paths, or the bundled and configured folders. */
  'runbooks.lint': channel<LintView>()(z.strictObject({ paths: z.array(absolutePath).max(50).optional() }).optional()),
  'runbooks.reload': channel<RunbookCatalogView>()(noInput),
  'runbooks.settings': channel<RunbookSettings>()(noInput),
  'runbooks.setFolders': channel<RunbookSettings>()(z.strictObject({ folders: z.array(absolutePath).max(20) })),
  'runbooks.suggest': channel<RunbookSuggestionView[]>()(z.strictObject({ incidentId: incidentIdSchema, lang: langSchema.optional() })),

  /** `target`: where its steps are typed (default `local`); one of the incident's targets. */
  'runs.start': channel<RunView>()(z.strictObject({ incidentId: incidentIdSchema, runbookId: runbookIdSchema, lang: langSchema.optional(), target: runTargetSchema.optional() })),
  'runs.setTarget': channel<RunView>()(z.strictObject({ runId: runIdSchema, target: runTargetSchema })),
  'runs.list': channel<RunView[]>()(z.strictObject({ incidentId: incidentIdSchema })),
  'runs.get': channel<RunView>()(z.strictObject({ runId: runIdSchema })),
  'runs.setStep': channel<RunView>()(
    z.strictObject({
      runId: runIdSchema,
      stepId: stepIdSchema,
      status: z.enum(STEP_STATUSES),
      reason: z.string().max(2000).optional(),
      note: z.string().max(2000).optional(),
    }),
  ),
  /** What to ask before a step (or a phase's Run all, or the whole runbook) runs. */
  'runs.variables': channel<VariablePrompt[]>()(z.strictObject({ runId: runIdSchema, stepId: stepIdSchema.optional(), phaseId: phaseIdSchema.optional() })),
  'runs.setVariables': channel<VariablePrompt[]>()(z.strictObject({ runId: runIdSchema, values: z.record(z.string(), z.string().max(10_000)) })),
  'runs.runStep': channel<StepRunOutcome>()(
    z.strictObject({ runId: runIdSchema, stepId: stepIdSchema, terminalId: terminalIdSchema, confirmation: z.string().max(200).optional(), values: valuesSchema }),
  ),
  /** A step's commands exactly as Run would type them, and where (the confirm dialog shows it). */
  'runs.preview': channel<CommandPreview[]>()(z.strictObject({ runId: runIdSchema, stepId: stepIdSchema, terminalId: terminalIdSchema })),
  'runs.runAll': channel<RunAllOutcome>()(z.strictObject({ runId: runIdSchema, phaseId: phaseIdSchema, terminalId: terminalIdSchema, values: valuesSchema })),
} as const;

export const runbookEvents = {
  'runs.changed': event<{ readonly run: RunView }>(),
} as const;
