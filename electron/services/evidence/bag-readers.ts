import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import * as tarStream from 'tar-stream';
import * as yauzl from 'yauzl';
import { hashRange, type FileDigests } from './digest';

// Reading a bag wherever it is: a folder, a .tar (tar-stream) or a .zip (yauzl). The
// archive parsing is the libraries'; what is ours is the bag's rules on top of it: only
// regular files, no name that climbs out of the bag or is absolute, no name twice. Every
// problem is an Error with a one-line message; bag-verify turns it into a failure.

/** Tag files are read into memory; a hostile bag must not make us hold gigabytes. */
export const MAX_TAG_FILE_BYTES = 256 << 20;

export interface BagReader {
  /** The bag's regular files by bag-relative path ('/'-separated), with their sizes. */
  readonly files: ReadonlyMap<string, number>;
  /** The bytes of one (tag) file, at most MAX_TAG_FILE_BYTES. */
  read(rel: string): Promise<Buffer>;
  /** Hashes each of `rels` with `algorithms`, in the order the bag stores them. */
  digestAll(rels: ReadonlySet<string>, algorithms: readonly string[], each: (rel: string, digests: FileDigests) => void): Promise<void>;
  close(): Promise<void>;
}

/** Why an archive member's name cannot be part of a bag, or undefined when it can. */
export function unsafeMemberName(name: string): string | undefined {
  if (name.includes('\0')) return 'contains a NUL byte';
  if (name.includes('\\')) return 'contains a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'is an absolute path';
  if (name.split('/').includes('..')) return 'climbs out of the bag (..)';
  return undefined;
}

const tooBig = (rel: string, size: number) => new Error(`${rel} is ${size} bytes, more than a tag file may be (${MAX_TAG_FILE_BYTES})`);

async function hashStream(stream: Readable, algorithms: readonly string[]): Promise<FileDigests> {
  const hashes = algorithms.map((a) => crypto.createHash(a));
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    for (const h of hashes) h.update(chunk);
  }
  return { size, digests: Object.fromEntries(algorithms.map((a, i) => [a, hashes[i]!.digest('hex')])) };
}

async function readStream(stream: Readable, rel: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_TAG_FILE_BYTES) {
      stream.destroy();
      throw tooBig(rel, size);
    }
    parts.push(chunk);
  }
  return Buffer.concat(parts);
}

/**
 * A bag in an archive sits in one top-level folder (the bag's name), or at the top: find it
 * by its bagit.txt. Members outside that folder are not part of the bag.
 */
function bagPrefix(names: Iterable<string>): string {
  let prefix: string | undefined;
  for (const n of names) {
    if (n === 'bagit.txt') return '';
    if (prefix === undefined && /^[^/]+\/bagit\.txt$/.test(n)) prefix = n.slice(0, -'bagit.txt'.length);
  }
  return prefix ?? '';
}

export async function dirReader(root: string): Promise<BagReader> {
  const files = new Map<string, number>();
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), r);
      // Following a link would read outside the bag, and a FIFO or device never ends.
      else if (entry.isSymbolicLink()) throw new Error(`${r} is a symbolic link; a bag holds regular files only`);
      else if (!entry.isFile()) throw new Error(`${r} is not a regular file (FIFO, socket or device); a bag holds regular files only`);
      else files.set(r, (await fs.promises.lstat(path.join(dir, entry.name))).size);
    }
  };
  await walk(root, '');
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  return {
    files,
    read: async (rel) => {
      const size = files.get(rel) ?? 0;
      if (size > MAX_TAG_FILE_BYTES) throw tooBig(rel, size);
      return fs.promises.readFile(abs(rel));
    },
    digestAll: async (rels, algorithms, each) => {
      for (const rel of files.keys()) if (rels.has(rel)) each(rel, await hashRange(abs(rel), algorithms));
    },
    close: async () => undefined,
  };
}

/** Every member of a tar, in order; the caller consumes (or resumes) each stream before the next. */
async function* tarMembers(file: string): AsyncGenerator<{ header: tarStream.Header; stream: Readable }> {
  const extract = tarStream.extract();
  const source = fs.createReadStream(file, { highWaterMark: 1 << 20 });
  source.on('error', (error) => extract.destroy(error));
  source.pipe(extract);
  try {
    for await (const entry of extract) yield { header: entry.header, stream: entry as unknown as Readable };
  } finally {
    source.destroy();
    extract.destroy();
  }
}

/** A member's name as a path: './' and a directory's trailing '/' dropped. */
const member = (name: string) => name.replace(/^\.\//, '').replace(/\/+$/, '');

const tarError = (error: unknown): Error => new Error(`tar: ${error instanceof Error ? error.message : String(error)}`);

/** Could this member be a tag file (bagit.txt, a manifest, bag-info.txt) of a bag at the top or one folder down? */
const maybeTagFile = (name: string) =>
  (/^([^/]+\/)?[^/]+$/.test(name) && !name.startsWith('data/')) ||
  // Firebreak's own records, read again by verification (bag-timeline.ts).
  /^([^/]+\/)?data\/(timeline\.json|timeline\.csv|evidence\/artifacts\.json)$/.test(name);

export async function tarReader(file: string): Promise<BagReader> {
  // One pass for the names, types and sizes, keeping the tag files' bytes (small, and read
  // several times); payload contents are skipped here and hashed in one more pass.
  const sizes = new Map<string, number>();
  const kept = new Map<string, Buffer>();
  let keptBytes = 0;
  try {
    for await (const { header, stream } of tarMembers(file)) {
      const name = member(header.name);
      const unsafe = unsafeMemberName(name);
      if (unsafe) throw new Error(`member ${JSON.stringify(header.name)} ${unsafe}; refused`);
      if (header.type === 'directory') {
        stream.resume();
        continue;
      }
      if (header.type !== 'file' && header.type !== 'contiguous-file') throw new Error(`member ${JSON.stringify(name)} is a ${header.type ?? 'special entry'}; a bag holds regular files only`);
      if (sizes.has(name)) throw new Error(`member ${JSON.stringify(name)} appears twice`);
      sizes.set(name, header.size ?? 0);
      if (maybeTagFile(name)) {
        keptBytes += header.size ?? 0;
        if (keptBytes > MAX_TAG_FILE_BYTES) throw tooBig(name, keptBytes);
        kept.set(name, await readStream(stream, name));
      } else stream.resume();
    }
  } catch (error) {
    throw tarError(error);
  }
  const prefix = bagPrefix(sizes.keys());
  const files = new Map([...sizes].filter(([n]) => n.startsWith(prefix)).map(([n, s]) => [n.slice(prefix.length), s]));
  return {
    files,
    read: async (rel) => {
      const data = kept.get(prefix + rel);
      if (data) return data;
      const size = files.get(rel);
      if (size === undefined) throw new Error(`${rel} is not in the archive`);
      if (size > MAX_TAG_FILE_BYTES) throw tooBig(rel, size);
      // Not kept by the first pass: one more pass for it.
      let out: Buffer | undefined;
      try {
        for await (const { header, stream } of tarMembers(file)) {
          if (out === undefined && header.type !== 'directory' && member(header.name) === prefix + rel) out = await readStream(stream, rel);
          else stream.resume();
        }
      } catch (error) {
        throw tarError(error);
      }
      return out ?? Buffer.alloc(0);
    },
    digestAll: async (rels, algorithms, each) => {
      try {
        for await (const { header, stream } of tarMembers(file)) {
          const name = member(header.name);
          const rel = name.slice(prefix.length);
          if (header.type !== 'directory' && name.startsWith(prefix) && rels.has(rel)) each(rel, await hashStream(stream, algorithms));
          else stream.resume();
        }
      } catch (error) {
        throw tarError(error);
      }
    },
    close: async () => undefined,
  };
}

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;

const zipError = (error: unknown): Error => new Error(`zip: ${error instanceof Error ? error.message : String(error)}`);

export async function zipReader(file: string): Promise<BagReader> {
  let zip: yauzl.ZipFile;
  const byName = new Map<string, yauzl.Entry>();
  try {
    // strictFileNames: a backslash is refused rather than turned into a folder separator;
    // yauzl itself refuses absolute names and '..'.
    zip = await new Promise<yauzl.ZipFile>((resolve, reject) =>
      yauzl.open(file, { lazyEntries: true, autoClose: false, strictFileNames: true, validateEntrySizes: true, decodeStrings: true }, (error, z) => (error ? reject(error) : resolve(z))),
    );
  } catch (error) {
    throw zipError(error);
  }
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const name = entry.fileName;
        const unsafe = unsafeMemberName(name);
        if (unsafe) return reject(new Error(`member ${JSON.stringify(name)} ${unsafe}; refused`));
        const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
        const unixMadeBy = entry.versionMadeBy >> 8 === 3;
        if (name.endsWith('/') || (unixMadeBy && mode === S_IFDIR)) return zip.readEntry();
        if (unixMadeBy && mode !== 0 && mode !== S_IFREG) return reject(new Error(`member ${JSON.stringify(name)} is not a regular file (a link or special file); a bag holds regular files only`));
        if (byName.has(name)) return reject(new Error(`member ${JSON.stringify(name)} appears twice`));
        byName.set(name, entry);
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (error) {
    zip.close();
    throw zipError(error);
  }
  const prefix = bagPrefix(byName.keys());
  const entries = new Map([...byName].filter(([n]) => n.startsWith(prefix)).map(([n, e]) => [n.slice(prefix.length), e]));
  const open = async (rel: string): Promise<Readable> => {
    const entry = entries.get(rel);
    if (!entry) throw new Error(`${rel} is not in the archive`);
    try {
      return await new Promise<Readable>((resolve, reject) => zip.openReadStream(entry, (error, stream) => (error ? reject(error) : resolve(stream))));
    } catch (error) {
      throw zipError(new Error(`${rel}: ${error instanceof Error ? error.message : String(error)}`));
    }
  };
  /**
   * A stored entry (what our bags and `zip -0` hold) is hashed straight from the file with
   * 1 MiB reads: yauzl's streams read 16 KiB at a time, which halved verification speed in
   * the bench. yauzl still parses and checks the headers; deflated entries use its stream.
   */
  const digestEntry = async (entry: yauzl.Entry, algorithms: readonly string[], stream: () => Promise<Readable>): Promise<FileDigests> => {
    if (entry.compressionMethod !== 0 || entry.isEncrypted()) return hashStream(await stream(), algorithms);
    if (entry.compressedSize !== entry.uncompressedSize) throw new Error(`stored entry claims ${entry.compressedSize} bytes in the archive but ${entry.uncompressedSize} unpacked`);
    const { fileDataStart } = await new Promise<{ fileDataStart: number }>((resolve, reject) => zip.readLocalFileHeader(entry, { minimal: true }, (error, header) => (error ? reject(error) : resolve(header))));
    const digests = await hashRange(file, algorithms, fileDataStart, entry.compressedSize);
    if (digests.size !== entry.uncompressedSize) throw new Error(`the archive ends inside this entry (${digests.size} of ${entry.uncompressedSize} bytes)`);
    return digests;
  };
  const guard = async <T>(rel: string, work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      throw message.startsWith('zip: ') ? error : zipError(new Error(`${rel}: ${message}`));
    }
  };
  return {
    files: new Map([...entries].map(([n, e]) => [n, e.uncompressedSize])),
    read: (rel) => {
      const size = entries.get(rel)?.uncompressedSize ?? 0;
      if (size > MAX_TAG_FILE_BYTES) return Promise.reject(tooBig(rel, size));
      return guard(rel, async () => readStream(await open(rel), rel));
    },
    digestAll: async (rels, algorithms, each) => {
      for (const [rel, entry] of entries) if (rels.has(rel)) each(rel, await guard(rel, () => digestEntry(entry, algorithms, () => open(rel))));
    },
    close: async () => zip.close(),
  };
}

/** Opens a bag: a folder, or an archive (.zip by its name, anything else as a tar). */
export async function openBag(target: string): Promise<BagReader> {
  const stat = await fs.promises.stat(target);
  if (stat.isDirectory()) return dirReader(target);
  // A FIFO would block the read forever and a device never ends.
  if (!stat.isFile()) throw new Error(`${target} is neither a folder nor a regular file`);
  return /\.zip$/i.test(target) ? zipReader(target) : tarReader(target);
}
