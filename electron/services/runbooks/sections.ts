// Structure of a runbook written without checklist items, the way teams write alert
// runbooks: a title, sections (Meaning, Impact, Diagnosis, Mitigation), prose, numbered
// lists and code fences. Each section is a phase; each shell fence is a step, titled by
// its numbered item, the sentence that introduces it, or its heading, with the prose
// around it as guidance. Sections without commands are phases of guidance only. Fences
// in other languages (promql, yaml, sql …) stay in the guidance as reference blocks.
import { assertNever } from '../../../shared/assert';
import { classifyLanguage, splitInfo } from './attributes';
import { commandFromFence, type FoundPlaceholder, type PhaseDraft, type Push, type StepDraft } from './commands';
import { findDanger, isQueryLanguage } from './danger';
import type { Shell } from './model';
import { hasPrompts } from './shell-blocks';
import { plainText, splitExplicitId, type FenceToken, type HeadingToken, type ItemToken, type Token } from './scanner';

const MAX_TITLE = 90;

function noColon(text: string): string {
  return text.replace(/[:.]\s*$/, '').trim();
}

export interface Sections {
  readonly intro: string[];
  readonly phases: PhaseDraft[];
}

/** Which shell runs a fence in a document runbook, or undefined for a reference block. */
export function documentShell(fence: FenceToken): { shell: Shell; language: string } | undefined {
  const { language } = splitInfo(fence.info);
  const lang = language.toLowerCase();
  // `console` is a terminal session by convention: prompts, then output.
  if (lang === 'console' || lang === 'shell-session') return { shell: 'sh', language };
  if (lang === '') return hasPrompts(fence.code, 'console') ? { shell: 'sh', language: 'console' } : undefined;
  const kind = classifyLanguage(lang);
  return kind.kind === 'command' ? { shell: kind.shell, language } : undefined;
}

/** Warns about a write or destructive query in a reference block (sql, cypher, redis …), which is only shown. */
export function checkReferenceBlock(fence: FenceToken, push: Push): void {
  const { language } = splitInfo(fence.info);
  if (!isQueryLanguage(language)) return;
  const hit = findDanger(fence.code, language);
  if (hit) push(fence.line + 1 + hit.index, 'unsafe-command', `'${short(hit.text)}' (${hit.what}) in a ${language} block: shown for reference only, Firebreak does not run it`, 'warning');
}

/** The heading that titles the document: the only one at the top level used. */
export function titleHeading(tokens: readonly Token[]): HeadingToken | undefined {
  const headings = tokens.filter((t): t is HeadingToken => t.kind === 'heading');
  const first = headings[0];
  if (!first) return undefined;
  const top = Math.min(...headings.map((h) => h.level));
  return first.level === top && headings.filter((h) => h.level === top).length === 1 ? first : undefined;
}

/** A short title from the paragraph before a block: its last sentence, without the colon. */
function titleFromProse(paragraph: string): string | undefined {
  const text = plainText(paragraph.replace(/^\s*(?:[-*+]|\d+[.)])\s+/, ''));
  if (text === '' || /^[#|<>]/.test(text)) return undefined;
  const sentences = text.split(/(?<=[.!?])\s+(?=\S)/);
  const trimmed = noColon(sentences[sentences.length - 1] ?? text);
  if (trimmed.length <= MAX_TITLE) return trimmed;
  const cut = trimmed.slice(0, MAX_TITLE);
  return `${cut.slice(0, Math.max(cut.lastIndexOf(' '), MAX_TITLE / 2))}…`;
}

export function buildSections(tokens: readonly Token[], push: Push, placeholders: FoundPlaceholder[]): Sections {
  const title = titleHeading(tokens);
  const phaseLevel = Math.min(...tokens.filter((t): t is HeadingToken => t.kind === 'heading' && t !== title).map((h) => h.level));
  const intro: string[] = [];
  const phases: PhaseDraft[] = [];
  let phase: PhaseDraft | undefined;
  let subheading: string | undefined;
  let item: { token: ItemToken; steps: number } | undefined;
  let pending: string[] = [];
  // Steps created in the current section, so trailing prose can join the last one.
  let sectionSteps: StepDraft[] = [];

  const closeSection = () => {
    const last = sectionSteps[sectionSteps.length - 1];
    if (last) last.guidance.push('', ...pending);
    else (phase?.description ?? intro).push(...pending);
    pending = [];
    sectionSteps = [];
  };

  const stepTitle = (line: number): string => {
    const itemText = item && line < item.token.endLine ? noColon(item.token.text) : '';
    if (itemText !== '' && item?.steps === 0) return itemText;
    // The sentence introducing the block: the paragraph right before it.
    let end = pending.length;
    while (end > 0 && (pending[end - 1] ?? '').trim() === '') end--;
    let start = end;
    while (start > 0 && (pending[start - 1] ?? '').trim() !== '') start--;
    const paragraph = pending.slice(start, end);
    if (paragraph.length > 0 && !/^\s*(```|~~~)/.test(paragraph[paragraph.length - 1] ?? '')) {
      const found = titleFromProse(paragraph.join(' '));
      if (found) return found;
    }
    if (itemText !== '') return itemText;
    return subheading ?? phase?.title ?? 'Run';
  };

  const addFence = (fence: FenceToken) => {
    if (!fence.closed) push(fence.line, 'unclosed-fence', 'code block is never closed: add a closing ``` line');
    const runs = documentShell(fence);
    if (!runs) {
      checkReferenceBlock(fence, push);
      pending.push(...fence.raw.split('\n'));
      return;
    }
    if (!phase) {
      // Commands before any section: the runbook is one phase under its own title.
      phase = { title: title?.text ?? 'Steps', line: fence.line, description: [], steps: [] };
      phases.push(phase);
    }
    const text = stepTitle(fence.line);
    if (item && fence.line < item.token.endLine) {
      // The item's first line became the step's title: do not repeat it in the guidance.
      const at = item.steps === 0 ? pending.lastIndexOf(item.token.raw) : -1;
      if (at >= 0 && text === noColon(item.token.text)) pending.splice(at, 1);
      item.steps++;
    }
    const step: StepDraft = { text, line: fence.line, indent: 0, guidance: pending, commands: [] };
    pending = [];
    step.commands.push(commandFromFence({ ...fence, info: fence.info.replace(/^\S*/, runs.language) }, runs.shell, 'document', push, placeholders));
    phase.steps.push(step);
    sectionSteps.push(step);
  };

  for (const token of tokens) {
    if (item && token.line >= item.token.endLine) item = undefined;
    switch (token.kind) {
      case 'heading':
        if (token === title) break;
        if (token.level <= phaseLevel) {
          closeSection();
          const { text, id } = splitExplicitId(token.text);
          phase = { title: plainText(text), ...(id ? { explicitId: id } : {}), line: token.line, description: [], steps: [] };
          phases.push(phase);
          subheading = undefined;
          item = undefined;
          break;
        }
        // A deeper heading stays in the guidance and titles the blocks under it.
        subheading = plainText(token.text);
        pending.push(token.raw);
        break;
      case 'item':
        item = { token, steps: 0 };
        pending.push(token.raw);
        break;
      case 'task':
        // Not reached: a runbook with task items is a checklist (parser.ts).
        pending.push(token.raw);
        break;
      case 'fence':
        addFence(token);
        break;
      case 'text':
        pending.push(token.text);
        break;
      default:
        assertNever(token, 'token');
    }
  }
  closeSection();
  return { intro, phases };
}

function short(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
