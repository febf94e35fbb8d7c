import { fsRead } from './cas';

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
    const line = Buffer.concat(this.parts);
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
  readonly now: number;
}

/**
 * Keeps lines that match `grep` and are not older than `since`. A line without a parsable
 * timestamp (a stack trace, a wrapped message) shares the fate of the line above it; lines
 * before the first timestamp are kept, since nothing says they are old.
 */
export class LineFilter {
  private keepByTime = true;
  constructor(private readonly options: LineFilterOptions) {}

  accept(line: Buffer): boolean {
    const { grep, since, now } = this.options;
    const text = grep || since !== undefined ? line.toString('utf8') : '';
    if (since !== undefined) {
      const t = parseLineTime(text, now);
      if (t !== undefined) this.keepByTime = t >= since;
      if (!this.keepByTime) return false;
    }
    if (grep) {
      // As grep does: the pattern sees the line without its ending, so `$` anchors at line end.
      return grep.test(text.replace(/\r?\n$/, ''));
    }
    return true;
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
