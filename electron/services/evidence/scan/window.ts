import { jsonStringAfter } from './levels';
import { PREFIX_BYTES, PrefixKey } from './prefix-key';

/** A module constant: an imported binding is a property load at every use where modules are not bundled (tsx, vitest). */
const PREFIX = PREFIX_BYTES;

// Whether a log line's time falls in a --since/--until window, read from its bytes at the
// cost of a byte comparison for almost every line (issue 20).
//
// Why not bisect: a log written in time order could be cut at the window's start by a
// binary search on byte offsets, but one line out of order (a late write, a clock step, two
// interleaved writers) would then be dropped or kept wrongly, and the recorded artifact must
// be exactly what reading every line records. So every line is still looked at, but what is
// looked at is cheap: the common form, `2026-11-23T10:00:00.123Z` at the line's start (or as
// a JSON line's "timestamp"), is compared byte for byte with the last such second seen. A
// second wholly inside or outside the window decides every line in it without parsing; only
// a new second is parsed (once), and only a line in the bound's own second reads its
// milliseconds. Any other shape (another zone, local time, syslog, brackets, hour 24,
// a space before the zone) goes to LineTimes, which is exact for all of them. Lines with no
// time (stack traces, wrapped messages) say nothing and go with the line above, as before.

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const TIMESTAMP_KEY = Buffer.from('"timestamp"');

/** LineTimes (lines.ts), passed in: lines.ts builds its filter on this module. */
export interface LineTimeReader {
  at(buffer: Buffer, start: number, end: number): number | undefined;
}

/** Returned by the fast path when the line is not in the common form. */
const SLOW = 2;
/** A cached second straddles a bound: its lines read their milliseconds. */
const STRADDLES = -1;

export class TimeWindow {
  /** The 19 bytes `YYYY-MM-DDTHH:MM:SS` of the last common-form second, and what it decides. */
  private readonly key = Buffer.alloc(19);
  /** The same 19 bytes as words, held only while they are a second that parsed. */
  private readonly prefix = new PrefixKey();
  private base = 0;
  /** Date.parse of the cached key's minute (its bytes are the key's first 16), null when it did not parse. */
  private minuteBase: number | null = null;
  /** 1 every line of the second is in the window, 0 none is, STRADDLES: depends on its ms. */
  private verdict = 0;
  /** Next `"timestamp"` in `keyBuffer` at or after `keySearchedFrom` (-1: none), so each chunk is searched once. */
  private keyBuffer: Buffer | null = null;
  private keySearchedFrom = 0;
  private keyNext = -1;

  constructor(
    private readonly since: number | undefined,
    private readonly until: number | undefined,
    private readonly times: LineTimeReader,
  ) {}

  /**
   * Skips the lines from `at` that the cached second drops whole: each starts with its 19
   * bytes, in the common form (`.fraction` of at most nine digits, then `Z`), and the second
   * lies wholly outside the window, so keep() would say false for each. Returns the start of
   * the first line not skipped. [at, end) holds complete lines. This is the loop most of a
   * big log goes through for --since: a newline search and five word compares per line.
   */
  skipOut(buffer: Buffer, at: number, end: number): number {
    const key = this.prefix;
    if (!key.held || this.verdict !== 0) return at;
    const v = key.view(buffer);
    // 24 bytes: the key, `.`, three digits and `Z` can be read as words without passing `end`.
    while (at + 24 <= end) {
      if (!key.matches(buffer, at)) break;
      let q = at + PREFIX;
      // `.123Z` (what toISOString writes) as one word: a dot, three bytes 0x30–0x39, then Z.
      const w = v.getUint32(q, true);
      if ((w & 0xf0f0f0ff) === 0x3030302e && ((((w >>> 8) & 0x0f0f0f) + 0x060606) & 0x101010) === 0 && buffer[q + 4] === 0x5a) q += 4;
      else {
        const sep = buffer[q];
        if (sep === 0x2e || sep === 0x2c) {
          q++;
          const stop = q + 9;
          while (q < stop && isDigit(buffer[q])) q++;
          if (q === at + 20) break;
        }
        if (buffer[q] !== 0x5a) break;
      }
      const nl = buffer.indexOf(10, q);
      if (nl === -1 || nl >= end) break;
      at = nl + 1;
    }
    return at;
  }

  /** true/false: the line's time is in/out of the window; undefined: the line has no time. */
  keep(buffer: Buffer, start: number, end: number): boolean | undefined {
    const first = buffer[start];
    if (first === undefined || start >= end) return undefined;
    if (isDigit(first)) {
      const fast = this.common(buffer, start, end);
      if (fast !== SLOW) return fast === 1;
    } else if (first === 0x7b) return this.json(buffer, start, end);
    else if (first !== 0x5b && !(first >= 0x41 && first <= 0x5a)) return undefined; // neither ISO, `[` nor syslog
    return this.slow(buffer, start, end);
  }

  private inWindow(t: number): boolean {
    return (this.since === undefined || t >= this.since) && (this.until === undefined || t <= this.until);
  }

  private slow(buffer: Buffer, start: number, end: number): boolean | undefined {
    const t = this.times.at(buffer, start, end);
    return t === undefined ? undefined : this.inWindow(t);
  }

  /** 1 in, 0 out, SLOW: not `YYYY-MM-DD[T ]HH:MM:SS[.fraction]Z` (LineTimes decides). */
  private common(buffer: Buffer, p: number, end: number): number {
    if (p + 20 > end) return SLOW;
    if (!this.prefix.matches(buffer, p) && !this.rekey(buffer, p)) return SLOW;
    let q = p + 19;
    let ms = 0;
    const sep = buffer[q];
    if (sep === 0x2e || sep === 0x2c) {
      q++;
      let digits = 0;
      while (digits < 9 && q < end && isDigit(buffer[q])) {
        if (digits < 3) ms += (buffer[q]! - 0x30) * (digits === 0 ? 100 : digits === 1 ? 10 : 1);
        digits++;
        q++;
      }
      // `.Z` or a tenth digit: the ISO pattern reads no zone there (local time); LineTimes knows.
      if (digits === 0) return SLOW;
    }
    if (q >= end || buffer[q] !== 0x5a) return SLOW;
    if (this.verdict !== STRADDLES) return this.verdict;
    return this.inWindow(this.base + ms) ? 1 : 0;
  }

  /** Caches a new second when its 19 bytes are an ISO date and time that parses (not hour 24). */
  private rekey(buffer: Buffer, p: number): boolean {
    this.prefix.held = false;
    for (let i = 0; i < 19; i++) {
      const b = buffer[p + i]!;
      const ok = i === 4 || i === 7 ? b === 0x2d : i === 10 ? b === 0x54 || b === 0x20 : i === 13 || i === 16 ? b === 0x3a : isDigit(b);
      if (!ok) return false;
    }
    if (buffer[p + 11] === 0x32 && buffer[p + 12] === 0x34) return false;
    const k = this.key;
    // The next second of the same minute (the usual step in a log) needs no Date.parse: the
    // minute's start was parsed when it was first seen, and seconds 00–59 only add to it.
    const seconds = (buffer[p + 17]! - 0x30) * 10 + (buffer[p + 18]! - 0x30);
    const sameMinute = this.minuteBase !== null && seconds < 60 && buffer.compare(k, 0, 16, p, p + 16) === 0;
    buffer.copy(k, 0, p, p + PREFIX);
    let base: number;
    if (sameMinute) base = this.minuteBase! + seconds * 1000;
    else {
      // What parseLineTime makes of these 19 bytes with a `Z` (NaN for a 30 February).
      base = Date.parse(`${k.toString('latin1', 0, 10)}T${k.toString('latin1', 11, 19)}.000Z`);
      const minute = Date.parse(`${k.toString('latin1', 0, 10)}T${k.toString('latin1', 11, 16)}:00.000Z`);
      this.minuteBase = Number.isNaN(base) || Number.isNaN(minute) ? null : minute;
    }
    if (Number.isNaN(base)) return false;
    this.base = base;
    const { since, until } = this;
    const allIn = (since === undefined || base >= since) && (until === undefined || base + 999 <= until);
    const allOut = (since !== undefined && base + 999 < since) || (until !== undefined && base > until);
    this.verdict = allIn ? 1 : allOut ? 0 : STRADDLES;
    this.prefix.take(buffer, p);
    return true;
  }

  /** A JSON line's first `"timestamp"` string, as LineTimes reads it. */
  private json(buffer: Buffer, start: number, end: number): boolean | undefined {
    if (buffer !== this.keyBuffer || this.keySearchedFrom > start || (this.keyNext !== -1 && this.keyNext < start)) {
      this.keyBuffer = buffer;
      this.keySearchedFrom = start;
      this.keyNext = buffer.indexOf(TIMESTAMP_KEY, start);
    }
    const at = this.keyNext;
    if (at === -1 || at + TIMESTAMP_KEY.length > end) return undefined;
    const value = jsonStringAfter(buffer, at + TIMESTAMP_KEY.length, end);
    if (!value || buffer[value[0]] === 0x7b) return undefined;
    if (isDigit(buffer[value[0]])) {
      const fast = this.common(buffer, value[0], value[1]);
      if (fast !== SLOW) return fast === 1;
    }
    return this.slow(buffer, value[0], value[1]);
  }
}
