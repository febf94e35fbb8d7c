// Bag export and verification benchmark: 512 MiB as one file plus 4,000 files of 64 KiB.
//   export: Firebreak's own tar and zip writers (which hash in the same read) against
//           tar-stream's pack and yazl writing the same files with the same hashing;
//   verify: bag verification of a folder, a .tar and a .zip (tar-stream and yauzl readers)
//           against the floor of reading and hashing the same payload (sha256 + sha512).
// With BAG_BENCH_OLD_VERIFY=<path to an older bag-verify.ts> the older verifier runs on the
// same archives in the same run (how the readers that came before the libraries compare).
// Data lives in os.tmpdir() and is deleted afterwards.
import { once } from 'node:events';
import crypto from 'node:crypto';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import * as tarStream from 'tar-stream';
import * as yazl from 'yazl';
import { systemClock } from '../../electron/services/clock';
import { MIGRATIONS } from '../../electron/services/db/migrations';
import { openDatabase } from '../../electron/services/db/open';
import { EvidenceArchive } from '../../electron/services/evidence/archive';
import { verifyBag } from '../../electron/services/evidence/bag-verify';
import { hashRange } from '../../electron/services/evidence/digest';
import { EvidenceService } from '../../electron/services/evidence/service';
import { TarWriter } from '../../electron/services/evidence/tar';
import { ZipWriter } from '../../electron/services/evidence/zip';
import { TimelineService } from '../../electron/services/timeline';

const MiB = 1024 ** 2;
const BIG = 512 * MiB;
const SMALL_FILES = 4000;
const SMALL = 64 * 1024;
const REPEATS = 2;
const ALGS = ['sha256', 'sha512'] as const;

function generate(root: string): void {
  const block = crypto.randomBytes(MiB);
  const fd = fs.openSync(path.join(root, 'big.log'), 'w');
  for (let i = 0; i < BIG / MiB; i++) {
    block.writeUInt32LE(i, 0);
    fs.writeSync(fd, block);
  }
  fs.closeSync(fd);
  for (let i = 0; i < SMALL_FILES; i++) {
    const dir = path.join(root, 'small', `d${i % 40}`);
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `f${i}.log`), block.subarray(i % 1000, (i % 1000) + SMALL));
  }
  execSync('sync');
}

const listFiles = (dir: string, rel = ''): string[] =>
  fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listFiles(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));

async function timed(fn: () => Promise<unknown>): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let i = 0; i < REPEATS; i++) {
    execSync('sync');
    const start = performance.now();
    await fn();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/** A pass-through that hashes what flows through it, as the writers hash in the read. */
const hashing = () => {
  const hashes = ALGS.map((a) => crypto.createHash(a));
  return new Transform({
    transform(chunk: Buffer, _enc, done) {
      for (const h of hashes) h.update(chunk);
      done(null, chunk);
    },
    flush(done) {
      for (const h of hashes) h.digest('hex');
      done();
    },
  });
};

const fsyncFile = (file: string) => {
  const fd = fs.openSync(file, 'r');
  fs.fsyncSync(fd);
  fs.closeSync(fd);
};

async function ours(kind: 'tar' | 'zip', bag: string, files: string[], out: string): Promise<void> {
  fs.rmSync(out, { force: true });
  const writer = kind === 'tar' ? await TarWriter.create(out) : await ZipWriter.create(out);
  for (const rel of files) {
    const src = path.join(bag, rel);
    await writer.addFile(`bag/${rel}`, src, fs.statSync(src).size, 0, ALGS);
  }
  await writer.close();
}

async function tarStreamPack(bag: string, files: string[], out: string): Promise<void> {
  fs.rmSync(out, { force: true });
  const pack = tarStream.pack();
  const written = pipeline(pack, fs.createWriteStream(out));
  for (const rel of files) {
    const src = path.join(bag, rel);
    const entry = pack.entry({ name: `bag/${rel}`, size: fs.statSync(src).size, mtime: new Date(0) });
    await pipeline(fs.createReadStream(src, { highWaterMark: MiB }), hashing(), entry);
  }
  pack.finalize();
  await written;
  fsyncFile(out);
}

async function yazlZip(bag: string, files: string[], out: string): Promise<void> {
  fs.rmSync(out, { force: true });
  const zip = new yazl.ZipFile();
  const sink = fs.createWriteStream(out);
  zip.outputStream.pipe(sink);
  for (const rel of files) {
    const src = path.join(bag, rel);
    const through = new PassThrough();
    fs.createReadStream(src, { highWaterMark: MiB }).pipe(hashing()).pipe(through);
    zip.addReadStream(through, `bag/${rel}`, { compress: false, mtime: new Date(0), size: fs.statSync(src).size });
  }
  zip.end();
  await once(sink, 'close');
  fsyncFile(out);
}

async function hashFloor(bag: string, files: string[]): Promise<void> {
  for (const rel of files) if (rel.startsWith('data/')) await hashRange(path.join(bag, rel), ALGS);
}

export async function runBagBench(): Promise<Record<string, unknown>> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-bench-bag-'));
  try {
    const src = path.join(work, 'src');
    fs.mkdirSync(src);
    generate(src);
    const home = path.join(work, 'home');
    const db = openDatabase(path.join(home, 'firebreak.db'), { migrations: MIGRATIONS });
    const identity = { actor: 'bench', host: os.hostname() };
    const timeline = new TimelineService(db, systemClock, identity);
    const evidence = new EvidenceService({ db, timeline, clock: systemClock, identity, home });
    const archive = new EvidenceArchive(evidence, timeline);
    const now = new Date().toISOString();
    const incidentId = Number(db.prepare(`INSERT INTO incidents (title, severity, status, detected_at, created_at, updated_at) VALUES ('bench', 'low', 'detected', ?, ?, ?)`).run(now, now, now).lastInsertRowid);
    await evidence.collectFiles(incidentId, { paths: [src], maxBytes: 2 * BIG });
    const bag = path.join(work, 'bag');
    await archive.exportBag(incidentId, { out: bag }, 'bench');
    db.close();
    const files = listFiles(bag);
    const bytes = files.reduce((n, f) => n + fs.statSync(path.join(bag, f)).size, 0);

    const exportMs = {
      firebreakTar: await timed(() => ours('tar', bag, files, path.join(work, 'ours.tar'))),
      tarStreamPack: await timed(() => tarStreamPack(bag, files, path.join(work, 'lib.tar'))),
      firebreakZip: await timed(() => ours('zip', bag, files, path.join(work, 'ours.zip'))),
      yazl: await timed(() => yazlZip(bag, files, path.join(work, 'lib.zip'))),
    };
    const verify = async (target: string) => {
      const report = await verifyBag(target);
      if (!report.ok) throw new Error(`${target}: ${JSON.stringify(report.failures.slice(0, 3))}`);
    };
    const verifyMs: Record<string, number> = {
      hashFloor: await timed(() => hashFloor(bag, files)),
      folder: await timed(() => verify(bag)),
      tar: await timed(() => verify(path.join(work, 'ours.tar'))),
      zip: await timed(() => verify(path.join(work, 'ours.zip'))),
      tarFromTarStream: await timed(() => verify(path.join(work, 'lib.tar'))),
      zipFromYazl: await timed(() => verify(path.join(work, 'lib.zip'))),
    };
    const old = process.env.BAG_BENCH_OLD_VERIFY;
    if (old) {
      const { verifyBag: oldVerify } = (await import(path.resolve(old))) as { verifyBag: typeof verifyBag };
      const check = async (target: string) => {
        const report = await oldVerify(target);
        if (!report.ok) throw new Error(`old verifier, ${target}: ${JSON.stringify(report.failures.slice(0, 3))}`);
      };
      verifyMs.oldReadersTar = await timed(() => check(path.join(work, 'ours.tar')));
      verifyMs.oldReadersZip = await timed(() => check(path.join(work, 'ours.zip')));
    }
    const rate = (ms: number) => Math.round((bytes / MiB / (ms / 1000)) * 10) / 10;
    return {
      data: { files: files.length, bytes, bigFileMiB: BIG / MiB, smallFiles: SMALL_FILES, smallFileKiB: SMALL / 1024 },
      repeats: `best of ${REPEATS}`,
      exportMs: Object.fromEntries(Object.entries(exportMs).map(([k, v]) => [k, Math.round(v)])),
      exportMiBps: Object.fromEntries(Object.entries(exportMs).map(([k, v]) => [k, rate(v)])),
      verifyMs: Object.fromEntries(Object.entries(verifyMs).map(([k, v]) => [k, Math.round(v)])),
      verifyMiBps: Object.fromEntries(Object.entries(verifyMs).map(([k, v]) => [k, rate(v)])),
      ratios: {
        tarStreamVsOurTar: Math.round((exportMs.tarStreamPack / exportMs.firebreakTar) * 100) / 100,
        yazlVsOurZip: Math.round((exportMs.yazl / exportMs.firebreakZip) * 100) / 100,
        verifyTarVsHashFloor: Math.round((verifyMs.tar! / verifyMs.hashFloor!) * 100) / 100,
        verifyZipVsHashFloor: Math.round((verifyMs.zip! / verifyMs.hashFloor!) * 100) / 100,
      },
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
