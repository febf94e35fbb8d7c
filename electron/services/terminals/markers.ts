import { MARKER_END, MARKER_PREFIX } from './wrap';

export type ScanPart =
  | { readonly type: 'text'; readonly text: string }
  | { readonly type: 'start'; readonly nonce: string; readonly raw: string }
  | { readonly type: 'end'; readonly nonce: string; readonly exitCode: number | null; readonly raw: string };

/** Longest marker we wait for across chunk boundaries; anything longer is passed through. */
const MAX_MARKER = 256;

/**
 * Finds `ESC ] 633 ; C|D ; …  BEL` markers in the pty stream, which may be split across
 * chunks: a trailing partial marker is held back until the next chunk (or `release()`).
 * Other OSC 633 sequences (e.g. a user's own VS Code shell integration) come out as text.
 */
export class MarkerScanner {
  private held = '';

  get heldLength(): number {
    return this.held.length;
  }

  feed(chunk: string): ScanPart[] {
    const buf = this.held === '' ? chunk : this.held + chunk;
    this.held = '';
    // Fast path: no ESC at all.
    if (buf.indexOf('\x1b') === -1) return buf === '' ? [] : [{ type: 'text', text: buf }];
    const parts: ScanPart[] = [];
    let pos = 0;
    for (;;) {
      const at = buf.indexOf(MARKER_PREFIX, pos);
      if (at === -1) {
        const tailStart = this.partialPrefixStart(buf, pos);
        if (tailStart > pos) parts.push({ type: 'text', text: buf.slice(pos, tailStart) });
        this.held = buf.slice(tailStart);
        break;
      }
      const end = buf.indexOf(MARKER_END, at + MARKER_PREFIX.length);
      if (end === -1 && buf.length - at < MAX_MARKER) {
        if (at > pos) parts.push({ type: 'text', text: buf.slice(pos, at) });
        this.held = buf.slice(at);
        break;
      }
      const body = end === -1 ? null : buf.slice(at + MARKER_PREFIX.length, end);
      const marker = body === null ? null : parseBody(body, buf.slice(at, end + 1));
      if (marker === null) {
        // Not ours: pass it through (including the prefix) and keep scanning after it.
        const upto = at + MARKER_PREFIX.length;
        parts.push({ type: 'text', text: buf.slice(pos, upto) });
        pos = upto;
        continue;
      }
      if (at > pos) parts.push({ type: 'text', text: buf.slice(pos, at) });
      parts.push(marker);
      pos = end + 1;
    }
    return mergeText(parts);
  }

  /** Give up waiting for the rest of a held partial marker. */
  release(): string {
    const out = this.held;
    this.held = '';
    return out;
  }

  /** Start of a suffix of buf[pos..] that is a proper prefix of MARKER_PREFIX, else buf.length. */
  private partialPrefixStart(buf: string, pos: number): number {
    const from = Math.max(pos, buf.length - MARKER_PREFIX.length + 1);
    for (let i = from; i < buf.length; i++) {
      if (buf.charCodeAt(i) === 0x1b && MARKER_PREFIX.startsWith(buf.slice(i))) return i;
    }
    return buf.length;
  }
}

function parseBody(body: string, raw: string): ScanPart | null {
  const fields = body.split(';');
  const kind = fields[0];
  const nonce = fields[1];
  if (nonce === undefined || !/^fb[0-9a-f]{16}$/.test(nonce)) return null;
  if (kind === 'C' && fields.length === 2) return { type: 'start', nonce, raw };
  if (kind === 'D' && fields.length === 3) {
    const code = Number.parseInt(fields[2] ?? '', 10);
    return { type: 'end', nonce, exitCode: Number.isFinite(code) ? code : null, raw };
  }
  return null;
}

function mergeText(parts: ScanPart[]): ScanPart[] {
  const out: ScanPart[] = [];
  for (const part of parts) {
    const last = out[out.length - 1];
    if (part.type === 'text' && last !== undefined && last.type === 'text') {
      out[out.length - 1] = { type: 'text', text: last.text + part.text };
    } else if (part.type !== 'text' || part.text !== '') {
      out.push(part);
    }
  }
  return out;
}
