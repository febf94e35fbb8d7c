import fs from 'node:fs';
import { createHash, type Hash } from 'node:crypto';
import type { TimelineEntry } from '../../../shared/domain';

// A long incident must not lose its end in the report: key events are always kept, bulk
// entries (notes, alerts, commands…) keep their first and last ones, and what lies between is
// counted so the report can say so. One pass, bounded memory, whatever the history's length.

/** Entries that say how the incident went: never left out of a report. */
const KEY_PREFIXES = ['status.', 'severity.', 'sla.', 'escalation.', 'runbook.', 'evidence.', 'incident.'] as const;

export function isKeyEntry(kind: string): boolean {
  return KEY_PREFIXES.some((p) => kind.startsWith(p)) || kind === 'correction';
}

/** How a left-out bulk entry is counted: notes, alerts, commands, other. */
export type BulkKind = 'notes' | 'alerts' | 'commands' | 'other';

export function bulkKindOf(kind: string): BulkKind {
  if (kind === 'note') return 'notes';
  if (kind.startsWith('alert.')) return 'alerts';
  if (kind.startsWith('command.')) return 'commands';
  return 'other';
}

export interface Gap {
  /** How many bulk entries were left out, in all and by kind. */
  readonly omitted: number;
  readonly byKind: Readonly<Record<BulkKind, number>>;
  readonly head: number;
  readonly tail: number;
}

interface Held<T> {
  readonly seq: number;
  readonly item: T;
}

/** Keeps every key item, the first `head` and last `tail` bulk items, in timeline order. */
export class KeepEnds<T> {
  private readonly kept: Held<T>[] = [];
  private readonly headItems: Held<T>[] = [];
  private tailItems: Held<T>[] = [];
  private tailStart = 0;
  private gapAt = -1;
  private omitted = 0;
  private readonly byKind: Record<BulkKind, number> = { notes: 0, alerts: 0, commands: 0, other: 0 };
  private readonly tailKinds: BulkKind[] = [];

  constructor(
    readonly head: number,
    readonly tail: number,
  ) {}

  add(seq: number, item: T, key: boolean, kind: BulkKind = 'other'): void {
    if (key) {
      this.kept.push({ seq, item });
      return;
    }
    if (this.headItems.length < this.head) {
      this.headItems.push({ seq, item });
      return;
    }
    this.tailItems.push({ seq, item });
    this.tailKinds.push(kind);
    if (this.tailItems.length - this.tailStart > this.tail) {
      // The oldest of the tail falls into the gap; compacted now and then, not on every entry.
      if (this.gapAt < 0) this.gapAt = this.tailItems[this.tailStart]!.seq;
      this.byKind[this.tailKinds[this.tailStart]!]++;
      this.omitted++;
      this.tailStart++;
      if (this.tailStart > 4096) {
        this.tailItems = this.tailItems.slice(this.tailStart);
        this.tailKinds.splice(0, this.tailStart);
        this.tailStart = 0;
      }
    }
  }

  get gap(): Gap | null {
    return this.omitted === 0 ? null : { omitted: this.omitted, byKind: { ...this.byKind }, head: this.head, tail: this.tail };
  }

  /** Everything kept, in timeline order, with `marker` where the left-out entries were. */
  list(marker?: (gap: Gap) => T): T[] {
    const all = [...this.kept, ...this.headItems, ...this.tailItems.slice(this.tailStart)].sort((a, b) => a.seq - b.seq);
    const gap = this.gap;
    if (!gap || !marker) return all.map((h) => h.item);
    const out: T[] = [];
    let placed = false;
    for (const h of all) {
      if (!placed && h.seq > this.gapAt) {
        out.push(marker(gap));
        placed = true;
      }
      out.push(h.item);
    }
    if (!placed) out.push(marker(gap));
    return out;
  }
}

/** The full timeline beside the report: one JSON entry a line, redacted like the report. */
export function timelineLine(entry: TimelineEntry, redact: (s: string) => string): string {
  return `${redact(JSON.stringify(entry))}\n`;
}

/**
 * Hashes the full timeline's lines as they go by, so the report can print the file's sha256;
 * when the report is being saved, the same lines go to the file (one pass for both).
 */
export class TimelineDigest {
  private readonly hash: Hash = createHash('sha256');
  entries = 0;

  constructor(
    private readonly redact: (s: string) => string,
    private readonly sink?: (line: string) => void,
  ) {}

  add(entry: TimelineEntry): void {
    const line = timelineLine(entry, this.redact);
    this.hash.update(line);
    this.sink?.(line);
    this.entries++;
  }

  hex(): string {
    return this.hash.digest('hex');
  }
}

/** `INC-0007-timeline.jsonl`, saved beside the report. */
export function timelineFileName(ref: string): string {
  return `${ref}-timeline.jsonl`;
}

/**
 * The full timeline file beside a saved report, written to a temporary name while the report
 * is built and renamed only once the report itself is saved, so a failed save leaves neither.
 */
export class TimelineFileWriter {
  private readonly temp: string;
  private readonly fd: number;
  private chunk = '';
  private closed = false;

  constructor(private readonly file: string) {
    this.temp = `${file}.${process.pid}.tmp`;
    this.fd = fs.openSync(this.temp, 'w');
  }

  readonly write = (line: string): void => {
    this.chunk += line;
    if (this.chunk.length > 1 << 20) this.flush();
  };

  /** Flushes, syncs and renames the file into place. */
  commit(): void {
    try {
      this.flush();
      fs.fsyncSync(this.fd);
    } finally {
      this.close();
    }
    try {
      fs.renameSync(this.temp, this.file);
    } finally {
      fs.rmSync(this.temp, { force: true });
    }
  }

  discard(): void {
    this.close();
    fs.rmSync(this.temp, { force: true });
  }

  private flush(): void {
    if (this.chunk) fs.writeSync(this.fd, this.chunk);
    this.chunk = '';
  }

  private close(): void {
    if (this.closed) return;
    this.closed = true;
    fs.closeSync(this.fd);
  }
}
