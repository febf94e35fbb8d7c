import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { fsRead } from './cas';
import type { FileDigests } from './digest';
import { writeFullyAt } from './write-at';

// A "stored" (uncompressed) zip writer. Each entry's CRC-32 and sizes follow its data in a
// data descriptor (flag bit 3), so contents are streamed once. Zip64 (APPNOTE 4.5) where
// the classic fields do not reach: entries or offsets of 4 GiB and more, over 65,535
// entries. An entry's size is known before its data, so it is zip64 from its local header
// on (with an 8-byte data descriptor), as readers that stream expect.
// Kept rather than yazl: it hashes in the same read and writes at 1 MiB a call; in the bag
// bench (scripts/bench/bag.ts, 808 MB) yazl took 1.8-2.1x as long (29.5 s vs 14.4 s).
// Reading zips is yauzl's (bag-readers.ts).

const LIMIT = 0xffffffff;
const MAX_ENTRIES = 0xffff;
const ZIP64_EXTRA = 0x0001;

export interface ZipLimits {
  /** Sizes and offsets from this value on are written as zip64 (tests lower it). */
  readonly zip64At?: number;
  /** More entries than this need the zip64 end of central directory (tests lower it). */
  readonly maxClassicEntries?: number;
}

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
  zip64: boolean;
}

const u64 = (value: number): Buffer => {
  const b = Buffer.alloc(8);
  b.writeBigUInt64LE(BigInt(value));
  return b;
};

/** The zip64 extended information extra field holding the given 8-byte values. */
const zip64Extra = (values: readonly number[]): Buffer => {
  const h = Buffer.alloc(4);
  h.writeUInt16LE(ZIP64_EXTRA, 0);
  h.writeUInt16LE(values.length * 8, 2);
  return Buffer.concat([h, ...values.map(u64)]);
};

export class ZipWriter {
  private position = 0;
  private readonly entries: CentralEntry[] = [];
  private readonly zip64At: number;
  private readonly maxClassicEntries: number;
  private constructor(
    private readonly handle: fs.promises.FileHandle,
    limits: ZipLimits,
  ) {
    this.zip64At = limits.zip64At ?? LIMIT;
    this.maxClassicEntries = limits.maxClassicEntries ?? MAX_ENTRIES;
  }

  static async create(file: string, limits: ZipLimits = {}): Promise<ZipWriter> {
    return new ZipWriter(await fs.promises.open(file, 'wx', 0o644), limits);
  }

  private async put(data: Buffer): Promise<void> {
    this.position = await writeFullyAt(this.handle, data, this.position);
  }

  private async begin(nameText: string, mtime: number, size: number): Promise<CentralEntry> {
    const name = Buffer.from(nameText, 'utf8');
    const { time, date } = dosTime(mtime);
    const zip64 = size >= this.zip64At;
    const entry: CentralEntry = { name, crc: 0, size: 0, offset: this.position, time, date, zip64 };
    // Sizes follow in the descriptor; a zip64 extra (with zeros) says it has 8-byte sizes.
    const extra = zip64 ? zip64Extra([0, 0]) : Buffer.alloc(0);
    const h = Buffer.alloc(30);
    h.writeUInt32LE(0x04034b50, 0);
    h.writeUInt16LE(zip64 ? 45 : 20, 4);
    h.writeUInt16LE(0x0808, 6); // bit 3: sizes in data descriptor; bit 11: UTF-8 names
    h.writeUInt16LE(0, 8); // stored
    h.writeUInt16LE(time, 10);
    h.writeUInt16LE(date, 12);
    if (zip64) {
      // APPNOTE 4.5.3: the zip64 extra goes with sizes of 0xFFFFFFFF in the header.
      h.writeUInt32LE(LIMIT, 18);
      h.writeUInt32LE(LIMIT, 22);
    }
    h.writeUInt16LE(name.length, 26);
    h.writeUInt16LE(extra.length, 28);
    await this.put(Buffer.concat([h, name, extra]));
    return entry;
  }

  private async end(entry: CentralEntry): Promise<void> {
    const d = Buffer.alloc(entry.zip64 ? 24 : 16);
    d.writeUInt32LE(0x08074b50, 0);
    d.writeUInt32LE(entry.crc, 4);
    if (entry.zip64) {
      d.writeBigUInt64LE(BigInt(entry.size), 8);
      d.writeBigUInt64LE(BigInt(entry.size), 16);
    } else {
      d.writeUInt32LE(entry.size, 8);
      d.writeUInt32LE(entry.size, 12);
    }
    await this.put(d);
    this.entries.push(entry);
  }

  async addBuffer(name: string, data: Buffer, mtime: number): Promise<void> {
    const entry = await this.begin(name, mtime, data.length);
    await this.put(data);
    entry.crc = crc32(data);
    entry.size = data.length;
    await this.end(entry);
  }

  async addFile(name: string, source: string, size: number, mtime: number, algorithms: readonly string[]): Promise<FileDigests> {
    const entry = await this.begin(name, mtime, size);
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
    // A source that shrank is stored as read (the local header's promise of 4- or 8-byte
    // sizes still holds); the manifest check reports the mismatch.
    entry.crc = crc;
    await this.end(entry);
    return { size: entry.size, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) };
  }

  async close(): Promise<void> {
    const start = this.position;
    for (const e of this.entries) {
      const bigSize = e.size >= this.zip64At;
      const bigOffset = e.offset >= this.zip64At;
      // Only the fields that overflow move to the extra, in the order APPNOTE gives.
      const values = [...(bigSize ? [e.size, e.size] : []), ...(bigOffset ? [e.offset] : [])];
      const extra = values.length > 0 ? zip64Extra(values) : Buffer.alloc(0);
      const c = Buffer.alloc(46);
      c.writeUInt32LE(0x02014b50, 0);
      c.writeUInt16LE(0x0300 | (values.length > 0 || e.zip64 ? 45 : 30), 4); // made by: Unix
      c.writeUInt16LE(values.length > 0 || e.zip64 ? 45 : 20, 6);
      c.writeUInt16LE(0x0808, 8);
      c.writeUInt16LE(0, 10);
      c.writeUInt16LE(e.time, 12);
      c.writeUInt16LE(e.date, 14);
      c.writeUInt32LE(e.crc, 16);
      c.writeUInt32LE(bigSize ? LIMIT : e.size, 20);
      c.writeUInt32LE(bigSize ? LIMIT : e.size, 24);
      c.writeUInt16LE(e.name.length, 28);
      c.writeUInt16LE(extra.length, 30);
      c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
      c.writeUInt32LE(bigOffset ? LIMIT : e.offset, 42);
      await this.put(Buffer.concat([c, e.name, extra]));
    }
    const cdSize = this.position - start;
    const count = this.entries.length;
    const zip64End = count > this.maxClassicEntries || start >= this.zip64At || cdSize >= this.zip64At;
    if (zip64End) {
      const recordAt = this.position;
      const r = Buffer.alloc(56);
      r.writeUInt32LE(0x06064b50, 0);
      r.writeBigUInt64LE(44n, 4); // size of the rest of this record
      r.writeUInt16LE(0x032d, 12); // made by: Unix, 4.5
      r.writeUInt16LE(45, 14);
      r.writeBigUInt64LE(BigInt(count), 24);
      r.writeBigUInt64LE(BigInt(count), 32);
      r.writeBigUInt64LE(BigInt(cdSize), 40);
      r.writeBigUInt64LE(BigInt(start), 48);
      const locator = Buffer.alloc(20);
      locator.writeUInt32LE(0x07064b50, 0);
      locator.writeBigUInt64LE(BigInt(recordAt), 8);
      locator.writeUInt32LE(1, 16);
      await this.put(Buffer.concat([r, locator]));
    }
    const eocd = Buffer.alloc(22);
    eocd.writeUInt32LE(0x06054b50, 0);
    eocd.writeUInt16LE(zip64End ? MAX_ENTRIES : count, 8);
    eocd.writeUInt16LE(zip64End ? MAX_ENTRIES : count, 10);
    eocd.writeUInt32LE(zip64End ? LIMIT : cdSize, 12);
    eocd.writeUInt32LE(zip64End ? LIMIT : start, 16);
    await this.put(eocd);
    await this.handle.sync();
    await this.handle.close();
  }
}
