// What a human would type from a shell fence copied out of a terminal session: prompts
// (`$ `, `user@host:~# `, `PS> `) are stripped, continuation lines stay with their
// command, and the lines the block shows as the command's output are kept apart as
// expected output, never typed.

export interface SplitBlock {
  /** The lines to type, prompts removed. */
  readonly code: string;
  /** Sample output shown in the block, in order; empty when there is none. */
  readonly output: string;
}

// `$ cmd`, `user@host:~$ cmd`, `[root@host ~]# cmd`, `host% cmd`, `PS> cmd`, `PS C:\> cmd`.
const DOLLAR = /^\s*\$ (.*)$/;
const USER_PROMPT = /^\s*(?:\[[^\]\n]*\]|[\w.-]+@[\w.-]+(?::[^\s$#%>]*)?)\s?[$#%] ?(.*)$/;
const PWSH_PROMPT = /^\s*PS(?: [A-Za-z]:[^>]*)?> ?(.*)$/;
const ROOT_HASH = /^\s*# (.*)$/;

// A `# ` line is a root prompt only when what follows starts like a command people run
// as root in a runbook; otherwise it is a comment (`# check the pods first`).
const COMMAND_WORDS = new Set(
  (
    'kubectl oc helm terraform systemctl journalctl service docker podman crictl ctr ip ss netstat ' +
    'ls cat less tail head grep egrep find df du free top ps kill pkill rm mv cp mkdir chmod chown ' +
    'mount umount lsblk blkid fdisk mkfs dd truncate curl wget dig nslookup ping traceroute ' +
    'redis-cli psql mysql cypher-shell etcdctl aws gcloud az sudo su cd export echo sed awk ' +
    'vi vim nano apt apt-get yum dnf rpm dpkg reboot shutdown iptables nft sysctl dmesg uptime lsof strace'
  ).split(' '),
);

function promptCommand(line: string, allowHash: boolean): string | undefined {
  const m = DOLLAR.exec(line) ?? USER_PROMPT.exec(line) ?? PWSH_PROMPT.exec(line);
  if (m) return m[1] ?? '';
  if (!allowHash) return undefined;
  const h = ROOT_HASH.exec(line);
  const first = h?.[1]?.split(/\s+/)[0] ?? '';
  return h && (COMMAND_WORDS.has(first) || first.startsWith('/') || first.startsWith('./')) ? (h[1] ?? '') : undefined;
}

/** Whether a command line continues on the next line (trailing `\`, an open pipe or quote). */
function continues(line: string): boolean {
  // One pass over the quoting: a quote left open continues the command (an apostrophe
  // inside double quotes does not count), and a `#` outside quotes starts a comment.
  let quote: string | undefined;
  let end = line.length;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote) {
      if (ch === quote && !(quote === '"' && line.charAt(i - 1) === '\\')) quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '\\') {
      i++;
    } else if (ch === '#' && (i === 0 || /\s/.test(line.charAt(i - 1)))) {
      end = i;
      break;
    }
  }
  if (quote !== undefined) return true;
  const t = line.slice(0, end).trimEnd();
  return t.endsWith('\\') || t.endsWith('|') || t.endsWith('&&') || t.endsWith('||');
}

/** The delimiter a line opens a here-document with, if any. */
function heredocDelimiter(line: string): string | undefined {
  const m = /<<-?[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line);
  return m?.[2];
}

/** Whether any line in the block carries a prompt, which makes it a terminal transcript. */
export function hasPrompts(code: string, language: string): boolean {
  const console = language.toLowerCase() === 'console';
  return code.split('\n').some((l) => promptCommand(l, console) !== undefined);
}

/**
 * Splits a shell fence into commands and sample output. A block without prompts is all
 * command (a script). A block with prompts is a transcript: prompt lines and their
 * continuations are commands, comments before a command stay with it, the rest is output.
 */
export function splitShellBlock(code: string, language: string): SplitBlock {
  const console = language.toLowerCase() === 'console';
  const lines = code.split('\n');
  const transcript = lines.some((l) => promptCommand(l, console) !== undefined);
  if (!transcript) return { code, output: '' };
  // In a transcript `# ` may be a root prompt only if no `$ ` prompt is used anywhere.
  const allowHash = console || !lines.some((l) => DOLLAR.test(l));
  const commands: string[] = [];
  const output: string[] = [];
  let open = false;
  let heredoc: string | undefined;
  let lastWasOutput = false;
  const nextIsPrompt = (from: number): boolean => {
    for (let j = from; j < lines.length; j++) {
      const l = lines[j] ?? '';
      if (l.trim() === '' || /^\s*#/.test(l)) {
        if (promptCommand(l, allowHash) !== undefined) return true;
        continue;
      }
      return promptCommand(l, allowHash) !== undefined;
    }
    return false;
  };
  for (const [i, line] of lines.entries()) {
    if (heredoc !== undefined) {
      commands.push(line);
      if (line.trim() === heredoc) heredoc = undefined;
      continue;
    }
    if (open) {
      // A continuation, shown with or without a `> ` secondary prompt.
      const text = line.replace(/^\s*> /, '');
      commands.push(text);
      open = continues(text);
      heredoc = heredocDelimiter(text);
      continue;
    }
    const command = promptCommand(line, allowHash);
    if (command !== undefined) {
      commands.push(command);
      open = continues(command);
      heredoc = heredocDelimiter(command);
      lastWasOutput = false;
      continue;
    }
    if (line.trim() === '') {
      (lastWasOutput ? output : commands).push(line);
      continue;
    }
    // A comment before the next command (not a `#` in the output) stays with the commands.
    if (/^\s*#/.test(line) && (!lastWasOutput || nextIsPrompt(i + 1))) {
      lastWasOutput = false;
      commands.push(line);
      continue;
    }
    output.push(line);
    lastWasOutput = true;
  }
  return { code: trimBlank(commands).join('\n'), output: trimBlank(output).join('\n') };
}

function trimBlank(lines: string[]): string[] {
  let start = 0;
  let end = lines.length;
  while (start < end && (lines[start] ?? '').trim() === '') start++;
  while (end > start && (lines[end - 1] ?? '').trim() === '') end--;
  return lines.slice(start, end);
}
