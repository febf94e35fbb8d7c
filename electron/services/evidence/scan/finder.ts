import type { RequiredLiterals } from './literals';

// Finds the next place in a buffer where any of a pattern's required literals occurs, on
// bytes (Buffer.indexOf, native code). Without case, each literal is searched for by every
// ASCII-case spelling of its first few bytes and the rest is compared folded.

/** How many leading bytes are spelled out in every case (2^4 = 16 searches at most). */
const CASE_PREFIX = 4;

interface Needle {
  readonly probe: Buffer;
  /** The whole literal, lower-cased, when hits of `probe` must be checked further; else null. */
  readonly full: Buffer | null;
  /** Next verified hit at or after `from`, cached so each literal scans the buffer once. */
  next: number;
  from: number;
}

export class LiteralFinder {
  private needles: Needle[] = [];
  private buffer: Buffer | null = null;

  constructor(required: RequiredLiterals) {
    for (const literal of required.literals) {
      const bytes = Buffer.from(literal, 'utf8');
      if (!required.ignoreCase) {
        this.needles.push({ probe: bytes, full: null, next: -1, from: Number.POSITIVE_INFINITY });
        continue;
      }
      const lower = Buffer.from(bytes).map(lowerAscii) as Buffer;
      const head = lower.subarray(0, Math.min(CASE_PREFIX, lower.length));
      for (const probe of caseSpellings(head)) {
        this.needles.push({ probe, full: lower.length > probe.length ? Buffer.from(lower) : null, next: -1, from: Number.POSITIVE_INFINITY });
      }
    }
  }

  /** Offset of the earliest literal occurrence starting at or after `from` in `buffer`, or -1. */
  find(buffer: Buffer, from: number): number {
    if (buffer !== this.buffer) {
      this.buffer = buffer;
      for (const n of this.needles) n.from = Number.POSITIVE_INFINITY;
    }
    let best = -1;
    for (const n of this.needles) {
      // The cached hit stays valid while it is not behind `from` and was searched from at most `from`.
      if (!(n.from <= from && (n.next === -1 || n.next >= from))) {
        n.next = this.search(buffer, n, from);
        n.from = from;
      }
      if (n.next !== -1 && (best === -1 || n.next < best)) best = n.next;
    }
    return best;
  }

  private search(buffer: Buffer, n: Needle, from: number): number {
    let at = from;
    for (;;) {
      const hit = buffer.indexOf(n.probe, at);
      if (hit === -1 || !n.full || matchesFolded(buffer, hit, n.full)) return hit;
      at = hit + 1;
    }
  }
}

function lowerAscii(b: number): number {
  return b >= 0x41 && b <= 0x5a ? b + 0x20 : b;
}

function matchesFolded(buffer: Buffer, at: number, lower: Buffer): boolean {
  if (at + lower.length > buffer.length) return false;
  for (let i = 0; i < lower.length; i++) if (lowerAscii(buffer[at + i]!) !== lower[i]) return false;
  return true;
}

/** Every ASCII upper/lower spelling of `lower` ("ab" → ab, aB, Ab, AB). */
function caseSpellings(lower: Buffer): Buffer[] {
  let out: Buffer[] = [Buffer.alloc(0)];
  for (const b of lower) {
    const forms = b >= 0x61 && b <= 0x7a ? [b, b - 0x20] : [b];
    out = out.flatMap((prefix) => forms.map((f) => Buffer.concat([prefix, Buffer.from([f])])));
  }
  return out;
}
