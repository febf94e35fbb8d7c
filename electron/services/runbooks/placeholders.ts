// Values a runbook author left for the reader to fill in. Each becomes a Firebreak
// variable reference `${NAME}`, asked for once per incident and substituted (quoted for
// its context) before the command is typed. A `<NAME>` must never reach a shell as it is:
// sh reads `<POD_NAME>` as "read from a file called POD_NAME" and `>` as a redirect.
//
// Recognised styles:
//   <POD_NAME>  <namespace>  <instance label from alert>   angle brackets
//   {{ .Labels.instance }}  {{ $labels.namespace }}        alert templates
//   $NAMESPACE  ${NODE_NAME}                               only when the block never assigns them
//   NODE_NAME=<instance label from alert>                  an assignment whose value is a placeholder

export interface Placeholder {
  readonly name: string;
  /** What the author wrote, for the prompt: `<instance label from alert>`. */
  readonly description: string;
}

export interface PlaceholderResult {
  /** The code with every placeholder written as `${NAME}`. */
  readonly code: string;
  readonly placeholders: readonly Placeholder[];
}

const ANGLE = /<([A-Za-z][A-Za-z0-9_ .:/-]{0,60}?)>/g;
const TEMPLATE = /\{\{-?\s*(?:\.|\$)?([A-Za-z_][\w.]*)\s*-?\}\}/g;
const DOLLAR = /\$(?:\{([A-Z][A-Z0-9_]*)\}|([A-Z][A-Z0-9_]*))/g;

// Environment variables every shell has, and names runbooks use as shell variables: never
// asked for.
const ENVIRONMENT = new Set(
  'HOME PATH USER LOGNAME SHELL PWD OLDPWD HOSTNAME HOST TERM LANG LC_ALL TMPDIR TMP EDITOR PAGER RANDOM SECONDS UID EUID PPID IFS PS1 PS2 KUBECONFIG BASH_SOURCE LINENO'.split(' '),
);

// `<none>` is what kubectl prints for an empty field; matched in a grep, it is no placeholder.
const NOT_PLACEHOLDERS = new Set(['none', 'unknown', 'nil', 'null', 'pending', 'invalid', 'br', 'p', 'b', 'i', 'div', 'span', 'html', 'head', 'body']);

/** `instance label from alert` → `INSTANCE_LABEL_FROM_ALERT`; `.Labels.instance` → `INSTANCE`. */
export function placeholderName(text: string): string {
  const words = text
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '');
  const name = /^[0-9]/.test(words) ? `_${words}` : words;
  return name.slice(0, 48).replace(/_+$/, '') || 'VALUE';
}

/** Names the block gives a value itself: `NAME=`, `export NAME=`, `read NAME`, `for NAME in`. */
function assignedNames(code: string): Set<string> {
  const names = new Set<string>();
  for (const m of code.matchAll(/(?:^|[\s;&|(])(?:export\s+|local\s+|declare\s+(?:-\w+\s+)*|readonly\s+)?([A-Za-z_][A-Za-z0-9_]*)=/g)) if (m[1]) names.add(m[1]);
  for (const m of code.matchAll(/\b(?:read(?:\s+-\w+)*|for)\s+([A-Za-z_][A-Za-z0-9_]*)/g)) if (m[1]) names.add(m[1]);
  return names;
}

/** Splits a line into its code and a trailing `# comment` (outside quotes), which stays as written. */
function splitComment(line: string): { code: string; comment: string } {
  let quote: string | undefined;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (quote) {
      if (ch === quote && line.charAt(i - 1) !== '\\') quote = undefined;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
    } else if (ch === '#' && (i === 0 || /\s/.test(line.charAt(i - 1)))) {
      return { code: line.slice(0, i), comment: line.slice(i) };
    }
  }
  return { code: line, comment: '' };
}

/** Ranges of single-quoted text on a line: `$NF` in an awk program is not a placeholder. */
function singleQuoted(line: string): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let inDouble = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line.charAt(i);
    if (ch === '"' && line.charAt(i - 1) !== '\\') inDouble = !inDouble;
    else if (ch === "'" && !inDouble) {
      const end = line.indexOf("'", i + 1);
      if (end < 0) break;
      ranges.push([i, end]);
      i = end;
    }
  }
  return ranges;
}

/**
 * Rewrites the placeholders of a block as `${NAME}` references. `shellVariables` turns on
 * the `$NAME` style (POSIX shells only: PowerShell's `$NAME` is its own variable).
 */
export function rewritePlaceholders(code: string, options: { shellVariables: boolean }): PlaceholderResult {
  const found = new Map<string, Placeholder>();
  const add = (name: string, description: string): string => {
    if (!found.has(name)) found.set(name, { name, description });
    return `\${${name}}`;
  };
  const assigned = options.shellVariables ? assignedNames(code) : new Set<string>();
  let heredocEnd: string | undefined;
  const out = code.split('\n').map((line) => {
    if (heredocEnd !== undefined) {
      if (line.trim() === heredocEnd) heredocEnd = undefined;
      return line;
    }
    const { code: body, comment } = splitComment(line);
    const quoted = singleQuoted(body);
    const inSingle = (index: number) => quoted.some(([a, b]) => index > a && index < b);
    let text = body.replace(TEMPLATE, (all, path: string) => add(placeholderName(path.split('.').pop() ?? path), all.trim()));
    text = text.replace(ANGLE, (all, inner: string, index: number) => {
      const prev = text.charAt(index - 1);
      // `<<EOF`, `<(cmd)` and `2>&1` never get here; `cmd <file` needs the space to read as a redirect.
      // `sort <in.txt >out.txt` is two redirects, not a placeholder `<in.txt >`.
      if (prev === '<' || inner !== inner.trimEnd() || NOT_PLACEHOLDERS.has(inner.toLowerCase())) return all;
      if (inSingle(index) && !/[A-Z_-]/.test(inner)) return all;
      // `NODE_NAME=<instance label from alert>`: the variable is the one being assigned.
      const assignment = /(?:^|[\s;(])(?:export\s+)?([A-Za-z_][A-Za-z0-9_]*)=["']?$/.exec(text.slice(0, index));
      if (assignment?.[1]) return add(assignment[1].toUpperCase(), inner);
      return add(placeholderName(inner), all);
    });
    if (options.shellVariables) {
      text = text.replace(DOLLAR, (all, braced: string | undefined, bare: string | undefined, index: number) => {
        const name = braced ?? bare ?? '';
        if (ENVIRONMENT.has(name) || assigned.has(name) || inSingle(index)) return all;
        return add(name, all);
      });
    }
    heredocEnd = /<<-?[ \t]*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(text)?.[2];
    return text + comment;
  });
  return { code: out.join('\n'), placeholders: [...found.values()] };
}
