// Payload file names that every BagIt validator and every file system reads the same way.
//
// RFC 8493 asks for %, CR and LF in manifest paths to be percent-encoded, but validators
// differ in what they decode (bagit-python 1.9 decodes only %0D/%0A, so it reports a file
// named `100%.log` as missing), and file systems differ in what they accept (Windows: no
// backslash, no CON/NUL/…, no trailing dot or space; macOS: one name for two that differ
// only by case; most: 255 bytes a component). So the names written into a bag avoid all of
// it, and the original name, path, size, mtime, owner and hash stay in artifacts.json and
// the custody record. Two more, from bagit-python: a manifest line is stripped (trailing
// white space is lost) and a path that `os.path.expandvars` changes is refused ($HOME).

export const MAX_COMPONENT_BYTES = 255;

/** Replaced by '_': %, $, the Windows-invalid <>:"/\|?*, C0 and C1 controls, DEL, and line/paragraph separators. */
const UNSAFE = /[%$<>:"|?*\\\x00-\x1f\x7f-\x9f\u2028\u2029]/g;
const RESERVED = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³])(\..*)?$/i;

/** The longest prefix of `text` that fits `bytes` of UTF-8, never splitting a character. */
function fitBytes(text: string, bytes: number): string {
  if (Buffer.byteLength(text) <= bytes) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const n = Buffer.byteLength(ch);
    if (used + n > bytes) break;
    out += ch;
    used += n;
  }
  return out;
}

/** Shortens `name` to `bytes`, keeping a short extension (`.log`) when there is one. */
function shorten(name: string, bytes: number): string {
  if (Buffer.byteLength(name) <= bytes) return name;
  const dot = name.lastIndexOf('.');
  const ext = dot > 0 && Buffer.byteLength(name.slice(dot)) <= 16 ? name.slice(dot) : '';
  return fitBytes(name.slice(0, name.length - ext.length), bytes - Buffer.byteLength(ext)) + ext;
}

/** One path component made portable (not yet unique). */
export function portableComponent(raw: string): string {
  let name = raw.normalize('NFC').replace(UNSAFE, '_');
  // Trailing dots and spaces: Windows drops them, manifest parsers strip white space.
  name = name.replace(/[\s.]+$/u, (tail) => '_'.repeat(Math.min(tail.length, 1)));
  if (/^[-.]/.test(name)) name = `_${name}`;
  if (/^\s/u.test(name)) name = `_${name.trimStart()}`;
  if (RESERVED.test(name)) name = `_${name}`;
  if (name === '') name = '_';
  return shorten(name, MAX_COMPONENT_BYTES);
}

/**
 * Hands out bag paths: each component portable, folders that differ only by case merged
 * under the first spelling seen, and a file whose name is taken (ignoring case) suffixed
 * with `~<id>` before its extension.
 */
export class BagNamer {
  /** Lower-cased folder path → the spelling used in the bag. */
  private readonly folders = new Map<string, string>();
  /** Lower-cased file paths in use. */
  private readonly files = new Set<string>();

  /** `wanted` is '/'-separated; the first components (`data/evidence/…`) are ours and already portable. */
  name(wanted: string, id: number): string {
    const parts = wanted.split('/').filter((p) => p !== '').map(portableComponent);
    const base = parts.pop() ?? '_';
    let folder = '';
    for (const part of parts) {
      let next = folder ? `${folder}/${part}` : part;
      // A folder may not have the name of a file already placed (ignoring case).
      if (this.files.has(next.toLowerCase())) next = `${folder ? `${folder}/` : ''}${shorten(part, MAX_COMPONENT_BYTES - String(id).length - 1)}~${id}`;
      const known = this.folders.get(next.toLowerCase());
      if (known === undefined) this.folders.set(next.toLowerCase(), next);
      folder = known ?? next;
    }
    const join = (file: string) => (folder ? `${folder}/${file}` : file);
    let candidate = join(base);
    if (this.files.has(candidate.toLowerCase()) || this.folders.has(candidate.toLowerCase())) {
      const dot = base.lastIndexOf('.');
      const ext = dot > 0 ? base.slice(dot) : '';
      const suffix = `~${id}${ext}`;
      candidate = join(shorten(base.slice(0, base.length - ext.length), MAX_COMPONENT_BYTES - Buffer.byteLength(suffix)) + suffix);
    }
    this.files.add(candidate.toLowerCase());
    return candidate;
  }
}
