// From a fence to a command block, for both runbook formats: attributes, prompts and
// sample output, placeholders as variables, and danger. Also the draft shapes the two
// structure builders (checklist in parser.ts, document in sections.ts) fill in.
import { parseFenceInfo, splitInfo } from './attributes';
import { findDanger } from './danger';
import type { CommandBlock, DiagnosticCode, RunbookFormat, Shell } from './model';
import { rewritePlaceholders, type Placeholder } from './placeholders';
import type { FenceToken } from './scanner';
import { splitShellBlock } from './shell-blocks';

export type Push = (line: number, code: DiagnosticCode, message: string, severity?: 'error' | 'warning', column?: number) => void;

export interface CommandDraft {
  readonly fence: FenceToken;
  readonly block: Omit<CommandBlock, 'id'>;
}

export interface StepDraft {
  readonly text: string;
  readonly explicitId?: string;
  readonly line: number;
  readonly indent: number;
  readonly guidance: string[];
  readonly commands: CommandDraft[];
}

export interface PhaseDraft {
  readonly title: string;
  readonly explicitId?: string;
  readonly line: number;
  readonly description: string[];
  readonly steps: StepDraft[];
}

export interface FoundPlaceholder extends Placeholder {
  readonly line: number;
}

/**
 * Builds a command block from a fence in a shell language. In a document runbook the
 * info string may carry anything after the language (`bash title="x"`); only Firebreak's
 * `{…}` attributes are read there, everything else is ignored.
 */
export function commandFromFence(
  fence: FenceToken,
  shell: Shell,
  format: RunbookFormat,
  push: Push,
  placeholders: FoundPlaceholder[],
): CommandDraft {
  const firstLine = fence.raw.split('\n')[0] ?? '';
  const infoColumn = firstLine.indexOf(fence.info) + 1;
  const { language, rest } = splitInfo(fence.info);
  const info = format === 'document' && !rest.startsWith('{') ? language : fence.info;
  const parsed = parseFenceInfo(info, infoColumn);
  for (const p of parsed.problems) push(fence.line, p.code, p.message, 'error', p.column);

  // cmd.exe has no prompt convention worth stripping (`C:\>` is also a path).
  const split = shell === 'cmd' ? { code: fence.code, output: '' } : splitShellBlock(fence.code, language);
  const rewritten = rewritePlaceholders(split.code, { shellVariables: format === 'document' && shell === 'sh' });
  for (const p of rewritten.placeholders) placeholders.push({ ...p, line: fence.line });
  const code = rewritten.code;
  if (code.trim() === '') push(fence.line, 'structure', 'command block is empty', 'warning');

  // Checked with placeholders already written as ${NAME}: `<REDIS_HOST>` is no redirect.
  const hit = findDanger(code, shell === 'cmd' ? 'cmd' : language);
  const written = hit && (split.code.split('\n')[hit.index] ?? hit.text).trim();
  const danger = hit && written !== undefined && {
    what: hit.what,
    text: written,
    line: fence.line + 1 + Math.max(0, fence.code.split('\n').findIndex((l) => l.includes(written))),
  };
  return {
    fence,
    block: {
      language: parsed.language,
      shell,
      code,
      attributes: parsed.attributes,
      line: fence.line,
      ...(split.output !== '' ? { expectedOutput: split.output } : {}),
      ...(danger ? { danger } : {}),
    },
  };
}
