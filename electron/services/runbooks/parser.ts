// Runbook parser: front matter + `##` phases + `- [ ]` steps + command fences.
// It always scans the whole file, so one run reports every problem with its line, and it
// only returns a runbook when there are no errors.
import { createHash } from 'node:crypto';
import { assertNever } from '../../../shared/assert';
import { classifyLanguage, parseFenceInfo, splitInfo } from './attributes';
import { parseFrontMatter, type RunbookMeta } from './front-matter';
import { checkRunbook } from './checks';
import type { CommandBlock, Diagnostic, DiagnosticCode, ParseResult, Phase, Runbook, RunbookSource, Step } from './model';
import { dedent, scanBody, scanFrontMatter, slugify, splitExplicitId, splitLines, type FenceToken, type Token } from './scanner';

export interface ParseOptions {
  readonly file: string;
  readonly source?: RunbookSource;
}

interface CommandDraft {
  readonly fence: FenceToken;
  readonly block: Omit<CommandBlock, 'id'>;
}

interface StepDraft {
  readonly text: string;
  readonly explicitId?: string;
  readonly line: number;
  readonly indent: number;
  readonly guidance: string[];
  readonly commands: CommandDraft[];
}

interface PhaseDraft {
  readonly title: string;
  readonly explicitId?: string;
  readonly line: number;
  readonly description: string[];
  readonly steps: StepDraft[];
}

export function parseRunbook(text: string, options: ParseOptions): ParseResult {
  const { file } = options;
  const diagnostics: Diagnostic[] = [];
  const push = (line: number, code: DiagnosticCode, message: string, severity: 'error' | 'warning' = 'error', column?: number) =>
    diagnostics.push({ file, line, ...(column !== undefined ? { column } : {}), severity, code, message });

  const lines = splitLines(text);
  const fm = scanFrontMatter(lines);
  let meta: RunbookMeta | undefined;
  let bodyStart = 0;
  switch (fm.kind) {
    case 'missing':
      push(1, 'front-matter', 'runbook must start with YAML front matter between --- lines (id, title, severity, applies_to, version)');
      break;
    case 'unterminated':
      push(fm.openLine, 'front-matter', 'front matter is not closed: add a --- line after it');
      bodyStart = lines.length;
      break;
    case 'present': {
      const parsed = parseFrontMatter(fm.frontMatter, file);
      diagnostics.push(...parsed.diagnostics);
      meta = parsed.meta;
      bodyStart = fm.bodyStart;
      break;
    }
    default:
      assertNever(fm, 'front matter scan');
  }

  const tokens = scanBody(lines.slice(bodyStart), bodyStart + 1);
  const { intro, phases } = buildDrafts(tokens, push);
  const runbookId = meta?.id ?? 'unknown';
  const built = finishPhases(runbookId, phases, meta, push);
  if (phases.length === 0) push(bodyStart + 1, 'structure', 'runbook has no phases: add "## Phase title" headings with "- [ ] step" items');

  if (!meta || diagnostics.some((d) => d.severity === 'error')) return { diagnostics: sortDiagnostics(diagnostics) };
  const runbook: Runbook = {
    id: meta.id,
    title: meta.title,
    severities: meta.severities,
    appliesTo: meta.appliesTo,
    version: meta.version,
    description: meta.description ?? dedent(intro),
    file,
    source: options.source ?? 'user',
    sha256: createHash('sha256').update(text).digest('hex'),
    variables: meta.variables,
    phases: built,
  };
  diagnostics.push(...checkRunbook(runbook));
  return { runbook, diagnostics: sortDiagnostics(diagnostics), idLine: meta.idLine };
}

export function sortDiagnostics(list: readonly Diagnostic[]): Diagnostic[] {
  return [...list].sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
}

type Push = (line: number, code: DiagnosticCode, message: string, severity?: 'error' | 'warning', column?: number) => void;

function buildDrafts(tokens: readonly Token[], push: Push): { intro: string[]; phases: PhaseDraft[] } {
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
        handleFence(token, step, context(), push);
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

function handleFence(fence: FenceToken, step: StepDraft | undefined, context: string[], push: Push): void {
  if (!fence.closed) push(fence.line, 'unclosed-fence', 'code block is never closed: add a closing ``` line');
  const { language } = splitInfo(fence.info);
  const kind = language === '' ? undefined : classifyLanguage(language);
  if (!step) {
    if (kind?.kind === 'command') push(fence.line, 'code-outside-step', `${language} code block outside a step: put it under a "- [ ]" step`);
    context.push(...fence.raw.split('\n'));
    return;
  }
  if (kind === undefined) {
    push(fence.line, 'language', 'code block under a step has no language: use sh, bash, pwsh, powershell or cmd to run it, or text to show it');
    return;
  }
  switch (kind.kind) {
    case 'example':
      step.guidance.push(...fence.raw.split('\n'));
      return;
    case 'unknown':
      push(fence.line, 'language', `unknown language '${language}': commands must be sh, bash, pwsh, powershell or cmd (use text for examples)`);
      return;
    case 'command': {
      const firstLine = fence.raw.split('\n')[0] ?? '';
      const infoColumn = firstLine.indexOf(fence.info) + 1;
      const parsed = parseFenceInfo(fence.info, infoColumn);
      for (const p of parsed.problems) push(fence.line, p.code, p.message, 'error', p.column);
      const code = kind.shell === 'sh' ? stripPrompts(fence.code) : fence.code;
      if (code.trim() === '') push(fence.line, 'structure', 'command block is empty', 'warning');
      step.commands.push({ fence, block: { language: parsed.language, shell: kind.shell, code, attributes: parsed.attributes, line: fence.line } });
      return;
    }
    default:
      assertNever(kind, 'language kind');
  }
}

/** Runme accepts `$ cmd` lines copied from a terminal; the prompt is not part of the command. */
function stripPrompts(code: string): string {
  const lines = code.split('\n');
  const nonBlank = lines.filter((l) => l.trim() !== '');
  if (nonBlank.length === 0 || !nonBlank.every((l) => /^\s*\$ /.test(l))) return code;
  return lines.map((l) => l.replace(/^(\s*)\$ /, '$1')).join('\n');
}

function uniqueSlug(base: string, taken: Set<string>): string {
  let slug = base;
  for (let n = 2; taken.has(slug); n++) slug = `${base}-${n}`;
  taken.add(slug);
  return slug;
}

function finishPhases(runbookId: string, drafts: readonly PhaseDraft[], meta: RunbookMeta | undefined, push: Push): Phase[] {
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
    if (draft.steps.length === 0) push(draft.line, 'structure', `phase '${draft.title}' has no steps (task items "- [ ] …")`, 'warning');

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
