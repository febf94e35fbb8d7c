// Checks on a structurally valid runbook. They are warnings: the runbook stays usable,
// but `firebreak runbook lint` shows them and the bundled runbooks must have none.
import type { CommandBlock, Diagnostic, Runbook } from './model';
import { firebreakVariableNames, findVariableReferences } from './variables';

// Commands that change or stop things. A runbook is read-only by default, so each of
// these must carry confirm=true, which makes the operator type a confirmation first.
const DESTRUCTIVE: readonly RegExp[] = [
  /\brm\s+-\w*[rf]/,
  /\b(?:rmdir|shred|truncate|mkfs\S*|fdisk|wipefs)\b/,
  /\bdd\s+if=/,
  // Only in command position: `grep 'oom-kill'` must not count as killing anything.
  /(?:^|[;&|({]\s*|\b(?:sudo|xargs|exec|then|do)\s+)(?:kill|pkill|killall)\b/,
  /\bsystemctl\s+(?:stop|restart|kill|disable|mask|isolate)\b/,
  /\bservice\s+\S+\s+(?:stop|restart)\b/,
  /(?:^|[;&|({]\s*|\b(?:sudo|then|do)\s+)(?:shutdown|reboot|halt|poweroff)\b/,
  /\b(?:iptables|ip6tables|nft|ufw|pfctl|netsh)\b/,
  /\bip\s+link\s+set\b.*\bdown\b/,
  /\bmv\s/,
  /\bcp\s+-\w*f/,
  /\brsync\b.*--delete/,
  /\btar\s+-?\w*x/,
  /\bgit\s+(?:reset\s+--hard|checkout\s+--?\s|clean\s+-\w*f|push\s+(?:-f|--force))/,
  /\bkubectl\s+(?:delete|rollout\s+undo|scale|drain|cordon)\b/,
  /\bdocker\s+(?:rm|stop|kill|restart|compose\s+(?:down|restart|up))\b/,
  /\b(?:FLUSHALL|FLUSHDB|SHUTDOWN)\b/,
  /\b(?:DROP|TRUNCATE)\s+(?:TABLE|DATABASE|INDEX)\b/i,
  /\bDELETE\s+FROM\b/i,
  /\b(?:psql|mysql|cypher-shell|redis-cli)\b.*<\s*\S/,
  /\bgunzip\s+-c\b.*\|\s*(?:psql|mysql)/,
  /\b(?:Remove-Item|Stop-Process|Stop-Service|Restart-Service|Set-Service|Restart-Computer|Stop-Computer|Clear-Content|Move-Item|Rename-Item)\b/i,
  /\bCopy-Item\b.*-Force\b/i,
  /\b(?:Disable-NetAdapter|Set-NetFirewallProfile|New-NetFirewallRule|Set-NetFirewallRule|Disable-LocalUser|Remove-LocalUser)\b/i,
  /\b(?:del|erase|rd|taskkill)\b\s/i,
];

/** Strips comments so guidance written as `# do not rm -rf here` does not trip the check. */
function codeLines(block: CommandBlock): Array<{ text: string; index: number }> {
  return block.code
    .split('\n')
    .map((text, index) => ({ text: block.shell === 'cmd' ? text.replace(/^\s*(?:rem\b|::).*$/i, '') : text.replace(/(^|\s)#.*$/, ''), index }))
    .filter((l) => l.text.trim() !== '');
}

export function looksDestructive(block: CommandBlock): { line: number; text: string } | undefined {
  for (const { text, index } of codeLines(block)) {
    if (DESTRUCTIVE.some((re) => re.test(text))) return { line: block.line + 1 + index, text: text.trim() };
  }
  return undefined;
}

export function checkRunbook(runbook: Runbook): Diagnostic[] {
  const out: Diagnostic[] = [];
  const names = firebreakVariableNames(runbook);
  const warn = (line: number, code: Diagnostic['code'], message: string) => out.push({ file: runbook.file, line, severity: 'warning', code, message });

  for (const phase of runbook.phases) {
    for (const step of phase.steps) {
      for (const block of step.commands) {
        const hit = block.attributes.confirm ? undefined : looksDestructive(block);
        if (hit) warn(hit.line, 'unsafe-command', `'${truncate(hit.text)}' changes the system: mark the block confirm=true`);
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
