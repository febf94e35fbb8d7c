import crypto from 'node:crypto';
import fs from 'node:fs';
import { fsRead } from './cas';
import type { FileDigests } from './digest';
import { writeFullyAt } from './write-at';

// A small POSIX tar (ustar) writer (bags are read with tar-stream, in bag-readers.ts). Names that do not fit ustar's
// 100/155-byte fields, non-ASCII names and sizes past 8 GiB use a pax extended header
// (typeflag 'x'), which every modern tar (GNU, bsdtar, Python's tarfile) reads.
// Kept rather than tar-stream's pack: in the bag bench (scripts/bench/bag.ts, 808 MB) pack
// with the same in-read hashing took 1.2-1.3x as long (10.5 s vs 8.0 s).

const BLOCK = 512;
const MAX_OCTAL_SIZE = 0o77777777777;

function writeString(buf: Buffer, offset: number, length: number, value: string): void {
  buf.write(value, offset, Math.min(length, Buffer.byteLength(value)), 'utf8');
}

function writeOctal(buf: Buffer, offset: number, length: number, value: number): void {
  writeString(buf, offset, length, value.toString(8).padStart(length - 1, '0') + '\0');
}

function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let length = Buffer.byteLength(body) + 1;
  while (String(length).length + Buffer.byteLength(body) !== length) length = String(length).length + Buffer.byteLength(body);
  return `${length}${body}`;
}

function rawHeader(name: string, prefix: string, size: number, mtime: number, mode: number, type: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  writeString(h, 0, 100, name);
  writeOctal(h, 100, 8, mode);
  writeOctal(h, 108, 8, 0);
  writeOctal(h, 116, 8, 0);
  writeOctal(h, 124, 12, Math.min(size, MAX_OCTAL_SIZE));
  writeOctal(h, 136, 12, Math.max(0, Math.floor(mtime / 1000)));
  h.fill(0x20, 148, 156);
  writeString(h, 156, 1, type);
  writeString(h, 257, 6, 'ustar\0');
  writeString(h, 263, 2, '00');
  writeString(h, 345, 155, prefix);
  let sum = 0;
  for (const byte of h) sum += byte;
  writeString(h, 148, 8, sum.toString(8).padStart(6, '0') + '\0 ');
  return h;
}

const padding = (size: number): number => (BLOCK - (size % BLOCK)) % BLOCK;

/** The header block(s) for one entry: a pax header first when ustar cannot hold the name or size. */
export function entryHeader(name: string, size: number, mtime: number, mode = 0o644, type = '0'): Buffer {
  const ascii = /^[\x20-\x7e]*$/.test(name);
  let ustarName = name;
  let prefix = '';
  let needPax = !ascii || size > MAX_OCTAL_SIZE;
  if (ascii && name.length > 100) {
    // ustar: split at a '/' so the prefix fits 155 bytes and the rest fits 100.
    const at = [...name.matchAll(/\//g)].map((m) => m.index).find((i) => i > 0 && i <= 155 && name.length - i - 1 <= 100);
    if (at !== undefined) {
      prefix = name.slice(0, at);
      ustarName = name.slice(at + 1);
    } else needPax = true;
  }
  const blocks: Buffer[] = [];
  if (needPax) {
    const records = paxRecord('path', name) + (size > MAX_OCTAL_SIZE ? paxRecord('size', String(size)) : '');
    const body = Buffer.from(records, 'utf8');
    blocks.push(rawHeader(`PaxHeaders/${crypto.createHash('sha1').update(name).digest('hex').slice(0, 16)}`, '', body.length, mtime, 0o644, 'x'));
    blocks.push(body, Buffer.alloc(padding(body.length)));
    ustarName = ascii ? name.slice(-100) : `pax-${crypto.createHash('sha1').update(name).digest('hex')}`;
    prefix = '';
  }
  blocks.push(rawHeader(ustarName, prefix, size, mtime, mode, type));
  return Buffer.concat(blocks);
}

/** Appends entries to a .tar file; file contents are streamed and hashed on the way in. */
export class TarWriter {
  private position = 0;
  private constructor(private readonly handle: fs.promises.FileHandle) {}

  static async create(file: string): Promise<TarWriter> {
    return new TarWriter(await fs.promises.open(file, 'wx', 0o644));
  }

  private async put(data: Buffer): Promise<void> {
    this.position = await writeFullyAt(this.handle, data, this.position);
  }

  async addDirectory(name: string, mtime: number): Promise<void> {
    await this.put(entryHeader(name.endsWith('/') ? name : `${name}/`, 0, mtime, 0o755, '5'));
  }

  async addBuffer(name: string, data: Buffer, mtime: number): Promise<void> {
    await this.put(entryHeader(name, data.length, mtime));
    await this.put(data);
    await this.put(Buffer.alloc(padding(data.length)));
  }

  /** Streams `source` into the archive, hashing it with `algorithms` in the same read. */
  async addFile(name: string, source: string, size: number, mtime: number, algorithms: readonly string[]): Promise<FileDigests> {
    await this.put(entryHeader(name, size, mtime));
    const hashes = algorithms.map((a) => crypto.createHash(a));
    const handle = await fs.promises.open(source, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let total = 0;
    try {
      while (total < size) {
        const n = await fsRead(handle.fd, buffer, Math.min(buffer.length, size - total), total);
        if (n === 0) break;
        const view = buffer.subarray(0, n);
        for (const h of hashes) h.update(view);
        await this.put(view);
        total += n;
      }
    } finally {
      await handle.close();
    }
    if (total !== size) throw new Error(`${source} changed size while it was archived (${size} → ${total})`);
    await this.put(Buffer.alloc(padding(size)));
    return { size, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) };
  }

  async close(): Promise<void> {
    await this.put(Buffer.alloc(BLOCK * 2));
    await this.handle.sync();
    await this.handle.close();
  }
}
