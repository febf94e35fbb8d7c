import type { UserPattern } from '../../../../shared/user-pattern';
import { LineSplitter } from '../lines';
import { LineLevels } from './levels';
import { LiteralFinder } from './finder';
import { requiredLiterals } from './literals';

// The evidence preview's search, on the same engine as collect --grep: the lines a pattern
// matches, with their 1-based number and byte offset, exactly as a LineSplitter walk that
// decodes and tests every line would number them (lines cut at MAX_LINE included). Lines
// without one of the pattern's required literals are only counted, never decoded.

export interface LineHit {
  /** 1-based line number. */
  readonly line: number;
  /** Byte offset of the line's start in the whole stream. */
  readonly offset: number;
  /** The line without its ending, decoded. */
  readonly text: string;
}

export class LineSearch {
  private readonly splitter = new LineSplitter();
  private readonly finder: LiteralFinder | null;
  private readonly complete: boolean;
  private line = 0;
  private offset = 0;
  /** With a level: every line is read (a line's level decides the lines below it), as collect --level does. */
  private readonly levels: LineLevels | null;
  private keepByLevel = false;

  constructor(
    private readonly pattern: UserPattern,
    levelRank?: number,
  ) {
    this.levels = levelRank === undefined ? null : new LineLevels(levelRank);
    const required = this.levels ? null : requiredLiterals(pattern.source, { ignoreCase: pattern.ignoreCase });
    this.finder = required ? new LiteralFinder(required) : null;
    this.complete = required?.complete === true;
  }

  *push(chunk: Buffer): Generator<LineHit> {
    const first = this.finder ? chunk.indexOf(10) : -1;
    if (!this.finder || first === -1) {
      for (const l of this.splitter.push(chunk)) yield* this.check(l);
      return;
    }
    const last = chunk.lastIndexOf(10);
    for (const l of this.splitter.push(chunk.subarray(0, first + 1))) yield* this.check(l);
    const end = last + 1;
    // `this.offset` is where chunk[first + 1] sits in the stream: splitter lines so far cover everything before it.
    const base = this.offset - (first + 1);
    let at = first + 1;
    while (at < end) {
      const hit = this.finder.find(chunk, at);
      const start = hit === -1 || hit >= end ? end : chunk.lastIndexOf(10, hit - 1) + 1;
      const lineStart = Math.max(start, at);
      this.line += countNewlines(chunk, at, lineStart);
      if (lineStart >= end) break;
      const stop = chunk.indexOf(10, hit) + 1;
      this.line++;
      const text = chunk.toString('utf8', lineStart, stop).replace(/\r?\n$/, '');
      if (this.complete || this.pattern.test(text)) yield { line: this.line, offset: base + lineStart, text };
      at = stop;
    }
    this.offset = base + end;
    for (const l of this.splitter.push(chunk.subarray(end))) yield* this.check(l);
  }

  *flush(): Generator<LineHit> {
    for (const l of this.splitter.flush()) yield* this.check(l);
  }

  private *check(bytes: Buffer): Generator<LineHit> {
    this.line++;
    const offset = this.offset;
    this.offset += bytes.length;
    if (this.levels) {
      const keep = this.levels.decide(bytes, 0, bytes.length);
      if (keep !== undefined) this.keepByLevel = keep;
      if (!this.keepByLevel) return;
    }
    const text = bytes.toString('utf8').replace(/\r?\n$/, '');
    if (this.pattern.test(text)) yield { line: this.line, offset, text };
  }
}

function countNewlines(buffer: Buffer, from: number, to: number): number {
  let n = 0;
  for (let i = buffer.indexOf(10, from); i !== -1 && i < to; i = buffer.indexOf(10, i + 1)) n++;
  return n;
}
