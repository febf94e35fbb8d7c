import { RE2JS } from 're2js';

// Patterns typed by users (collect --grep, report redaction patterns, evidence search) run on
// RE2 (the re2js port): matching time grows linearly with the text, so `(a+)+$` cannot hold
// the process for a minute and starve cancel and every other request. RE2 lacks
// backreferences and lookarounds; those get a clear error instead of a slow match.

export class UserPatternError extends SyntaxError {
  constructor(message: string) {
    super(message);
    this.name = 'UserPatternError';
  }
}

/** A compiled user pattern: `test` is linear-time; `source` is what the user typed. */
export interface UserPattern {
  readonly source: string;
  readonly ignoreCase: boolean;
  test(text: string): boolean;
  /** Every match replaced by what `replace` returns for it (match, then its groups). */
  replaceAll(text: string, replace: (match: string, ...groups: string[]) => string): string;
}

function explain(source: string, error: unknown): string {
  const detail = error instanceof Error ? error.message.replace(/^error parsing regexp: /, '') : String(error);
  if (/\\[1-9]/.test(source) && /escape/.test(detail)) return `${JSON.stringify(source)}: backreferences (\\1…) are not supported; Firebreak runs patterns with RE2 so that no pattern can freeze it`;
  if (/\(\?<?[=!]/.test(source)) return `${JSON.stringify(source)}: lookahead and lookbehind ((?=…), (?!…), (?<=…)) are not supported; Firebreak runs patterns with RE2 so that no pattern can freeze it`;
  return `${JSON.stringify(source)} is not a valid regular expression: ${detail}`;
}

export function compileUserPattern(source: string, options: { ignoreCase?: boolean } = {}): UserPattern {
  let re: RE2JS;
  try {
    re = RE2JS.compile(source, options.ignoreCase ? RE2JS.CASE_INSENSITIVE : 0);
  } catch (error) {
    throw new UserPatternError(explain(source, error));
  }
  return {
    source,
    ignoreCase: options.ignoreCase === true,
    test: (text) => re.test(text),
    replaceAll: (text, replace) =>
      re.matcher(text).replaceAll((...args: unknown[]) => {
        // re2js passes (match, ...groups, index, input) like String.prototype.replace.
        const groups = args.slice(1, 1 + re.groupCount()).map((g) => (typeof g === 'string' ? g : ''));
        return replace(args[0] as string, ...groups);
      }),
  };
}

/** Why the pattern cannot be used, or undefined when it can (for schema validation). */
export function userPatternProblem(source: string): string | undefined {
  try {
    compileUserPattern(source);
    return undefined;
  } catch (error) {
    return (error as Error).message;
  }
}
