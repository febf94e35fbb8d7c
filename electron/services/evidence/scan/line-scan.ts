import type { UserPattern } from '../../../../shared/user-pattern';
import { LineFilter, LineSplitter, type LineFilterOptions } from '../lines';
import { LiteralFinder } from './finder';
import { levelNeedles } from './levels';
import { requiredLiterals } from './literals';

// The lines a filter keeps, found in bytes. It yields exactly what LineSplitter +
// LineFilter.accept yield for the same chunks (the recorded artifact must not change), but
// for --grep it decodes and runs RE2 only on lines that hold one of the pattern's required
// literals: the complete lines inside a chunk are searched with Buffer.indexOf, and only
// the line around a hit is tested. The partial lines at a chunk's two ends go through the
// LineSplitter as before, so lines cut at MAX_LINE and at buffer boundaries come out the same.
// For --since, every line's time is read from its bytes (scan/window.ts), with no view or string
// made for lines that are dropped. For --level alone, lines are looked at only around the words
// that could keep one (levelLines).

export interface LineScanOptions extends LineFilterOptions {
  /** Its `source` and `ignoreCase` give the literals to look for. */
  readonly grep?: UserPattern;
}

export class LineScanner {
  private readonly splitter = new LineSplitter();
  private readonly filter: LineFilter;
  private readonly finder: LiteralFinder | null;
  /** A literal hit is a match: the pattern is nothing but those literals. */
  private readonly complete: boolean;
  private readonly byTime: boolean;
  /** --level without --since/--until: the words a kept line must hold (scan/levels.ts levelNeedles). */
  private readonly levelFinder: LiteralFinder | null;

  constructor(options: LineScanOptions) {
    this.filter = new LineFilter(options);
    const timed = options.since !== undefined || options.until !== undefined;
    const required = !timed && options.level === undefined && options.grep ? requiredLiterals(options.grep.source, { ignoreCase: options.grep.ignoreCase }) : null;
    this.finder = required ? new LiteralFinder(required) : null;
    this.complete = required?.complete === true;
    const needles = !timed && options.level !== undefined ? levelNeedles(options.level) : null;
    this.levelFinder = needles ? new LiteralFinder({ literals: needles, ignoreCase: false, complete: false }) : null;
    // --since and --level: every line's time or level may matter (its own, or the one above it).
    this.byTime = timed || options.level !== undefined;
  }

  /** Whether every line is visited with its own newline search (--since/--until): no literal or level word to jump to. */
  get visitsEveryLine(): boolean {
    return this.byTime && !this.finder && !this.levelFinder;
  }

  /** Whether the byte prefilter is in use (the pattern has required literals). */
  get prefiltered(): boolean {
    return this.finder !== null;
  }

  /** Kept lines in this chunk; they may be views into `chunk` (copy them to keep them). */
  *push(chunk: Buffer): Generator<Buffer> {
    const first = this.finder || this.byTime ? chunk.indexOf(10) : -1;
    if (first === -1) {
      for (const line of this.splitter.push(chunk)) if (this.acceptSplit(line)) yield line;
      return;
    }
    const last = chunk.lastIndexOf(10);
    for (const line of this.splitter.push(chunk.subarray(0, first + 1))) if (this.acceptSplit(line)) yield line;
    // Complete lines [first+1, last+1) need no splitter: nothing of them is carried over.
    const end = last + 1;
    if (this.finder) yield* this.literalLines(this.finder, chunk, first + 1, end);
    else if (this.levelFinder) yield* this.levelLines(this.levelFinder, chunk, first + 1, end);
    else {
      // --since: every line's time may matter (its timestamp or the one above it), read from bytes;
      // runs of lines in a second the window drops whole are passed over in one loop.
      for (let at = first + 1; at < end; ) {
        at = this.filter.skipDropped(chunk, at, end);
        if (at >= end) break;
        const stop = chunk.indexOf(10, at) + 1;
        if (this.filter.acceptAt(chunk, at, stop)) yield chunk.subarray(at, stop);
        at = stop;
      }
    }
    for (const line of this.splitter.push(chunk.subarray(end))) if (this.acceptSplit(line)) yield line;
  }

  /**
   * A line the splitter put together (across reads, or cut at MAX_LINE). With --grep alone the
   * filter keeps no state, so a line without one of the pattern's literals is dropped unread: a
   * megabyte-long line (a hole of NULs that log rotation left) is not decoded for RE2.
   */
  private acceptSplit(line: Buffer): boolean {
    if (this.finder && this.finder.find(line, 0) === -1) return false;
    return this.filter.accept(line);
  }

  /** --grep alone: only the lines around a literal are looked at. */
  private *literalLines(finder: LiteralFinder, chunk: Buffer, from: number, end: number): Generator<Buffer> {
    let at = from;
    while (at < end) {
      const hit = finder.find(chunk, at);
      if (hit === -1 || hit >= end) break;
      const start = chunk.lastIndexOf(10, hit - 1) + 1;
      const stop = chunk.indexOf(10, hit) + 1;
      const lineStart = Math.max(start, at);
      if (this.complete || this.filter.acceptAt(chunk, lineStart, stop)) yield chunk.subarray(lineStart, stop);
      at = stop;
    }
  }

  /**
   * --level alone. While the level above drops lines, a line can only change that by holding
   * one of the needles (a kept word, or a JSON "level"), so the lines before the next needle
   * are dropped unread; from a kept line on, every line is read until one has a level that drops.
   */
  private *levelLines(finder: LiteralFinder, chunk: Buffer, from: number, end: number): Generator<Buffer> {
    let at = from;
    while (at < end) {
      let stop = chunk.indexOf(10, at) + 1;
      if (!this.filter.keepingByLevel) {
        const hit = finder.find(chunk, at);
        if (hit === -1 || hit >= end) return;
        if (hit >= stop) {
          at = chunk.lastIndexOf(10, hit - 1) + 1;
          stop = chunk.indexOf(10, hit) + 1;
        }
      }
      if (this.filter.acceptAt(chunk, at, stop)) yield chunk.subarray(at, stop);
      at = stop;
    }
  }

  *flush(): Generator<Buffer> {
    for (const line of this.splitter.flush()) if (this.acceptSplit(line)) yield line;
  }
}
