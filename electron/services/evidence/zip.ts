import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { fsRead } from './cas';
import type { FileDigests } from './digest';
import { writeFullyAt } from './write-at';

// A "stored" (uncompressed) zip writer. Each entry's CRC-32 and sizes follow its data in a
// data descriptor (flag bit 3), so contents are streamed once. No zip64: an entry or archive
// over 4 GiB is refused with a message pointing at the .tar format.

const LIMIT = 0xffffffff;

let table: Uint32Array | undefined;
/** CRC-32 (IEEE), used only where zlib.crc32 (Node >= 20.15) is missing. */
export function crc32Fallback(data: Uint8Array, value = 0): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = ~value >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return ~crc >>> 0;
}

const zlibCrc = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
export const crc32 = (data: Uint8Array, value = 0): number => (zlibCrc ? zlibCrc(data, value) : crc32Fallback(data, value));

function dosTime(ms: number): { time: number; date: number } {
  const d = new Date(ms);
  return {
    time: (d.getHours() << 11) | (d.getMinutes() << 5) | Math.floor(d.getSeconds() / 2),
    date: (Math.max(0, d.getFullYear() - 1980) << 9) | ((d.getMonth() + 1) << 5) | d.getDate(),
  };
}

interface CentralEntry {
  name: Buffer;
  crc: number;
  size: number;
  offset: number;
  time: number;
  date: number;
}

export class ZipWriter {
  private position = 0;
  private readonly entries: CentralEntry[] = [];
  private constructor(private readonly handle: fs.promises.FileHandle) {}

  static async create(file: string): Promise<ZipWriter> {
    return new ZipWriter(await fs.promises.open(file, 'wx', 0o644));
  }

  private async put(data: Buffer): Promise<void> {
    this.position = await writeFullyAt(this.handle, data, this.position);
    if (this.position > LIMIT) throw new Error('zip archive over 4 GiB: export as .tar instead');
  }

  private async begin(nameText: string, mtime: number): Promise<CentralEntry> {
    const name = Buffer.from(nameText, 'utf8');
    const { time, date } = dosTime(mtime);
    const entry: CentralEntry = { name, crc: 0, size: 0, offset: this.position, time, date };
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(20, 4);
    h.writeUInt16LE(0x0808, 6); // bit 3: sizes in data descriptor; bit 11: UTF-8 names
    h.writeUInt16LE(0, 8); // stored
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    h.writeUInt16LE(name.length, 26);
    await this.put(Buffer.concat([h, name]));
    return entry;
  }

  private async end(entry: CentralEntry): Promise<void> {
    const d = Buffer.alloc(16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(entry.crc, 4);
    d.writeUInt32LE(entry.size, 8);
    d.writeUInt32LE(entry.size, 12);
    await this.put(d);
    this.entries.push(entry);
  }

  async addBuffer(name: string, data: Buffer, mtime: number): Promise<void> {
    const entry = await this.begin(name, mtime);
    await this.put(data);
    entry.crc = crc32(data);
    entry.size = data.length;
    await this.end(entry);
  }

  async addFile(name: string, source: string, size: number, mtime: number, algorithms: readonly string[]): Promise<FileDigests> {
    if (size > LIMIT) throw new Error(`${name} is over 4 GiB: export as .tar instead`);
    const entry = await this.begin(name, mtime);
    const hashes = algorithms.map((a) => crypto.createHash(a));
    const handle = await fs.promises.open(source, 'r');
    const buffer = Buffer.allocUnsafe(1 << 20);
    let crc = 0;
    try {
      while (entry.size < size) {
        const n = await fsRead(handle.fd, buffer, Math.min(buffer.length, size - entry.size), entry.size);
        if (n === 0) break;
        const view = buffer.subarray(0, n);
        for (const h of hashes) h.update(view);
        crc = crc32(view, crc);
        await this.put(view);
        entry.size += n;
      }
    } finally {
      await handle.close();
    }
    entry.crc = crc;
    await this.end(entry);
    return { size: entry.size, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) };
  }

  async close(): Promise<void> {
    if (this.entries.length > 0xffff) throw new Error('more than 65535 files: export as .tar instead');
    const start = this.position;
    for (const e of this.entries) {
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(0x031e, 4); // made by: Unix, 3.0
      c.writeUInt16LE(20, 6);
      c.writeUInt16LE(0x0808, 8);
      c.writeUInt16LE(0, 10);
      c.writeUInt16LE(e.time, 12);
      c.writeUInt16LE(e.date, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(e.size, 20);
      c.writeUInt32LE(e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      c.writeUInt32LE(e.offset, 42);
      await this.put(Buffer.concat([c, e.name]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(this.entries.length, 8);
    eocd.writeUInt16LE(this.entries.length, 10);
    eocd.writeUInt32LE(this.position - start, 12);
    eocd.writeUInt32LE(start, 16);
    await this.put(eocd);
    await this.handle.sync();
    await this.handle.close();
  }
}
