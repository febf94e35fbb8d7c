import { fsRead } from './cas';
import { jsonStringAfter, LineLevels } from './scan/levels';
import { TimeWindow } from './scan/window';

// Line-level helpers for derived log artifacts: splitting without decoding whole files,
// parsing the timestamp a log line starts with, and finding where the last N lines begin.

/** Longer "lines" are cut here so a file without newlines cannot grow memory without bound. */
export const MAX_LINE = 1 << 20;

/** Splits a byte stream into lines (each keeps its `\n`), working on Buffers, never on the whole file. */
export class LineSplitter {
  private parts: Buffer[] = [];
  private partLength = 0;

  *push(chunk: Buffer): Generator<Buffer> {
    let start = 0;
    while (start < chunk.length) {
      const nl = chunk.indexOf(10, start);
      const end = nl === -1 ? chunk.length : nl + 1;
      const piece = chunk.subarray(start, end);
      start = end;
      if (nl === -1) {
        // Copy: the caller reuses its chunk buffers.
        this.parts.push(Buffer.from(piece));
        this.partLength += piece.length;
        if (this.partLength >= MAX_LINE) yield this.take();
        continue;
      }
      if (this.parts.length === 0) yield piece;
      else {
        this.parts.push(piece);
        yield this.take();
      }
    }
  }

  *flush(): Generator<Buffer> {
    if (this.partLength > 0) yield this.take();
  }

  private take(): Buffer {
    // One part is always a copy already (a piece without its newline): no second copy.
    const line = this.parts.length === 1 ? this.parts[0]! : Buffer.concat(this.parts);
    this.parts = [];
    this.partLength = 0;
    return line;
  }
}

/** A NUL byte in the first 8 KiB: the same rule git and grep use. */
export function looksBinary(head: Buffer): boolean {
  return head.subarray(0, 8192).includes(0);
}

const MONTHS: Record<string, number> = { jan: 0, feb: 1, mar: 2, apr: 3, may: 4, jun: 5, jul: 6, aug: 7, sep: 8, oct: 9, nov: 10, dec: 11 };
const ISO = /^\[?(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9}))?\s?(Z|[+-]\d{2}:?\d{2})?/;
const SYSLOG = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2})/;

/**
 * The time a log line starts with, in ms, or undefined. Understands ISO 8601 / RFC 3339
 * (`2026-01-01T10:00:00Z`, `2026-01-01 10:00:00,123`, optionally in `[...]`) and syslog's
 * `Nov 23 09:39:42`, which has no year: it is taken from `now`, or the year before when that
 * would put the line more than a day in the future. Times without a zone are local time,
 * as the writing program meant them.
 */
export function parseLineTime(line: string, now: number): number | undefined {
  const iso = ISO.exec(line);
  if (iso) {
    const [, y, mo, d, h, mi, s, frac, zone] = iso;
    const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
    if (zone) {
      const z = zone === 'Z' ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone;
      const t = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${String(ms).padStart(3, '0')}${z}`);
      return Number.isNaN(t) ? undefined : t;
    }
    const t = new Date(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms).getTime();
    return Number.isNaN(t) ? undefined : t;
  }
  const sys = SYSLOG.exec(line);
  if (sys) {
    const month = MONTHS[sys[1]!.toLowerCase()];
    if (month === undefined) return undefined;
    const year = new Date(now).getFullYear();
    const at = (y: number) => new Date(y, month, Number(sys[2]), Number(sys[3]), Number(sys[4]), Number(sys[5])).getTime();
    const t = at(year);
    return t > now + 86_400_000 ? at(year - 1) : t;
  }
  return undefined;
}

export interface LineFilterOptions {
  /** A user's pattern (shared/user-pattern.ts, linear time). */
  readonly grep?: { test(text: string): boolean };
  readonly since?: number;
  /** The window's end (inclusive); lines after it are dropped, with the lines that go with them. */
  readonly until?: number;
  /** The rank of `--level` (scan/levels.ts levelRank): lines of that rank or more severe are kept. */
  readonly level?: number;
  readonly now: number;
}

/**
 * Keeps lines that match `grep` and are not older than `since`. A line without a parsable
 * timestamp (a stack trace, a wrapped message) shares the fate of the line above it; lines
 * before the first timestamp are kept, since nothing says they are old.
 */
export class LineFilter {
  private keepByTime = true;
  /** Lines before the first one with a level are dropped: nothing says they are severe. */
  private keepByLevel = false;
  private readonly window: TimeWindow | null;
  private readonly levels: LineLevels | null;
  constructor(private readonly options: LineFilterOptions) {
    this.window = options.since === undefined && options.until === undefined ? null : new TimeWindow(options.since, options.until, new LineTimes(options.now));
    this.levels = options.level === undefined ? null : new LineLevels(options.level);
  }

  accept(line: Buffer): boolean {
    return this.acceptAt(line, 0, line.length);
  }

  /**
   * --since/--until without --level: skips the lines from `at` (complete lines up to `end`)
   * that the window drops without reading more than a cached second (TimeWindow.skipOut), as
   * acceptAt would drop them; returns where it stopped.
   */
  skipDropped(buffer: Buffer, at: number, end: number): number {
    if (!this.window || this.levels) return at;
    const next = this.window.skipOut(buffer, at, end);
    if (next > at) this.keepByTime = false;
    return next;
  }

  /** Whether a line with no level of its own is kept by --level now (it goes with the line above). */
  get keepingByLevel(): boolean {
    return this.keepByLevel;
  }

  /** `accept` for the line at [start, end) of `buffer`, without making a view of it. */
  acceptAt(buffer: Buffer, start: number, end: number): boolean {
    if (this.window) {
      const keep = this.window.keep(buffer, start, end);
      if (keep !== undefined) this.keepByTime = keep;
    }
    if (this.levels) {
      // Read even for lines dropped by time: the lines below inherit this line's level.
      const keep = this.levels.decide(buffer, start, end);
      if (keep !== undefined) this.keepByLevel = keep;
    }
    if (!this.keepByTime || (this.levels && !this.keepByLevel)) return false;
    const grep = this.options.grep;
    if (grep) {
      // As grep does: the pattern sees the line without its ending, so `$` anchors at line end.
      return grep.test(buffer.toString('utf8', start, end).replace(/\r?\n$/, ''));
    }
    return true;
  }
}

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
/** What `\s` matches among ASCII bytes. */
const isSpace = (b: number | undefined): boolean => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);
/** parseLineTime looks at no more than this many bytes of a line (`[`, 19, `.` + 9, a space of ≤ 3 bytes, 6). */
const TIME_HEAD = 64;
const TIMESTAMP_KEY = Buffer.from('"timestamp"');

/**
 * `parseLineTime` of a line's decoded text, read from its bytes: big logs have millions of
 * lines, and most share their second with the line above. ISO lines are read byte by byte
 * and only a new second (or zone) is handed to parseLineTime; anything unusual (syslog, a
 * non-ASCII byte where a space may be, hour 24) goes to parseLineTime with the line's
 * first 64 bytes, which is all its patterns can reach. The answer is the same either way.
 */
export class LineTimes {
  private readonly key = Buffer.alloc(32);
  private keyLength = -1;
  private base: number | undefined;
  constructor(private readonly now: number) {}

  at(buffer: Buffer, start: number, end: number): number | undefined {
    const first = buffer[start];
    if (first === undefined || start >= end) return undefined;
    // A JSON line (winston, seed 003): its top-level "timestamp" string, read the same way.
    if (first === 0x7b) return this.json(buffer, start, end);
    const iso = first === 0x5b || isDigit(first);
    // Neither ISO (`[` or a digit) nor syslog (a capital letter) can start here.
    if (!iso && !(first >= 0x41 && first <= 0x5a)) return undefined;
    if (!iso) return this.slow(buffer, start, end);
    const p = first === 0x5b ? start + 1 : start;
    if (p + 19 > end) return first === 0x5b || isDigit(first) ? this.slow(buffer, start, end) : undefined;
    // The same 19 bytes as the cached second were checked when it was cached.
    const sameSecond = this.sameSecond(buffer, p);
    if (!sameSecond) {
      for (let i = 0; i < 19; i++) {
        const b = buffer[p + i]!;
        const ok = i === 4 || i === 7 ? b === 0x2d : i === 10 ? b === 0x54 || b === 0x20 : i === 13 || i === 16 ? b === 0x3a : isDigit(b);
        if (!ok) return undefined; // not ISO; a line starting with `[` or a digit is not syslog either
      }
    }
    let q = p + 19;
    let ms = 0;
    if ((buffer[q] === 0x2e || buffer[q] === 0x2c) && q + 1 < end && isDigit(buffer[q + 1])) {
      let digits = 0;
      q++;
      while (digits < 9 && q < end && isDigit(buffer[q])) {
        if (digits < 3) ms += (buffer[q]! - 0x30) * (digits === 0 ? 100 : digits === 1 ? 10 : 1);
        digits++;
        q++;
      }
    }
    if (q < end && buffer[q]! >= 0x80) return this.slow(buffer, start, end); // maybe a non-ASCII \s
    if (q < end && isSpace(buffer[q])) q++;
    let zoneEnd = q;
    if (q < end && buffer[q] === 0x5a) zoneEnd = q + 1;
    else if (q < end && (buffer[q] === 0x2b || buffer[q] === 0x2d) && isDigit(buffer[q + 1]) && isDigit(buffer[q + 2]) && q + 2 < end) {
      if (buffer[q + 3] === 0x3a && q + 5 < end && isDigit(buffer[q + 4]) && isDigit(buffer[q + 5])) zoneEnd = q + 6;
      else if (q + 4 < end && isDigit(buffer[q + 3]) && isDigit(buffer[q + 4])) zoneEnd = q + 5;
    }
    // Hour 24 is valid only at .000 for Date.parse: leave it to parseLineTime.
    if (buffer[p + 11] === 0x32 && buffer[p + 12] === 0x34) return this.slow(buffer, start, end);
    const zoneLength = zoneEnd - q;
    const length = 19 + zoneLength;
    if (!(sameSecond && this.sameZone(buffer, q, zoneLength))) {
      buffer.copy(this.key, 0, p, p + 19);
      buffer.copy(this.key, 19, q, zoneEnd);
      this.keyLength = length;
      this.base = parseLineTime(this.key.toString('latin1', 0, length), this.now);
    }
    return this.base === undefined ? undefined : this.base + ms;
  }

  /**
   * The first `"timestamp":"…"` of a JSON line, read from bytes (no JSON.parse: winston writes
   * it at top level, and a nested or escaped one would need a parse per line to rule out).
   */
  private json(buffer: Buffer, start: number, end: number): number | undefined {
    // Searched in the line only: a chunk holds thousands of lines.
    const found = buffer.subarray(start, end).indexOf(TIMESTAMP_KEY);
    if (found === -1) return undefined;
    const at = start + found;
    const value = jsonStringAfter(buffer, at + TIMESTAMP_KEY.length, end);
    if (!value || buffer[value[0]] === 0x7b) return undefined;
    return this.at(buffer, value[0], value[1]);
  }

  private sameSecond(buffer: Buffer, p: number): boolean {
    if (this.keyLength < 0) return false;
    const key = this.key;
    // Seconds change most often: compare from the end.
    for (let i = 18; i >= 0; i--) if (key[i] !== buffer[p + i]) return false;
    return true;
  }

  private sameZone(buffer: Buffer, q: number, zoneLength: number): boolean {
    if (this.keyLength !== 19 + zoneLength) return false;
    for (let i = 0; i < zoneLength; i++) if (this.key[19 + i] !== buffer[q + i]) return false;
    return true;
  }

  private slow(buffer: Buffer, start: number, end: number): number | undefined {
    this.keyLength = -1;
    return parseLineTime(buffer.toString('utf8', start, Math.min(end, start + TIME_HEAD)), this.now);
  }
}

/** Keeps the last `n` lines seen, for tail combined with grep/since (memory: n lines). */
export class LineRing {
  private readonly lines: Buffer[] = [];
  constructor(private readonly n: number) {}
  push(line: Buffer): void {
    // Copy: lines may be views into reused read buffers.
    this.lines.push(Buffer.from(line));
    if (this.lines.length > this.n) this.lines.shift();
  }
  drain(): Buffer[] {
    return this.lines.splice(0);
  }
}

/**
 * Offset where the last `n` lines of the first `size` bytes start, reading backwards in
 * 64 KiB blocks: memory stays one block whatever the file size. A final newline does not
 * start an empty last line (as `tail -n` counts).
 */
export async function findTailOffset(fd: number, size: number, n: number): Promise<number> {
  if (n <= 0) return size;
  const block = Buffer.allocUnsafe(64 * 1024);
  let end = size;
  let count = 0;
  while (end > 0) {
    const start = Math.max(0, end - block.length);
    const length = end - start;
    let read = 0;
    while (read < length) {
      const got = await fsRead(fd, block.subarray(read), length - read, start + read);
      if (got === 0) break;
      read += got;
    }
    for (let i = read - 1; i >= 0; i--) {
      if (block[i] !== 10) continue;
      const absolute = start + i;
      if (absolute === size - 1) continue;
      if (++count === n) return absolute + 1;
    }
    end = start;
  }
  return 0;
}
