import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { decodeManifestPath } from './bagit';
import { hashRange, type FileDigests } from './digest';
import { readTarIndex } from './tar';
import type { BagVerificationReport, IntegrityFailure } from './types';

export type { BagVerificationReport } from './types';

/** The files of a bag, wherever they are (a directory or a .tar), by bag-relative path. */
interface BagReader {
  readonly files: ReadonlyMap<string, number>;
  read(rel: string): Promise<Buffer>;
  digest(rel: string, algorithms: readonly string[]): Promise<FileDigests>;
}

async function dirReader(root: string): Promise<BagReader> {
  const files = new Map<string, number>();
  const walk = async (dir: string, rel: string): Promise<void> => {
    for (const entry of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const r = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) await walk(path.join(dir, entry.name), r);
      else files.set(r, (await fs.promises.lstat(path.join(dir, entry.name))).size);
    }
  };
  await walk(root, '');
  const abs = (rel: string) => path.join(root, ...rel.split('/'));
  return { files, read: (rel) => fs.promises.readFile(abs(rel)), digest: (rel, algs) => hashRange(abs(rel), algs) };
}

async function tarReader(file: string): Promise<BagReader> {
  const entries = (await readTarIndex(file)).filter((e) => e.type === 'file');
  // A bag in a tar sits in one top-level directory (the bag's name); find it by bagit.txt.
  const marker = entries.find((e) => /^[^/]+\/bagit\.txt$/.test(e.name) || e.name === 'bagit.txt');
  const prefix = marker ? marker.name.slice(0, -'bagit.txt'.length) : '';
  const byRel = new Map<string, { offset: number; size: number }>();
  for (const e of entries) if (e.name.startsWith(prefix)) byRel.set(e.name.slice(prefix.length), { offset: e.offset, size: e.size });
  const files = new Map([...byRel].map(([k, v]) => [k, v.size]));
  const get = (rel: string) => {
    const e = byRel.get(rel);
    if (!e) throw new Error(`${rel} is not in the archive`);
    return e;
  };
  return {
    files,
    read: async (rel) => {
      const e = get(rel);
      const handle = await fs.promises.open(file, 'r');
      try {
        const buf = Buffer.alloc(e.size);
        await handle.read(buf, 0, e.size, e.offset);
        return buf;
      } finally {
        await handle.close();
      }
    },
    digest: (rel, algs) => {
      const e = get(rel);
      return hashRange(file, algs, e.offset, e.size);
    },
  };
}

/** The 8-byte values of a zip64 extended information extra field (tag 1), if present. */
function zip64Values(extra: Buffer): number[] {
  for (let q = 0; q + 4 <= extra.length; ) {
    const tag = extra.readUInt16LE(q);
    const length = extra.readUInt16LE(q + 2);
    if (tag === 0x0001) {
      const values: number[] = [];
      for (let v = q + 4; v + 8 <= q + 4 + length && v + 8 <= extra.length; v += 8) values.push(Number(extra.readBigUInt64LE(v)));
      return values;
    }
    q += 4 + length;
  }
  return [];
}

/** Reads a zip's central directory (zip64 too); stored and deflated entries are supported. */
async function zipReader(file: string): Promise<BagReader> {
  const handle = await fs.promises.open(file, 'r');
  const entries = new Map<string, { offset: number; compressed: number; size: number; method: number }>();
  try {
    const { size: total } = await handle.stat();
    const tailLength = Math.min(total, 22 + 0xffff);
    const tail = Buffer.alloc(tailLength);
    await handle.read(tail, 0, tailLength, total - tailLength);
    const eocd = tail.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    if (eocd === -1) throw new Error('not a zip file (no end of central directory)');
    let count = tail.readUInt16LE(eocd + 10);
    let cdSize = tail.readUInt32LE(eocd + 12);
    let cdOffset = tail.readUInt32LE(eocd + 16);
    // Zip64: the locator sits right before the classic record and points at the zip64 one.
    if (eocd >= 20 && tail.readUInt32LE(eocd - 20) === 0x07064b50) {
      const record = Buffer.alloc(56);
      await handle.read(record, 0, 56, Number(tail.readBigUInt64LE(eocd - 20 + 8)));
      if (record.readUInt32LE(0) !== 0x06064b50) throw new Error('bad zip64 end of central directory');
      count = Number(record.readBigUInt64LE(32));
      cdSize = Number(record.readBigUInt64LE(40));
      cdOffset = Number(record.readBigUInt64LE(48));
    }
    // Checked before allocating: a hostile archive must not make us reserve gigabytes.
    const directoryEnd = total - tailLength + eocd;
    if (cdOffset + cdSize > directoryEnd || count * 46 > cdSize) throw new Error('bad zip central directory (its size or place does not fit the file)');
    const cd = Buffer.alloc(cdSize);
    if ((await handle.read(cd, 0, cdSize, cdOffset)).bytesRead !== cdSize) throw new Error('bad zip central directory (the file ends inside it)');
    let p = 0;
    const local = Buffer.alloc(30);
    for (let i = 0; i < count; i++) {
      if (p + 46 > cd.length || cd.readUInt32LE(p) !== 0x02014b50) throw new Error('bad zip central directory');
      const method = cd.readUInt16LE(p + 10);
      let compressed = cd.readUInt32LE(p + 20);
      let size = cd.readUInt32LE(p + 24);
      const nameLength = cd.readUInt16LE(p + 28);
      const extraLength = cd.readUInt16LE(p + 30);
      const commentLength = cd.readUInt16LE(p + 32);
      let headerOffset = cd.readUInt32LE(p + 42);
      const name = cd.subarray(p + 46, p + 46 + nameLength).toString('utf8');
      // Fields at 0xFFFFFFFF are in the zip64 extra, in the order size, compressed, offset.
      const big = [size, compressed, headerOffset].map((v) => v === 0xffffffff);
      if (big.some(Boolean)) {
        const values = zip64Values(cd.subarray(p + 46 + nameLength, p + 46 + nameLength + extraLength));
        if (big[0]) size = values.shift() ?? size;
        if (big[1]) compressed = values.shift() ?? compressed;
        if (big[2]) headerOffset = values.shift() ?? headerOffset;
      }
      p += 46 + nameLength + extraLength + commentLength;
      if (name.endsWith('/')) continue;
      const { bytesRead } = await handle.read(local, 0, 30, headerOffset);
      if (bytesRead !== 30 || local.readUInt32LE(0) !== 0x04034b50) throw new Error(`${name}: bad zip local header`);
      const offset = headerOffset + 30 + local.readUInt16LE(26) + local.readUInt16LE(28);
      entries.set(name, { offset, compressed, size, method });
    }
  } finally {
    await handle.close();
  }
  const names = [...entries.keys()];
  const marker = names.find((n) => /^[^/]+\/bagit\.txt$/.test(n) || n === 'bagit.txt');
  const prefix = marker ? marker.slice(0, -'bagit.txt'.length) : '';
  const get = (rel: string) => {
    const e = entries.get(prefix + rel);
    if (!e) throw new Error(`${rel} is not in the archive`);
    if (e.method !== 0 && e.method !== 8) throw new Error(`${rel}: zip compression method ${e.method} is not supported`);
    return e;
  };
  const stream = (rel: string): NodeJS.ReadableStream => {
    const e = get(rel);
    const raw = fs.createReadStream(file, { start: e.offset, end: e.offset + e.compressed - 1, highWaterMark: 1 << 20 });
    return e.method === 8 ? raw.pipe(zlib.createInflateRaw()) : raw;
  };
  const digest = async (rel: string, algs: readonly string[]): Promise<FileDigests> => {
    const hashes = algs.map((a) => crypto.createHash(a));
    let size = 0;
    for await (const chunk of stream(rel) as AsyncIterable<Buffer>) {
      size += chunk.length;
      for (const h of hashes) h.update(chunk);
    }
    return { size, digests: Object.fromEntries(algs.map((a, i) => [a, hashes[i]!.digest('hex')])) };
  };
  const files = new Map(names.filter((n) => n.startsWith(prefix)).map((n) => [n.slice(prefix.length), entries.get(n)!.size]));
  return {
    files,
    read: async (rel) => {
      const parts: Buffer[] = [];
      for await (const chunk of stream(rel) as AsyncIterable<Buffer>) parts.push(chunk);
      return Buffer.concat(parts);
    },
    digest,
  };
}

interface ManifestParse {
  readonly entries: Map<string, string>;
  readonly failures: IntegrityFailure[];
}

function parseManifest(name: string, text: string, payload: boolean): ManifestParse {
  const entries = new Map<string, string>();
  const failures: IntegrityFailure[] = [];
  for (const [index, line] of text.split(/\r\n|\n|\r/).entries()) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (!m) {
      failures.push({ file: name, kind: 'format', message: `line ${index + 1} is not "<checksum> <path>"` });
      continue;
    }
    const rel = decodeManifestPath(m[2]!.replace(/^\*/, ''));
    const segments = rel.split('/');
    if (rel.startsWith('/') || segments.includes('..') || (payload && segments[0] !== 'data')) {
      failures.push({ file: name, kind: 'format', message: `line ${index + 1}: path ${JSON.stringify(rel)} is not ${payload ? 'inside data/' : 'a relative path in the bag'}` });
      continue;
    }
    entries.set(rel, m[1]!.toLowerCase());
  }
  return { entries, failures };
}

export function parseBagInfo(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let last: { key: string; index: number } | undefined;
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (/^[ \t]/.test(line) && last) {
      const values = out[last.key]!;
      values[last.index] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    (out[key] ??= []).push(line.slice(colon + 1).trim());
    last = { key, index: out[key]!.length - 1 };
  }
  return out;
}


const KNOWN_ALGORITHMS = new Set(['md5', 'sha1', 'sha256', 'sha512']);

/**
 * Validates a bag (directory, .tar or .zip) per RFC 8493: bagit.txt, every payload manifest
 * entry, no payload file missing from or extra to any manifest, Payload-Oxum, and every
 * tag manifest entry. Returns every failure, each naming its file.
 */
export async function verifyBag(target: string): Promise<BagVerificationReport> {
  const failures: IntegrityFailure[] = [];
  const stat = await fs.promises.stat(target);
  let reader: BagReader;
  try {
    reader = stat.isDirectory() ? await dirReader(target) : /\.zip$/i.test(target) ? await zipReader(target) : await tarReader(target);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, target, filesChecked: 0, bytesChecked: 0, failures: [{ file: path.basename(target), kind: 'format', message: `cannot read the bag: ${message}` }], bagInfo: {}, algorithms: [] };
  }
  let bytesChecked = 0;
  let filesChecked = 0;
  const finish = (bagInfo: Record<string, string[]> = {}, algorithms: string[] = []): BagVerificationReport => ({
    ok: failures.length === 0,
    target,
    filesChecked,
    bytesChecked,
    failures,
    bagInfo,
    algorithms,
  });

  if (!reader.files.has('bagit.txt')) {
    failures.push({ file: 'bagit.txt', kind: 'missing', message: 'bagit.txt is missing: this is not a bag' });
    return finish();
  }
  const declaration = (await reader.read('bagit.txt')).toString('utf8');
  if (!/^BagIt-Version: \d+\.\d+\r?\n/m.test(declaration) || !/Tag-File-Character-Encoding: UTF-8/i.test(declaration)) {
    failures.push({ file: 'bagit.txt', kind: 'format', message: 'bagit.txt must declare BagIt-Version and Tag-File-Character-Encoding' });
  }
  const top = [...reader.files.keys()].filter((f) => !f.includes('/'));
  const payloadManifests = top.filter((f) => /^manifest-[a-z0-9]+\.txt$/.test(f));
  const tagManifests = top.filter((f) => /^tagmanifest-[a-z0-9]+\.txt$/.test(f));
  if (payloadManifests.length === 0) failures.push({ file: 'manifest-sha256.txt', kind: 'missing', message: 'no payload manifest' });
  if (reader.files.has('fetch.txt')) failures.push({ file: 'fetch.txt', kind: 'format', message: 'fetch.txt is present: remote payload is not verified here' });

  const expected = new Map<string, Map<string, string>>();
  for (const name of payloadManifests) {
    const alg = name.slice('manifest-'.length, -'.txt'.length);
    if (!KNOWN_ALGORITHMS.has(alg)) {
      failures.push({ file: name, kind: 'format', message: `unsupported algorithm ${alg}` });
      continue;
    }
    const parsed = parseManifest(name, (await reader.read(name)).toString('utf8'), true);
    failures.push(...parsed.failures);
    expected.set(alg, parsed.entries);
  }
  const algorithms = [...expected.keys()];
  const payload = [...reader.files.keys()].filter((f) => f.startsWith('data/')).sort();
  let octets = 0;
  for (const rel of payload) {
    const digests = await reader.digest(rel, algorithms);
    filesChecked++;
    bytesChecked += digests.size;
    octets += digests.size;
    for (const alg of algorithms) {
      const want = expected.get(alg)!.get(rel);
      if (want === undefined) failures.push({ file: rel, kind: 'extra', message: `payload file is not listed in manifest-${alg}.txt`, algorithm: alg });
      else if (want !== digests.digests[alg]) failures.push({ file: rel, kind: 'checksum', message: `${alg} does not match manifest-${alg}.txt`, algorithm: alg, expected: want, actual: digests.digests[alg] ?? '' });
    }
  }
  const present = new Set(payload);
  for (const [alg, entries] of expected) {
    for (const rel of entries.keys()) if (!present.has(rel)) failures.push({ file: rel, kind: 'missing', message: `listed in manifest-${alg}.txt but not in the bag`, algorithm: alg });
  }

  let bagInfo: Record<string, string[]> = {};
  if (reader.files.has('bag-info.txt')) {
    bagInfo = parseBagInfo((await reader.read('bag-info.txt')).toString('utf8'));
    const oxum = bagInfo['Payload-Oxum']?.[0];
    if (oxum !== undefined) {
      const actual = `${octets}.${payload.length}`;
      if (oxum !== actual) failures.push({ file: 'bag-info.txt', kind: 'oxum', message: `Payload-Oxum is ${oxum}, the payload is ${actual}`, expected: oxum, actual });
    }
  }

  for (const name of tagManifests) {
    const alg = name.slice('tagmanifest-'.length, -'.txt'.length);
    if (!KNOWN_ALGORITHMS.has(alg)) {
      failures.push({ file: name, kind: 'format', message: `unsupported algorithm ${alg}` });
      continue;
    }
    const parsed = parseManifest(name, (await reader.read(name)).toString('utf8'), false);
    failures.push(...parsed.failures);
    for (const [rel, want] of parsed.entries) {
      if (!reader.files.has(rel)) {
        failures.push({ file: rel, kind: 'missing', message: `listed in ${name} but not in the bag`, algorithm: alg });
        continue;
      }
      const digests = await reader.digest(rel, [alg]);
      filesChecked++;
      bytesChecked += digests.size;
      if (digests.digests[alg] !== want) failures.push({ file: rel, kind: 'checksum', message: `${alg} does not match ${name}`, algorithm: alg, expected: want, actual: digests.digests[alg] ?? '' });
    }
  }
  return finish(bagInfo, algorithms);
}
