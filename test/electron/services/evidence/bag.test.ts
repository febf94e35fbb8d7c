import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyBag } from '../../../../electron/services/evidence/bag-verify';
import { decodeManifestPath, encodeManifestPath } from '../../../../electron/services/evidence/bagit';
import { ZipWriter } from '../../../../electron/services/evidence/zip';
import { pyVerify } from '../../../support/bagit-py';
import { harness, write, type Harness } from './helpers';

/** Every file under `dir`, relative, with '/' separators. */
const listTree = (dir: string, rel = ''): string[] =>
  fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? listTree(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));


describe('BagIt export and verification', () => {
  let h: Harness;
  beforeEach(async () => {
    h = harness();
    write(path.join(h.src, 'logs/main.log'), 'main\n'.repeat(1000));
    write(path.join(h.src, 'logs/100%\ncrazy\rname.log'), 'odd name\n');
    write(path.join(h.src, 'logs/' + 'd'.repeat(120) + '/' + 'e'.repeat(120) + '.log'), 'long path\n');
    write(path.join(h.src, 'logs/日本語.log'), 'ログ\n');
    await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'logs/**/*.log')] });
    await h.evidence.storeTranscript(h.incidentId, { name: 'step-1.txt', data: '$ df -h\n/dev/vda 100%\n', producer: 'runbook:disk-full/1' });
  });
  afterEach(() => h.cleanup());

  it.each(['dir', 'tar', 'zip'] as const)('exports a %s bag that we and an independent checker accept', async (format) => {
    const out = path.join(h.dir, format === 'dir' ? 'bag' : `bag.${format}`);
    const result = await h.archive.exportBag(h.incidentId, { out, format, sourceOrganization: 'Example SRE' }, 'tester@host');
    expect(result.warnings).toEqual([]);
    expect(result.files).toBe(4 + 5); // incident, timeline json+csv, artifacts.json + 5 artifacts
    expect((await verifyBag(out)).failures).toEqual([]);
    expect(pyVerify(out)).toBe(`VALID ${result.files} files`);
    const exported = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.exported');
    expect(exported[0]!.data).toMatchObject({ format, payloadOxum: result.payloadOxum, tagManifestSha256: result.tagManifestSha256 });
  });

  it('accepts a bag zipped (deflated) by another tool', async () => {
    const out = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out }, 'tester@host');
    const zip = path.join(h.dir, 'other.zip');
    execFileSync('python3', ['-c', 'import shutil,sys; shutil.make_archive(sys.argv[1][:-4], "zip", sys.argv[2], "bag")', zip, h.dir]);
    expect((await verifyBag(zip)).failures).toEqual([]);
  });

  it('writes zip64 where the classic fields do not reach, and both checkers read it', async () => {
    // The limits lowered so that every entry, offset and the entry count need zip64 (real
    // bags get there past 4 GiB or 65,535 files).
    const out = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out }, 'tester@host');
    const zip = path.join(h.dir, 'bag64.zip');
    const writer = await ZipWriter.create(zip, { zip64At: 100, maxClassicEntries: 3 });
    const files = listTree(out);
    for (const rel of files) {
      const file = path.join(out, rel);
      const st = fs.statSync(file);
      if (st.size < 400) await writer.addBuffer(`bag/${rel}`, fs.readFileSync(file), st.mtimeMs);
      else await writer.addFile(`bag/${rel}`, file, st.size, st.mtimeMs, ['sha256']);
    }
    await writer.close();
    const bytes = fs.readFileSync(zip);
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x06]))).toBe(true); // zip64 end of central directory
    expect(bytes.includes(Buffer.from([0x50, 0x4b, 0x06, 0x07]))).toBe(true); // and its locator
    expect((await verifyBag(zip)).failures).toEqual([]);
    expect(pyVerify(zip)).toBe(`VALID ${files.filter((f) => f.startsWith('data/')).length} files`);
    // Python's own member check (CRC-32 of every entry) passes too.
    expect(execFileSync('python3', ['-c', 'import sys, zipfile; print(zipfile.ZipFile(sys.argv[1]).testzip())', zip]).toString().trim()).toBe('None');
  });

  it('refuses a zip whose directory claims more entries than the file holds, in one line', async () => {
    const zip = path.join(h.dir, 'bag.zip');
    await h.archive.exportBag(h.incidentId, { out: zip, format: 'zip' }, 'tester@host');
    const bytes = fs.readFileSync(zip);
    const eocd = bytes.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    bytes.writeUInt16LE(0xfffe, eocd + 8); // entries on this disk
    bytes.writeUInt16LE(0xfffe, eocd + 10); // entries in all
    fs.writeFileSync(zip, bytes);
    const report = await verifyBag(zip);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'format', message: expect.stringMatching(/^cannot read the bag: zip: [^\n]+$/) })]);
  });

  it('writes readable names, percent-encodes CR/LF/% and the bag-info fields', async () => {
    const out = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out }, 'tester@host');
    const manifest = fs.readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8');
    // Control characters become '_' in artifact names, and '%' in bag names (bag-names.ts).
    expect(manifest).toContain('100__crazy_name.log');
    expect(encodeManifestPath('a%b\nc\rd')).toBe('a%25b%0Ac%0Dd');
    expect(decodeManifestPath(encodeManifestPath('a%0Ab\n%25'))).toBe('a%0Ab\n%25');
    expect(manifest).toMatch(/data\/evidence\/1-files\/.*\/logs\/main\.log/);
    expect(manifest).toContain('data/timeline.csv');
    const info = fs.readFileSync(path.join(out, 'bag-info.txt'), 'utf8');
    expect(info).toMatch(/^Source-Organization: Firebreak$/m);
    expect(info).toMatch(/^Payload-Oxum: \d+\.9$/m);
    expect(info).toMatch(new RegExp(`^External-Identifier: ${h.incidentId}$`, 'm'));
    expect(info).toMatch(/^Bagging-Date: \d{4}-\d{2}-\d{2}$/m);
    expect(info).toMatch(/^Firebreak-Timeline-Head-Hash: [0-9a-f]{64}$/m);
    const timeline = JSON.parse(fs.readFileSync(path.join(out, 'data/timeline.json'), 'utf8')) as unknown[];
    expect(timeline.length).toBeGreaterThanOrEqual(2);
    const incident = JSON.parse(fs.readFileSync(path.join(out, 'data/incident.json'), 'utf8')) as Record<string, unknown>;
    expect(incident).toMatchObject({ id: h.incidentId, title: 'disk full on api-1', severity: 'high' });
  });

  it('detects a flipped byte, an extra file, a missing file and a wrong Oxum in a directory bag', async () => {
    const out = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out }, 'tester@host');
    const victim = fs.readFileSync(path.join(out, 'manifest-sha256.txt'), 'utf8').split('\n').find((l) => l.endsWith('main.log'))!.split(/\s+/)[1]!;
    const file = path.join(out, victim);
    const bytes = fs.readFileSync(file);
    bytes[10] = bytes[10]! ^ 0x01;
    fs.writeFileSync(file, bytes);
    write(path.join(out, 'data/extra.txt'), 'planted\n');
    fs.rmSync(path.join(out, 'data/timeline.csv'));
    const report = await h.archive.verifyBag(out);
    expect(report.ok).toBe(false);
    const summary = report.failures.map((f) => `${f.kind}:${f.file}`);
    expect(summary).toContain(`checksum:${victim}`);
    expect(summary).toContain('extra:data/extra.txt');
    expect(summary).toContain('missing:data/timeline.csv');
    expect(summary).toContain('oxum:bag-info.txt');
    expect(() => pyVerify(out)).toThrow();
    const verified = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.verified').at(-1)!;
    expect(verified.data).toMatchObject({ target: 'bag', ok: false });
  });

  it('detects a flipped byte inside a .tar bag and a changed tag file', async () => {
    const out = path.join(h.dir, 'bag.tar');
    await h.archive.exportBag(h.incidentId, { out, format: 'tar' }, 'tester@host');
    // Where each member's bytes start, as Python's tarfile sees it.
    const entries = JSON.parse(execFileSync('python3', ['-c', 'import json, sys, tarfile; print(json.dumps([{"name": m.name, "offset": m.offset_data} for m in tarfile.open(sys.argv[1])]))', out]).toString()) as Array<{ name: string; offset: number }>;
    const entry = entries.find((e) => e.name.endsWith('main.log'))!;
    const info = entries.find((e) => e.name.endsWith('/bag-info.txt'))!;
    const fd = fs.openSync(out, 'r+');
    const one = Buffer.alloc(1);
    fs.readSync(fd, one, 0, 1, entry.offset + 3);
    one[0]! ^= 0x20;
    fs.writeSync(fd, one, 0, 1, entry.offset + 3);
    fs.readSync(fd, one, 0, 1, info.offset);
    one[0]! ^= 0x20;
    fs.writeSync(fd, one, 0, 1, info.offset);
    fs.closeSync(fd);
    const report = await verifyBag(out);
    // The payload file fails its manifest and the hash its capture entry recorded.
    const rel = entry.name.slice('bag/'.length);
    expect([...new Set(report.failures.map((f) => `${f.kind}:${f.file}`))].sort()).toEqual(['checksum:bag-info.txt', `checksum:${rel}`, `custody:${rel}`].sort());
  });

  it('verifies the live store against the recorded hashes and custody entries, and finds a flipped byte', async () => {
    const ok = await h.archive.verifyStore(h.incidentId);
    expect(ok).toMatchObject({ ok: true, failures: [] });
    expect(ok.filesChecked).toBe(5);
    const a = h.evidence.listArtifacts(h.incidentId).find((x) => x.name.endsWith('main.log'))!;
    const blob = h.evidence.blobPath(a)!;
    fs.chmodSync(blob, 0o644);
    const bytes = fs.readFileSync(blob);
    bytes[0] = bytes[0]! ^ 0xff;
    fs.writeFileSync(blob, bytes);
    const bad = await h.archive.verifyStore(h.incidentId);
    expect(bad.ok).toBe(false);
    expect(bad.failures).toEqual([expect.objectContaining({ kind: 'checksum', file: blob, artifactId: a.id, expected: a.sha256 })]);
    // Export still works, but says which artifact no longer matches its collection hash.
    const result = await h.archive.exportBag(h.incidentId, { out: path.join(h.dir, 'bag') }, 'tester@host');
    expect(result.warnings).toEqual([expect.objectContaining({ kind: 'checksum', artifactId: a.id })]);
    const kinds = h.timeline.list(h.incidentId).map((e) => e.kind);
    expect(kinds.filter((k) => k === 'evidence.verified')).toHaveLength(2);
  });

  it('previews and searches a text artifact, logging the view', async () => {
    const a = h.evidence.listArtifacts(h.incidentId).find((x) => x.name.endsWith('main.log'))!;
    const chunk = await h.archive.readArtifact(a.id, { length: 10 });
    expect(chunk).toMatchObject({ content: 'main\nmain\n', encoding: 'utf8', eof: false, totalSize: 5000 });
    const t = h.evidence.listArtifacts(h.incidentId).find((x) => x.kind === 'transcript')!;
    const found = await h.archive.searchArtifact(t.id, '100%');
    expect(found.matches).toEqual([{ line: 2, offset: 8, text: '/dev/vda 100%' }]);
    expect(h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.viewed')).toHaveLength(2);
  });
});
