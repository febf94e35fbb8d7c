// Literals every match of a user pattern must contain, so a scan can look for them in raw
// bytes (Buffer.indexOf) and run the full RE2 pattern only on the lines that hold one, as
// GNU grep and ripgrep do. re2js does not export its parser, so this walks RE2's syntax
// itself, and it is conservative: anything it does not fully understand (\Q…\E, an unknown
// group form) gives no prefilter, never a wrong one. The prefilter may let through lines
// that do not match (RE2 decides those); it must never drop one that does.

/** The alternatives, at least one of which every matching line contains (as UTF-8 bytes). */
export interface RequiredLiterals {
  readonly literals: readonly string[];
  /** Compare ASCII letters without case (the pattern or a group in it ignores case). */
  readonly ignoreCase: boolean;
  /**
   * The pattern matches exactly these strings (an alternation of plain literals): a line
   * holding one matches, so RE2 need not confirm it. Never set for literals with control
   * characters (a line's ending is not part of its text).
   */
  readonly complete: boolean;
}

interface Info {
  /** Every string the node can match, when that set is small and finite. */
  readonly exact: ReadonlySet<string> | null;
  /** Strings one of which every match of the node contains; null when unknown. */
  readonly req: readonly string[] | null;
}

const MAX_SET = 64;
const UNKNOWN: Info = { exact: null, req: null };

class Bail extends Error {}

/** Required literals of `source`, or null when there is no safe prefilter. */
export function requiredLiterals(source: string, options: { ignoreCase?: boolean } = {}): RequiredLiterals | null {
  // Any `i` flag anywhere turns on case folding for the whole prefilter: folding only ever
  // widens what the prefilter accepts, so over-applying it is safe.
  const ignoreCase = options.ignoreCase === true || /\(\?[a-zA-Z]*i/.test(source);
  let info: Info;
  try {
    const parser = new Parser(Array.from(source), ignoreCase);
    info = parser.alternation();
    if (!parser.done()) return null;
  } catch (error) {
    if (error instanceof Bail) return null;
    throw error;
  }
  const set = info.exact ? [...info.exact] : info.req;
  if (!set || set.length === 0 || set.some((s) => s.length === 0)) return null;
  // Flag groups ((?-i:…) inside an ignore-case pattern) would make a folded hit wrong: no shortcut with any.
  const complete = info.exact !== null && !source.includes('(?') && set.every((s) => !/[\x00-\x1f]/.test(s));
  return { literals: [...new Set(set)], ignoreCase, complete };
}

/** Literal characters that may stand for themselves in bytes (see `breaks`). */
function literalChar(ch: string, ignoreCase: boolean): Info {
  return breaks(ch, ignoreCase) ? UNKNOWN : { exact: new Set([ch]), req: null };
}

/**
 * Characters a byte search cannot vouch for: a newline never is inside a line's text;
 * U+FFFD is what invalid bytes decode to; without case, `k` and `s` also match the Kelvin
 * sign and the long s, and non-ASCII letters fold in ways a byte compare does not follow.
 */
function breaks(ch: string, ignoreCase: boolean): boolean {
  if (ch === '\n' || ch === '\uFFFD') return true;
  if (!ignoreCase) return false;
  return ch.charCodeAt(0) > 0x7f || /[ks]/i.test(ch);
}

function score(set: readonly string[] | null): number {
  if (!set || set.length === 0 || set.some((s) => s.length === 0)) return -1;
  // The shortest alternative limits selectivity; more alternatives cost more searches.
  return Math.min(...set.map((s) => s.length)) * 100 - set.length;
}

function cross(a: ReadonlySet<string>, b: ReadonlySet<string>): Set<string> | null {
  if (a.size * b.size > MAX_SET) return null;
  const out = new Set<string>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out;
}

function concat(items: readonly Info[]): Info {
  let run: ReadonlySet<string> = new Set(['']);
  let allExact = true;
  let best: readonly string[] | null = null;
  const consider = (set: readonly string[] | null): void => {
    if (score(set) > score(best)) best = set;
  };
  for (const item of items) {
    if (item.exact) {
      const joined = cross(run, item.exact);
      if (joined) run = joined;
      else {
        allExact = false;
        consider([...run]);
        run = item.exact;
      }
    } else {
      allExact = false;
      consider([...run]);
      consider(item.req);
      run = new Set(['']);
    }
  }
  consider([...run]);
  return { exact: allExact ? run : null, req: best };
}

function alternate(branches: readonly Info[]): Info {
  if (branches.length === 1) return branches[0]!;
  let exact: Set<string> | null = new Set();
  for (const b of branches) {
    if (!b.exact || !exact) exact = null;
    else for (const s of b.exact) exact.add(s);
  }
  if (exact && exact.size > MAX_SET) exact = null;
  const req: string[] = [];
  for (const b of branches) {
    const r = b.exact ? [...b.exact] : b.req;
    if (score(r) < 0) return { exact, req: null };
    req.push(...r!);
  }
  return { exact, req: req.length > MAX_SET ? null : req };
}

class Parser {
  private i = 0;
  constructor(
    private readonly s: readonly string[],
    private readonly ignoreCase: boolean,
  ) {}

  done(): boolean {
    return this.i >= this.s.length;
  }

  private peek(offset = 0): string | undefined {
    return this.s[this.i + offset];
  }

  alternation(): Info {
    const branches = [this.sequence()];
    while (this.peek() === '|') {
      this.i++;
      branches.push(this.sequence());
    }
    return alternate(branches);
  }

  private sequence(): Info {
    const items: Info[] = [];
    for (;;) {
      const c = this.peek();
      if (c === undefined || c === '|' || c === ')') break;
      let atom = this.atom();
      atom = this.quantified(atom);
      items.push(atom);
    }
    return concat(items);
  }

  /** Applies any quantifiers after an atom: optional ones make it unknown, `+`/`{n,}` keep what it requires. */
  private quantified(atom: Info): Info {
    for (;;) {
      const c = this.peek();
      let min: number | undefined;
      if (c === '*' || c === '?') min = 0;
      else if (c === '+') min = 1;
      else if (c === '{') {
        const rest = this.s.slice(this.i, this.i + 24).join('');
        const m = /^\{(\d+)(,\d*)?\}/.exec(rest);
        if (!m) return atom; // a literal '{' follows; the sequence loop reads it
        min = Number(m[1]);
        this.i += m[0].length - 1;
      } else return atom;
      this.i++;
      if (this.peek() === '?') this.i++; // non-greedy: same language
      const required = atom.exact ? [...atom.exact] : atom.req;
      atom = min === 0 ? UNKNOWN : { exact: null, req: score(required) >= 0 ? required : null };
    }
  }

  private atom(): Info {
    const c = this.s[this.i++]!;
    switch (c) {
      case '(':
        return this.group();
      case '[':
        this.skipClass();
        return UNKNOWN;
      case '.':
      case '^':
      case '$':
        return UNKNOWN;
      case '\\':
        return this.escape();
      default:
        return literalChar(c, this.ignoreCase);
    }
  }

  private group(): Info {
    if (this.peek() === '?') {
      this.i++;
      const c = this.peek();
      if (c === 'P' || c === '<') {
        if (c === 'P') this.i++;
        if (this.peek() !== '<') throw new Bail();
        while (this.i < this.s.length && this.s[this.i] !== '>') this.i++;
        this.i++;
      } else {
        // Flags: (?i) (?-s) (?i:…). Case folding was decided for the whole pattern up front.
        while (this.i < this.s.length && /[a-zA-Z-]/.test(this.s[this.i]!)) this.i++;
        const end = this.s[this.i++];
        if (end === ')') return UNKNOWN; // matches the empty string: breaks a literal run, which is safe
        if (end !== ':') throw new Bail();
      }
    }
    const inner = this.alternation();
    if (this.s[this.i++] !== ')') throw new Bail();
    return inner;
  }

  private skipClass(): void {
    if (this.peek() === '^') this.i++;
    if (this.peek() === ']') this.i++; // a leading ']' is literal
    while (this.i < this.s.length) {
      const c = this.s[this.i++]!;
      if (c === ']') return;
      if (c === '\\') this.i++;
      else if (c === '[' && this.peek() === ':') {
        const close = this.s.indexOf(']', this.i);
        if (close === -1) throw new Bail();
        this.i = close + 1;
      }
    }
    throw new Bail();
  }

  private escape(): Info {
    const c = this.s[this.i++];
    if (c === undefined) throw new Bail();
    // An escaped punctuation character stands for itself.
    if (!/[0-9A-Za-z]/.test(c)) return literalChar(c, this.ignoreCase);
    switch (c) {
      case 'Q':
        throw new Bail();
      case 'p':
      case 'P':
        if (this.peek() === '{') this.skipTo('}');
        else this.i++;
        return UNKNOWN;
      case 'x':
        if (this.peek() === '{') this.skipTo('}');
        else this.i += 2;
        return UNKNOWN;
      default:
        if (/[0-7]/.test(c)) while (/[0-7]/.test(this.peek() ?? '')) this.i++;
        return UNKNOWN;
    }
  }

  private skipTo(end: string): void {
    const at = this.s.indexOf(end, this.i);
    if (at === -1) throw new Bail();
    this.i = at + 1;
  }
}
