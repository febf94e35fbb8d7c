import { LOG_LEVELS, type LogLevel } from '../../../../shared/evidence';
import { PREFIX_BYTES, PrefixKey } from './prefix-key';

/** A module constant: an imported binding is a property load at every use where modules are not bundled (tsx, vitest). */
const PREFIX = PREFIX_BYTES;

// A log line's severity, read from its bytes (issue 20: `--level`). Two shapes:
// - JSON lines (winston, seed 003): the top-level `"level":"error"` field;
// - plain lines: the first ERROR / WARN / INFO / DEBUG (and kin) word in capitals.
// JSON lines are not parsed to be dropped: the `"level"` values are read from the bytes, and
// only a line one of them would keep is confirmed with JSON.parse (a nested or quoted
// `"level"` must not decide). Lower rank = more severe; `--level X` keeps rank <= X's rank.

const RANK: Readonly<Record<string, number>> = {
  emerg: 0,
  alert: 0,
  crit: 0,
  critical: 0,
  fatal: 0,
  error: 0,
  err: 0,
  warn: 1,
  warning: 1,
  notice: 2,
  info: 2,
  http: 3,
  verbose: 3,
  debug: 4,
  trace: 5,
  silly: 5,
};

/** The rank `--level NAME` keeps, and everything more severe. */
export function levelRank(level: LogLevel): number {
  const rank = RANK[level];
  if (rank === undefined) throw new Error(`level: not one of ${LOG_LEVELS.join(', ')}: ${String(level)}`);
  return rank;
}

/** Upper-case words that mark a plain line's level (syslog-style ERR is too common a word part to count). */
const PLAIN: Readonly<Record<string, number>> = {
  FATAL: 0,
  CRITICAL: 0,
  ERROR: 0,
  WARN: 1,
  WARNING: 1,
  INFO: 2,
  DEBUG: 4,
  TRACE: 5,
};
const PLAIN_MAX = 8;

/**
 * The byte strings one of which every line `decide` keeps must contain, for a scan that
 * looks at lines only around them (as --grep does with its literals): the plain words of a
 * kept rank (WARN stands for WARNING too) and the JSON `"level"` key. Null above `warn`:
 * most lines of a log are kept then, and visiting each costs less than searching.
 */
export function levelNeedles(keepRank: number): readonly string[] | null {
  if (keepRank > 1) return null;
  const words = Object.keys(PLAIN).filter((w) => PLAIN[w]! <= keepRank);
  return [...words.filter((w) => !words.some((o) => o !== w && w.includes(o))), '"level"'];
}

/**
 * `table[word]` for a word of ASCII letters at [p, q) of `buffer`, compared in bytes (a
 * string per line costs more than the rest of reading its level); ASCII letters folded to
 * lower case first when `fold` (non-ASCII never lower-cases to ASCII, so that is exact).
 */
class WordTable {
  /** By length: the words (as bytes) and their ranks. */
  private readonly words: Buffer[][] = [];
  private readonly ranks: number[][] = [];
  constructor(
    table: Readonly<Record<string, number>>,
    private readonly fold: boolean,
  ) {
    for (const [word, rank] of Object.entries(table)) {
      (this.words[word.length] ??= []).push(Buffer.from(word, 'latin1'));
      (this.ranks[word.length] ??= []).push(rank);
    }
  }

  rank(buffer: Buffer, p: number, q: number): number | undefined {
    const words = this.words[q - p];
    if (!words) return undefined;
    next: for (let w = 0; w < words.length; w++) {
      const word = words[w]!;
      for (let i = 0; i < word.length; i++) {
        let b = buffer[p + i]!;
        if (this.fold && b >= 0x41 && b <= 0x5a) b += 0x20;
        if (b !== word[i]) continue next;
      }
      return this.ranks[q - p]![w];
    }
    return undefined;
  }
}

const PLAIN_WORDS = new WordTable(PLAIN, false);
const PLAIN_ENTRIES: ReadonlyArray<readonly [Buffer, number]> = Object.entries(PLAIN).map(([word, rank]) => [Buffer.from(word, 'latin1'), rank]);
/** Longer lines look for their level word with Buffer.indexOf (plainLong). */
const LONG_LINE = 4096;
const JSON_WORDS = new WordTable(RANK, true);

const isUpper = (b: number | undefined): boolean => b !== undefined && b >= 0x41 && b <= 0x5a;
const isWordByte = (b: number | undefined): boolean =>
  b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x5f);
const isJsonSpace = (b: number | undefined): boolean => b === 0x20 || b === 0x09 || b === 0x0d || b === 0x0a;

/**
 * [start, end) of the JSON string value that follows the key ending at `at` (just past its
 * closing quote), or null when the value is not a plain string (escapes, a number, …).
 */
export function jsonStringAfter(buffer: Buffer, at: number, end: number): [number, number] | null {
  let p = at;
  while (p < end && isJsonSpace(buffer[p])) p++;
  if (buffer[p] !== 0x3a) return null;
  p++;
  while (p < end && isJsonSpace(buffer[p])) p++;
  if (buffer[p] !== 0x22) return null;
  const s = p + 1;
  for (let q = s; q < end && q - s < 64; q++) {
    const b = buffer[q];
    if (b === 0x22) return [s, q];
    if (b === 0x5c) return null;
  }
  return null;
}

const LEVEL_KEY = Buffer.from('"level"');

/** Whether the line at [start, end) is a JSON object (its first non-blank byte is `{`). */
export function isJsonLine(buffer: Buffer, start: number, end: number): boolean {
  let p = start;
  while (p < end && (buffer[p] === 0x20 || buffer[p] === 0x09)) p++;
  return buffer[p] === 0x7b;
}

export class LineLevels {
  constructor(private readonly keepRank: number) {}

  /**
   * true: the line has a level this filter keeps; false: a level it drops;
   * undefined: no level (a stack trace, a wrapped message: it goes with the line above).
   */
  decide(buffer: Buffer, start: number, end: number): boolean | undefined {
    return isJsonLine(buffer, start, end) ? this.json(buffer, start, end) : this.plain(buffer, start, end);
  }

  /** Next `"level"` in `keyBuffer` at or after `keySearchedFrom` (-1: none): each chunk is searched once, not once per line. */
  private keyBuffer: Buffer | null = null;
  private keySearchedFrom = 0;
  private keyNext = -1;

  private nextKey(buffer: Buffer, from: number): number {
    if (buffer !== this.keyBuffer || this.keySearchedFrom > from || (this.keyNext !== -1 && this.keyNext < from)) {
      this.keyBuffer = buffer;
      this.keySearchedFrom = from;
      this.keyNext = buffer.indexOf(LEVEL_KEY, from);
    }
    return this.keyNext;
  }

  private json(buffer: Buffer, start: number, end: number): boolean | undefined {
    let found = false;
    let candidate = false;
    for (let at = this.nextKey(buffer, start); at !== -1 && at + LEVEL_KEY.length <= end; at = this.nextKey(buffer, at + 1)) {
      const value = jsonStringAfter(buffer, at + LEVEL_KEY.length, end);
      if (!value) continue;
      found = true;
      const rank = JSON_WORDS.rank(buffer, value[0], value[1]);
      if (rank !== undefined && rank <= this.keepRank) {
        candidate = true;
        break;
      }
    }
    if (!found) return undefined;
    if (!candidate) return false;
    // Only a line that would be kept is parsed: the byte reading may have seen a nested key.
    let parsed: unknown;
    try {
      parsed = JSON.parse(buffer.toString('utf8', start, end));
    } catch {
      return true; // not valid JSON (cut at MAX_LINE, say): the bytes are all there is
    }
    const level = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>)['level'] : undefined;
    if (typeof level !== 'string') return undefined;
    const rank = RANK[level.toLowerCase()];
    return rank === undefined ? undefined : rank <= this.keepRank;
  }

  /**
   * The first PREFIX bytes of the last plain line whose prefix holds no upper-case word start
   * (a timestamp's second: `2026-11-23T10:00:00`), as five little-endian words. A line with
   * the same bytes there has none either, and its search for a level word starts after them.
   */
  private readonly prefix = new PrefixKey();

  private plain(buffer: Buffer, start: number, end: number): boolean | undefined {
    let from = start;
    if (end - start > PREFIX) {
      if (this.prefix.matches(buffer, start)) from = start + PREFIX;
      else {
        this.prefix.held = false;
        let wordStart = false;
        for (let p = start; p < start + PREFIX && !wordStart; p++) wordStart = isUpper(buffer[p]) && !(p > start && isWordByte(buffer[p - 1]));
        if (!wordStart) this.prefix.take(buffer, start);
      }
    }
    if (end - from > LONG_LINE) return this.plainLong(buffer, start, from, end);
    // From `start + PREFIX` only past a prefix without a word start: the loop would have passed it by.
    for (let p = from; p < end; p++) {
      const b = buffer[p]!;
      if (b < 0x41 || b > 0x5a || (p > start && isWordByte(buffer[p - 1]))) continue;
      let q = p + 1;
      while (q < end && q - p <= PLAIN_MAX && isUpper(buffer[q])) q++;
      if (q - p <= PLAIN_MAX && !isWordByte(buffer[q])) {
        const rank = PLAIN_WORDS.rank(buffer, p, q);
        if (rank !== undefined) return rank <= this.keepRank;
      }
      p = q;
    }
    return undefined;
  }

  /**
   * plain() for a long line (a hole of NULs that log rotation left reads as one line of
   * megabytes): each level word is looked for with Buffer.indexOf instead of visiting every
   * byte, and the first that stands as a word of its own decides, as the byte loop decides.
   */
  private plainLong(buffer: Buffer, start: number, from: number, end: number): boolean | undefined {
    const line = buffer.subarray(0, end);
    let first = -1;
    let rank: number | undefined;
    for (const [word, wordRank] of PLAIN_ENTRIES) {
      for (let p = line.indexOf(word, from); p !== -1 && (first === -1 || p < first); p = line.indexOf(word, p + 1)) {
        if ((p === start || !isWordByte(buffer[p - 1])) && !isWordByte(buffer[p + word.length])) {
          first = p;
          rank = wordRank;
          break;
        }
      }
    }
    return rank === undefined ? undefined : rank <= this.keepRank;
  }
}
