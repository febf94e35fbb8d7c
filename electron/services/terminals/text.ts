// Transcript helpers: ANSI stripping, secret masking and a head+tail capped buffer so a
// runaway command inside a runbook step cannot grow memory without bound.

export const MASK = '••••';

// CSI (incl. private modes), OSC (BEL or ST terminated), DCS/SOS/PM/APC strings, and
// two-character escapes (charset selection, keypad modes, RIS, …).
const ANSI =
  // eslint-disable-next-line no-control-regex
  /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b[PX^_][^\x1b]*(?:\x1b\\)?|\x1b[ -/]*[0-~]|\x9b[0-?]*[ -/]*[@-~]/g;

/**
 * Plain text of terminal output: escape sequences removed, CRLF → LF, a carriage return
 * inside a line keeps what was written after it (progress bars), backspaces applied, other
 * control characters dropped.
 */
export function stripAnsi(input: string): string {
  const noEsc = input.replace(ANSI, '');
  const lines = noEsc.replace(/\r+\n/g, '\n').split('\n');
  const out = lines.map((line) => {
    let text = line.replace(/\r+$/, '');
    const cr = text.lastIndexOf('\r');
    if (cr !== -1) text = text.slice(cr + 1);
    if (text.includes('\b')) {
      const chars: string[] = [];
      for (const ch of text) {
        if (ch === '\b') chars.pop();
        else chars.push(ch);
      }
      text = chars.join('');
    }
    // eslint-disable-next-line no-control-regex
    return text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
  });
  return out.join('\n');
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replace every occurrence of every (non-empty) secret with ••••, longest first. */
export function maskSecrets(text: string, secrets: Iterable<string>): string {
  const list = [...new Set([...secrets].filter((s) => s.length > 0))].sort((a, b) => b.length - a.length);
  if (list.length === 0) return text;
  return text.replace(new RegExp(list.map(escapeRegExp).join('|'), 'g'), MASK);
}

/** Keeps the first `headMax` and the last `tailMax` characters of a stream. */
export class CappedText {
  private head = '';
  private tail: string[] = [];
  private tailLength = 0;
  private dropped = 0;

  constructor(
    private readonly headMax = 1_000_000,
    private readonly tailMax = 1_000_000,
  ) {}

  append(s: string): void {
    if (s === '') return;
    let rest = s;
    if (this.head.length < this.headMax) {
      const room = this.headMax - this.head.length;
      this.head += rest.slice(0, room);
      rest = rest.slice(room);
      if (rest === '') return;
    }
    this.tail.push(rest);
    this.tailLength += rest.length;
    while (this.tailLength > this.tailMax && this.tail.length > 0) {
      const first = this.tail[0] ?? '';
      const excess = this.tailLength - this.tailMax;
      if (first.length <= excess) {
        this.tail.shift();
        this.tailLength -= first.length;
        this.dropped += first.length;
      } else {
        this.tail[0] = first.slice(excess);
        this.tailLength -= excess;
        this.dropped += excess;
      }
    }
  }

  get truncated(): boolean {
    return this.dropped > 0;
  }

  toString(): string {
    const tail = this.tail.join('');
    if (this.dropped === 0) return this.head + tail;
    return `${this.head}\r\n[… ${this.dropped} characters omitted …]\r\n${tail}`;
  }
}
