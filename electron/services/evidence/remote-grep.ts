import { shQuote } from '../targets/quote';
import type { FileFilters } from './files';
import { MAX_LINE } from './lines';
import { requiredLiterals } from './scan/literals';

// --grep pushed down to the server (issue 20): when the pattern is nothing but plain
// literals (`ERROR|CRITICAL`), the server's `grep -F` finds exactly the lines the laptop's
// scan would keep, and only those cross the network. The server also hashes the whole
// source (recorded as its hash, as the laptop's scan would have), and the laptop hashes
// what it receives as it stores it. Anything the laptop could not vouch for as identical
// is filtered on the laptop instead: a pattern that is more than literals, ignore-case
// (grep folds other characters than RE2), --since/--until/--level/--tail, a file bigger
// than --max-bytes, a non-GNU grep, no hash tool, a NUL in the first 8 KiB (the laptop
// stores binary files whole), and a matching line of MAX_LINE bytes or more (the laptop
// cuts such lines). Literals reach the script only as single-quoted `-e` arguments.

/** The literals to push down, or null (filter on the laptop). */
export function pushdownLiterals(filters: FileFilters, size: number): readonly string[] | null {
  const { grep } = filters;
  if (!grep || grep.ignoreCase || filters.since !== undefined || filters.until !== undefined || filters.level !== undefined || filters.tail !== undefined) return null;
  if (size > filters.maxBytes) return null;
  const req = requiredLiterals(grep.source);
  if (!req || !req.complete || req.ignoreCase) return null;
  return req.literals;
}

/**
 * `fb_hash`: SHA-256 of stdin, the tool's name on stderr (FIREBREAK-HASHTOOL). openssl first
 * where it works, as the batch script does: it uses the CPU's SHA instructions, about a fifth
 * of coreutils sha256sum's CPU (0.16 s against 0.8 s for 300 MB here), and while a 1 GiB
 * log streams to the laptop the server's hash competes with ssh for the same cores.
 */
export const SERVER_HASH_FUNCTION = `fb_hash() {
  if command -v openssl >/dev/null 2>&1 && openssl dgst -sha256 -r </dev/null >/dev/null 2>&1; then echo 'FIREBREAK-HASHTOOL openssl dgst -sha256' >&2; openssl dgst -sha256 -r
  elif command -v sha256sum >/dev/null 2>&1; then echo 'FIREBREAK-HASHTOOL sha256sum' >&2; sha256sum
  elif command -v shasum >/dev/null 2>&1; then echo 'FIREBREAK-HASHTOOL shasum -a 256' >&2; shasum -a 256
  else cat >/dev/null; echo none; fi
}
`;

/**
 * First line on stdout: `FIREBREAK-MODE grep|raw LASTNL`. Then, in grep mode, `grep -b`
 * output (each kept line prefixed with its byte offset); in raw mode the range itself, for
 * the laptop to filter. LASTNL says whether the source's last byte is a newline (grep adds
 * one to a last line without it; the laptop must not).
 */
export function grepScript(file: string, size: number, literals: readonly string[]): string {
  return `${SERVER_HASH_FUNCTION}fb_main() {
  fb_f=${shQuote(file)}; fb_size=${size}
  if [ ! -r "$fb_f" ]; then echo 'FIREBREAK-ERROR not readable' >&2; return 3; fi
  fb_mode=grep
  grep --version 2>/dev/null | grep GNU >/dev/null 2>&1 || fb_mode=raw
  command -v sha256sum >/dev/null 2>&1 || command -v shasum >/dev/null 2>&1 || command -v openssl >/dev/null 2>&1 || fb_mode=raw
  if [ "$fb_mode" = grep ] && [ "$(head -c 8192 -- "$fb_f" | tr -d '\\000' | wc -c)" -ne "$(head -c 8192 -- "$fb_f" | wc -c)" ]; then fb_mode=raw; fi
  fb_nl=1
  if [ "$fb_size" -gt 0 ]; then fb_nl=$(tail -c +"$fb_size" -- "$fb_f" | head -c 1 | wc -l); fi
  echo "FIREBREAK-MODE $fb_mode $((fb_nl))"
  { head -c "$fb_size" -- "$fb_f" | fb_hash | sed 's/^/FIREBREAK-SHA256 /' >&2; } &
  if [ "$fb_mode" = grep ]; then
    head -c "$fb_size" -- "$fb_f" | LC_ALL=C grep -a -b -F ${literals.map((l) => `-e ${shQuote(l)}`).join(' ')}
    fb_rc=$?
    if [ "$fb_rc" -eq 1 ]; then fb_rc=0; fi
  else
    head -c "$fb_size" -- "$fb_f"
    fb_rc=$?
  fi
  wait
  echo "FIREBREAK-RANGE 0 $fb_size" >&2
  echo "FIREBREAK-END $fb_rc $(stat -L -c '%s %Y' -- "$fb_f" 2>/dev/null)" >&2
}
fb_main </dev/null
`;
}

/** How the pushed-down script is described in custody entries. */
export const GREP_COMMAND_SUMMARY = "sh -s: head -c SIZE -- PATH | LC_ALL=C grep -a -b -F -e LITERAL…, in parallel head -c SIZE -- PATH | openssl dgst -sha256 (or sha256sum, shasum -a 256; only for a pattern of plain literals; see docs/targets.md)";

/**
 * `grep -b` output back into the kept lines: the `OFFSET:` prefix goes, and a last line
 * that ended the source without a newline loses the one grep added. `tooLong` is set on a
 * line of MAX_LINE bytes or more (the caller then filters on the laptop instead).
 */
export class OffsetLines {
  tooLong = false;
  lines = 0;
  /** How far into the source grep has got: the end of the last line it sent (progress of a search whose misses never travel). */
  searched = 0;
  private carry: Buffer[] = [];
  private carried = 0;

  constructor(
    private readonly size: number,
    private readonly lastNewline: boolean,
  ) {}

  *push(chunk: Buffer): Generator<Buffer> {
    let start = 0;
    while (start < chunk.length && !this.tooLong) {
      const nl = chunk.indexOf(10, start);
      if (nl === -1) {
        this.carry.push(Buffer.from(chunk.subarray(start)));
        this.carried += chunk.length - start;
        if (this.carried > MAX_LINE + 32) this.tooLong = true;
        return;
      }
      let line = chunk.subarray(start, nl + 1);
      if (this.carry.length > 0) {
        line = Buffer.concat([...this.carry, line]);
        this.carry = [];
        this.carried = 0;
      }
      start = nl + 1;
      const out = this.strip(line);
      if (out) yield out;
    }
  }

  /** Output that ended without a newline is not grep's: treat it as a failure. */
  get clean(): boolean {
    return this.carried === 0 && !this.tooLong;
  }

  private strip(line: Buffer): Buffer | null {
    const colon = line.indexOf(58);
    const offset = colon > 0 ? Number(line.subarray(0, colon).toString('latin1')) : NaN;
    if (!Number.isInteger(offset)) {
      this.tooLong = true;
      return null;
    }
    let text = line.subarray(colon + 1);
    this.searched = Math.min(this.size, Math.max(this.searched, offset + text.length));
    if (text.length >= MAX_LINE - 1) {
      this.tooLong = true;
      return null;
    }
    // grep added the newline this last line did not have in the source.
    if (!this.lastNewline && offset + text.length === this.size + 1) text = text.subarray(0, text.length - 1);
    this.lines++;
    return text;
  }
}
