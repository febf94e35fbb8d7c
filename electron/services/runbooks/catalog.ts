// The runbook catalog the main process holds: load once, reload when settings change or
// the operator asks, and look runbooks and steps up by id for runs.
import { needsConfirmation, type CommandBlock, type Diagnostic, type Phase, type Platform, type Runbook, type Step } from './model';
import { commandsFor } from './platform';
import { loadRunbooks, type LoadOptions, type LoadResult, type RunbookFileReport } from './loader';
import { pickVariant } from './variants';

export class RunbookCatalog {
  private result: LoadResult = { runbooks: [], variants: [], diagnostics: [], files: [] };
  private byId = new Map<string, Runbook>();
  private variantsById = new Map<string, Runbook[]>();

  constructor(private options: LoadOptions) {}

  /** Re-reads every folder; pass new options when the user's folders change in settings. */
  async reload(options?: LoadOptions): Promise<LoadResult> {
    if (options) this.options = options;
    const result = await loadRunbooks(this.options);
    this.result = result;
    this.byId = new Map(result.runbooks.map((r) => [r.id, r]));
    this.variantsById = new Map();
    for (const v of result.variants) this.variantsById.set(v.id, [...(this.variantsById.get(v.id) ?? []), v]);
    return result;
  }

  /** Each runbook in `lang` when it has that variant, else in its base language; sorted by the title shown. */
  list(lang?: string): readonly Runbook[] {
    if (lang === undefined) return this.result.runbooks;
    return this.result.runbooks.map((r) => pickVariant(r, this.variantsOf(r.id), lang)).sort((a, b) => a.title.localeCompare(b.title, lang));
  }

  /** The runbook in `lang` (falling back to its base language), or the base file when no language is asked for. */
  get(id: string, lang?: string): Runbook | undefined {
    const base = this.byId.get(id);
    return base && pickVariant(base, this.variantsOf(id), lang);
  }

  /** Every language of a runbook, the base first. */
  languages(id: string): readonly Runbook[] {
    const base = this.byId.get(id);
    return base ? [base, ...this.variantsOf(id)] : [];
  }

  private variantsOf(id: string): readonly Runbook[] {
    return this.variantsById.get(id) ?? [];
  }

  diagnostics(): readonly Diagnostic[] {
    return this.result.diagnostics;
  }

  files(): readonly RunbookFileReport[] {
    return this.result.files;
  }
}

/** Finds a step by its id, with its phase; step ids start with the runbook id. */
export function findStep(runbook: Runbook, stepId: string): { phase: Phase; step: Step } | undefined {
  for (const phase of runbook.phases) {
    const step = phase.steps.find((s) => s.id === stepId);
    if (step) return { phase, step };
  }
  return undefined;
}

export interface RunAllItem {
  readonly step: Step;
  readonly blocks: readonly CommandBlock[];
}

/** Whether a block may run without the operator: Run all never types into prompts or confirms. */
export function isUnattended(block: CommandBlock): boolean {
  const a = block.attributes;
  return !a.interactive && !a.background && !a.excludeFromRunAll && !needsConfirmation(block);
}

/**
 * What "Run all" executes for a phase on a platform, in order. A step is included when
 * it has blocks for the platform and all of them can run unattended; a step with an
 * interactive or confirm=true block is left for the operator to run by hand.
 */
export function runAllPlan(phase: Phase, platform: Platform): RunAllItem[] {
  const plan: RunAllItem[] = [];
  for (const step of phase.steps) {
    const { current } = commandsFor(step, platform);
    if (current.length > 0 && current.every(isUnattended)) plan.push({ step, blocks: current });
  }
  return plan;
}
