// Runbook parser: optional front matter, then either Firebreak's checklist format
// (`##` phases, `- [ ]` steps, command fences under them) or, when the body has no
// checklist items, any Markdown runbook (sections.ts). It always scans the whole file, so
// one run reports every problem with its line, and it only returns a runbook when there
// are no errors.
import { createHash } from 'node:crypto';
import path from 'node:path';
import { assertNever } from '../../../shared/assert';
import { classifyLanguage, splitInfo } from './attributes';
import { commandFromFence, type FoundPlaceholder, type PhaseDraft, type Push, type StepDraft } from './commands';
import { defaultMeta, looksSecret, parseFrontMatter, type MetaDefaults, type RunbookMeta } from './front-matter';
import { checkRunbook } from './checks';
import type { CommandBlock, Diagnostic, ParseResult, Phase, Runbook, RunbookFormat, RunbookSource, RunbookVariable, Step } from './model';
import { dedent, plainText, scanBody, scanFrontMatter, slugify, splitExplicitId, splitLines, type FenceToken, type Token } from './scanner';
import { buildSections, checkReferenceBlock, titleHeading } from './sections';
import { CONTEXT_VARIABLES } from './variables';

export interface ParseOptions {
  readonly file: string;
  readonly source?: RunbookSource;
  /** The id when the front matter gives none: the file's path in its folder (loader.ts). */
  readonly defaultId?: string;
}

/** `kubernetes/KubePodCrashLooping.md` → `kubernetes.kubepodcrashlooping`: a valid runbook id. */
export function idFromPath(relative: string): string {
  const id = relative
    .replace(/\.md$/i, '')
    // `name.ja.md` is the Japanese text of `name.md`, the same runbook (variants.ts).
    .replace(/\.[a-z]{2}(?:-[A-Za-z]{2,4})?$/, '')
    .split(/[\\/]+/)
    .join('.')
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[^a-z0-9]+/, '')
    .slice(0, 100);
  return id === '' ? 'runbook' : id;
}

export function parseRunbook(text: string, options: ParseOptions): ParseResult {
  const { file } = options;
  const diagnostics: Diagnostic[] = [];
  const push: Push = (line, code, message, severity = 'error', column) =>
    diagnostics.push({ file, line, ...(column !== undefined ? { column } : {}), severity, code, message });

  const lines = splitLines(text);
  const fm = scanFrontMatter(lines);
  const bodyStart = fm.kind === 'present' || fm.kind === 'toml' ? fm.bodyStart : fm.kind === 'unterminated' ? lines.length : 0;
  const tokens = scanBody(lines.slice(bodyStart), bodyStart + 1);
  const format: RunbookFormat = tokens.some((t) => t.kind === 'task') ? 'checklist' : 'document';
  const heading = tokens.find((t) => t.kind === 'heading');
  const defaults: MetaDefaults = {
    id: options.defaultId ?? idFromPath(path.basename(file)),
    title: (heading?.kind === 'heading' ? plainText(heading.text) : '') || path.basename(file).replace(/\.md$/i, ''),
  };

  let meta: RunbookMeta | undefined;
  switch (fm.kind) {
    case 'missing':
      meta = defaultMeta(defaults);
      break;
    case 'toml':
      meta = defaultMeta(defaults, fm.title);
      break;
    case 'unterminated':
      push(fm.openLine, 'front-matter', 'front matter is not closed: add a --- line after it');
      break;
    case 'present': {
      const parsed = parseFrontMatter(fm.frontMatter, file, defaults);
      diagnostics.push(...parsed.diagnostics);
      meta = parsed.meta;
      break;
    }
    default:
      assertNever(fm, 'front matter scan');
  }

  const placeholders: FoundPlaceholder[] = [];
  const built = format === 'checklist' ? buildDrafts(tokens, push, placeholders) : buildSections(tokens, push, placeholders);
  let { intro } = built;
  let drafts = built.phases;
  if (format === 'document' && drafts.length === 0) {
    // Prose only: one phase of guidance, so the runbook still opens and reads.
    drafts = [{ title: meta?.title ?? defaults.title, line: (titleHeading(tokens) ?? tokens[0])?.line ?? 1, description: intro, steps: [] }];
    intro = [];
  }
  const runbookId = meta?.id ?? 'unknown';
  const phases = finishPhases(runbookId, drafts, meta, format, push);
  if (format === 'document' && tokens.every((t) => t.kind === 'text' && t.text.trim() === '')) push(bodyStart + 1, 'structure', 'runbook is empty: write at least a heading and what to do');
  if (format === 'checklist' && drafts.length === 0) push(bodyStart + 1, 'structure', 'runbook has no phases: add "## Phase title" headings with "- [ ] step" items');

  if (!meta || diagnostics.some((d) => d.severity === 'error')) return { diagnostics: sortDiagnostics(diagnostics) };
  const sha256 = createHash('sha256').update(text).digest('hex');
  const runbook: Runbook = {
    id: meta.id,
    title: meta.title,
    severities: meta.severities,
    ...(meta.anySeverity ? { anySeverity: true } : {}),
    appliesTo: meta.appliesTo,
    // Empty when the runbook has none: its sha256 (recorded with every run) names the text.
    version: meta.version,
    description: meta.description ?? dedent(intro),
    file,
    source: options.source ?? 'user',
    sha256,
    format,
    variables: withPlaceholders(meta.variables, placeholders),
    phases,
  };
  diagnostics.push(...checkRunbook(runbook));
  return { runbook, diagnostics: sortDiagnostics(diagnostics), idLine: meta.idLine };
}

/** Declared variables, then one per placeholder name not declared and not a context value. */
function withPlaceholders(declared: readonly RunbookVariable[], found: readonly FoundPlaceholder[]): RunbookVariable[] {
  const out = [...declared];
  const names = new Set(declared.map((v) => v.name));
  for (const p of found) {
    if (names.has(p.name) || Object.hasOwn(CONTEXT_VARIABLES, p.name)) continue;
    names.add(p.name);
    out.push({ name: p.name, description: `${p.description} (from the runbook)`, secret: looksSecret(p.name), line: p.line });
  }
  return out;
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

function buildDrafts(tokens: readonly Token[], push: Push, placeholders: FoundPlaceholder[]): { intro: string[]; phases: PhaseDraft[] } {
  const intro: string[] = [];
  const phases: PhaseDraft[] = [];
  let phase: PhaseDraft | undefined;
  let step: StepDraft | undefined;
  const context = (): string[] => step?.guidance ?? phase?.description ?? intro;

  for (const token of tokens) {
    switch (token.kind) {
      case 'heading': {
        if (token.level !== 2) {
          // `# Title` before the first phase is the document title, not description.
          if (!(token.level === 1 && !phase)) context().push(token.raw);
          break;
        }
        step = undefined;
        const { text, id } = splitExplicitId(token.text);
        if (text === '') push(token.line, 'structure', 'phase heading has no title');
        phase = { title: text, ...(id ? { explicitId: id } : {}), line: token.line, description: [], steps: [] };
        phases.push(phase);
        break;
      }
      case 'task': {
        // Deeper-indented task items are a sub-checklist inside the step's guidance.
        if (step && token.indent >= step.indent + 2) {
          step.guidance.push(token.raw);
          break;
        }
        const { text, id } = splitExplicitId(token.text);
        if (!phase) {
          push(token.line, 'structure', 'step appears before the first "## phase" heading');
          step = undefined;
          break;
        }
        if (text === '') push(token.line, 'step-text', 'step has no text: write what to do after "- [ ]"');
        step = { text, ...(id ? { explicitId: id } : {}), line: token.line, indent: token.indent, guidance: [], commands: [] };
        phase.steps.push(step);
        break;
      }
      case 'fence':
        handleFence(token, step, context(), push, placeholders);
        break;
      case 'item':
        context().push(token.raw);
        break;
      case 'text':
        context().push(token.text);
        break;
      default:
        assertNever(token, 'token');
    }
  }
  return { intro, phases };
}

function handleFence(fence: FenceToken, step: StepDraft | undefined, context: string[], push: Push, placeholders: FoundPlaceholder[]): void {
  if (!fence.closed) push(fence.line, 'unclosed-fence', 'code block is never closed: add a closing ``` line');
  const { language } = splitInfo(fence.info);
  const kind = language === '' ? undefined : classifyLanguage(language);
  if (!step) {
    if (kind?.kind === 'command') push(fence.line, 'code-outside-step', `${language} code block outside a step: put it under a "- [ ]" step`);
    context.push(...fence.raw.split('\n'));
    return;
  }
  if (kind === undefined) {
    push(fence.line, 'language', 'code block under a step has no language: use sh, bash, pwsh, powershell or cmd to run it, or text (promql, yaml, json, sql …) to show it');
    return;
  }
  switch (kind.kind) {
    case 'example':
      // Reference blocks (output, config, queries) are guidance: shown, copyable, not run.
      checkReferenceBlock(fence, push);
      step.guidance.push(...fence.raw.split('\n'));
      return;
    case 'unknown':
      push(fence.line, 'language', `unknown language '${language}': commands must be sh, bash, pwsh, powershell or cmd (use text, promql, yaml, json, sql … for reference blocks)`);
      return;
    case 'command':
      step.commands.push(commandFromFence(fence, kind.shell, 'checklist', push, placeholders));
      return;
    default:
      assertNever(kind, 'language kind');
  }
}

function uniqueSlug(base: string, taken: Set<string>): string {
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

function finishPhases(runbookId: string, drafts: readonly PhaseDraft[], meta: RunbookMeta | undefined, format: RunbookFormat, push: Push): Phase[] {
  const phaseIds = new Set<string>();
  const explicitStepIds = new Map<string, number>();
  const commandNames = new Map<string, number>();
  const budgets = meta?.timeBudget ?? [];
  const usedBudgets = new Set<number>();

  const phases = drafts.map((draft, phaseIndex): Phase => {
    let phaseId: string;
    if (draft.explicitId) {
      if (phaseIds.has(draft.explicitId)) push(draft.line, 'duplicate-name', `duplicate phase id '${draft.explicitId}'`);
      phaseIds.add(draft.explicitId);
      phaseId = draft.explicitId;
    } else {
      phaseId = uniqueSlug(slugify(draft.title) || `phase-${phaseIndex + 1}`, phaseIds);
    }
    // In a document runbook a section without commands (Meaning, Impact) is plain guidance.
    if (draft.steps.length === 0 && format === 'checklist') push(draft.line, 'structure', `phase '${draft.title}' has no steps (task items "- [ ] …")`, 'warning');

    const budgetIndex = budgets.findIndex((b) => {
      const key = b.key.trim().toLowerCase();
      return key === draft.title.toLowerCase() || key === phaseId || slugify(b.key) === phaseId;
    });
    const budget = budgets[budgetIndex];
    if (budget) {
      if (usedBudgets.has(budgetIndex)) push(budget.line, 'time-budget', `time_budget '${budget.key}' matches more than one phase`, 'warning');
      usedBudgets.add(budgetIndex);
    }

    const stepSlugs = new Set<string>();
    const steps = draft.steps.map((s, stepIndex): Step => {
      let local: string;
      if (s.explicitId) {
        const prev = explicitStepIds.get(s.explicitId);
        if (prev !== undefined) push(s.line, 'duplicate-name', `duplicate step name '${s.explicitId}' (first used on line ${prev})`);
        else explicitStepIds.set(s.explicitId, s.line);
        stepSlugs.add(s.explicitId);
        local = s.explicitId;
      } else {
        local = uniqueSlug(slugify(s.text) || `step-${stepIndex + 1}`, stepSlugs);
      }
      const stepId = `${runbookId}/${phaseId}/${local}`;
      const commands = s.commands.map(({ block }, i): CommandBlock => {
        const name = block.attributes.name;
        if (name !== undefined) {
          const prev = commandNames.get(name);
          if (prev !== undefined) push(block.line, 'duplicate-name', `duplicate command name '${name}' (first used on line ${prev})`);
          else commandNames.set(name, block.line);
        }
        return { ...block, id: `${stepId}#${name ?? String(i + 1)}` };
      });
      return { id: stepId, text: s.text, guidance: dedent(s.guidance), line: s.line, commands };
    });
    return {
      id: phaseId,
      title: draft.title,
      ...(budget ? { budgetMinutes: budget.minutes } : {}),
      description: dedent(draft.description),
      line: draft.line,
      steps,
    };
  });
  budgets.forEach((b, i) => {
    if (!usedBudgets.has(i) && drafts.length > 0) push(b.line, 'time-budget', `time_budget '${b.key}' matches no phase title or slug`, 'warning');
  });
  return phases;
}
