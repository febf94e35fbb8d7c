import { compileUserPattern, type UserPattern } from '../../../shared/user-pattern';
import { invalidInput } from '../errors';
import type { RedactionSummary } from '../../../shared/reports';

// Redaction of secrets from what a report prints. It works on the copies of the record's
// strings that go into the report; the timeline and the stored evidence are never touched.

export interface RedactionPattern {
  readonly name: string;
  /** Built-in patterns are our own RegExps; a user's pattern runs on RE2 (linear time). */
  readonly regex: RegExp | UserPattern;
  /** Keeps a harmless prefix (the URL scheme and user, the `password=` key) for context. */
  readonly replace: (match: string, ...groups: string[]) => string;
  /**
   * Something every match contains, checked first: most of a report's strings (times, hosts,
   * commands without secrets) hold none of it, and the full expression is the report's
   * costliest step once run on every line.
   */
  readonly hint?: (text: string) => boolean;
}

export const REDACTED = '[REDACTED]';

// The literal words the two case-insensitive patterns below cannot match without.
const PASSWORD_FLAG_HINT = /redis-cli|mysql/i;
const SECRET_KEY_HINT = /pass(?:word|wd)|pwd|secret|token|api[_-]?key|access[_-]?key/i;

export const BUILT_IN_PATTERNS: readonly RedactionPattern[] = [
  {
    name: 'private-key',
    regex: /-----BEGIN ((?:[A-Z0-9]+ )*)PRIVATE KEY-----[\s\S]*?-----END \1PRIVATE KEY-----/g,
    replace: () => `${REDACTED} (private key)`,
    hint: (text) => text.includes('PRIVATE KEY-----'),
  },
  {
    name: 'url-password',
    // scheme://user:password@host — keep the user so the reader knows which account.
    regex: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]*):([^\s@/]+)@/gi,
    replace: (_m, prefix) => `${prefix}:${REDACTED}@`,
    hint: (text) => text.includes('://'),
  },
  {
    name: 'bearer-token',
    regex: /\b(Bearer|Token|Basic)\s+[A-Za-z0-9\-._~+/]{8,}=*/g,
    replace: (_m, scheme) => `${scheme} ${REDACTED}`,
    hint: (text) => text.includes('Bearer') || text.includes('Token') || text.includes('Basic'),
  },
  {
    name: 'aws-access-key',
    regex: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|ANPA|ANVA|AIPA)[A-Z0-9]{16}\b/g,
    replace: () => REDACTED,
  },
  {
    name: 'api-token',
    // Well-known token shapes: GitHub, Slack, Stripe-style live keys, JWTs.
    regex: /\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{22,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk_live_[A-Za-z0-9]{16,}|eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,})/g,
    replace: () => REDACTED,
  },
  {
    name: 'password-flag',
    // Passwords given on a command line: --password X / --password=X, redis-cli -a X,
    // mysql -pX. The flag stays so the reader sees that a password was passed.
    regex: /(--(?:password|passwd|pass|auth|token)(?:=|\s+)|\bredis-cli\b[^\n]*?\s-a\s+|\bmysql(?:dump|admin)?\b[^\n]*?\s-p)("[^"]*"|'[^']*'|[^\s"']+)/gi,
    replace: (_m, flag) => `${flag}${REDACTED}`,
    hint: (text) => text.includes('--') || PASSWORD_FLAG_HINT.test(text),
  },
  {
    name: 'secret-assignment',
    // password=…, secret: …, api_key="…", aws_secret_access_key = … (the key stays, the value goes).
    regex: /\b([A-Za-z0-9_.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key)[A-Za-z0-9_.-]*)(\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&"']+)/gi,
    replace: (_m, key, sep) => `${key}${sep}${REDACTED}`,
    hint: (text) => SECRET_KEY_HINT.test(text),
  },
];

export interface Redactor {
  /** The text with secrets replaced; counts every replacement it makes. */
  apply(text: string): string;
  summary(): RedactionSummary;
}

/** User patterns are RE2 regular expressions (case-sensitive, every match); a bad one is an input error naming it. */
export function compileUserPatterns(sources: readonly string[]): RedactionPattern[] {
  return sources.map((source, index) => {
    let regex: UserPattern;
    try {
      regex = compileUserPattern(source);
    } catch (error) {
      throw invalidInput(`patterns.${index}`, error instanceof Error ? error.message : String(error));
    }
    if (regex.test('')) throw invalidInput(`patterns.${index}`, `${JSON.stringify(source)} matches empty text; it would redact nothing useful`);
    return { name: `user:${index + 1}`, regex, replace: () => REDACTED };
  });
}

function replaceEvery(regex: RegExp | UserPattern, text: string, replace: (...args: unknown[]) => string): string {
  if (!(regex instanceof RegExp)) return regex.replaceAll(text, replace);
  regex.lastIndex = 0;
  return text.replace(regex, replace);
}

/** Strings a report repeats (hosts, states, collectors) are redacted once; longer ones are rarely repeated. */
const MEMO_MAX_LENGTH = 200;
const MEMO_MAX_ENTRIES = 10_000;

export function createRedactor(enabled: boolean, userPatterns: readonly RedactionPattern[] = []): Redactor {
  const patterns = [...BUILT_IN_PATTERNS, ...userPatterns];
  // Distinct secrets per pattern: the same token printed in two sections is one secret.
  const seen = new Map<string, Set<string>>();
  const memo = new Map<string, { readonly out: string; readonly matches: number }>();
  let matches = 0;
  const redact = (text: string): string => {
    let out = text;
    for (const pattern of patterns) {
      if (pattern.hint && !pattern.hint(out)) continue;
      out = replaceEvery(pattern.regex, out, (...args: unknown[]) => {
        const match = args[0] as string;
        // Do not count our own marker twice when patterns overlap.
        if (match.includes(REDACTED) && pattern.name !== 'private-key') return match;
        matches++;
        const set = seen.get(pattern.name) ?? new Set<string>();
        set.add(match);
        seen.set(pattern.name, set);
        const groups = args.slice(1).filter((g): g is string => typeof g === 'string');
        return pattern.replace(match, ...groups);
      });
    }
    return out;
  };
  return {
    apply(text) {
      if (!enabled || text === '') return text;
      if (text.length > MEMO_MAX_LENGTH) return redact(text);
      const known = memo.get(text);
      if (known) {
        matches += known.matches;
        return known.out;
      }
      const before = matches;
      const out = redact(text);
      if (memo.size >= MEMO_MAX_ENTRIES) memo.clear();
      memo.set(text, { out, matches: matches - before });
      return out;
    },
    summary: () => ({ applied: enabled, matches, byPattern: Object.fromEntries([...seen].map(([name, set]) => [name, set.size])) }),
  };
}
