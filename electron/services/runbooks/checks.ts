// Checks on a structurally valid runbook. They are warnings: the runbook stays usable
// (a dangerous block needs the typed confirmation either way), but `firebreak runbook
// lint` shows them and the bundled runbooks must have none.
import type { CommandBlock, Diagnostic, Runbook } from './model';
import { findDanger } from './danger';
import { firebreakVariableNames, findVariableReferences } from './variables';

/** The first line of a block that changes the system (danger.ts), with its file line. */
export function looksDestructive(block: CommandBlock): { line: number; text: string; what: string } | undefined {
  const hit = findDanger(block.code, block.shell === 'cmd' ? 'cmd' : block.language);
  return hit && { line: block.line + 1 + hit.index, text: hit.text, what: hit.what };
}

export function checkRunbook(runbook: Runbook): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = firebreakVariableNames(runbook);
  const warn = (line: number, code: Diagnostic['code'], message: string) => out.push({ file: runbook.file, line, severity: 'warning', code, message });

  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      for (const block of step.commands) {
        const hit = block.attributes.confirm ? undefined : block.danger;
        if (hit && runbook.format === 'document') {
          warn(hit.line, 'unsafe-command', `'${truncate(hit.text)}' is dangerous (${hit.what}): Firebreak asks for a typed confirmation before running it`);
        } else if (hit) {
          warn(hit.line, 'unsafe-command', `'${truncate(hit.text)}' changes the system (${hit.what}): mark the block confirm=true`);
        }
        if (block.shell === 'cmd' && block.attributes.platform && !block.attributes.platform.includes('win32')) {
          warn(block.line, 'attribute-value', 'cmd blocks only run on win32, but platform excludes it');
        }
        if (block.shell !== 'sh') {
          // sh expands unknown ${NAME} itself; PowerShell and cmd would not, silently.
          for (const name of findVariableReferences(`${block.code}\n${block.attributes.cwd ?? ''}`)) {
            if (!names.has(name)) {
              warn(block.line, 'variable', `\${${name}} is not a Firebreak variable: declare it under 'variables:' or with a prompt line, or use $env:${name}`);
            }
          }
        }
      }
    }
  }
  return out;
}

function truncate(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
