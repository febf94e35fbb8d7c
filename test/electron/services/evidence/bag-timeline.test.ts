import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { verifyBag } from '../../../../electron/services/evidence/bag-verify';
import { entryHash } from '../../../../electron/services/timeline';
import type { TimelineEntry } from '../../../../shared/domain';
import { pyValidate } from '../../../support/bagit-py';
import { harness, write, type Harness } from './helpers';

// A bag whose manifests were all recomputed after an edit is still caught: the timeline
// chain inside the bag, the capture hashes in that chain, the head in bag-info.txt, and the
// heads this profile recorded at export.

const files = (dir: string, rel = ''): string[] =>
  fs.readdirSync(path.join(dir, rel), { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(dir, path.posix.join(rel, e.name)) : [path.posix.join(rel, e.name)]));

const hex = (alg: string, data: Buffer) => crypto.createHash(alg).update(data).digest('hex');

/** What a forger does after editing the payload: every manifest, the Oxum and the tag manifest recomputed. */
function rehash(bag: string, info: (text: string) => string = (t) => t): void {
  const payload = files(bag).filter((f) => f.startsWith('data/')).sort();
  let octets = 0;
  for (const alg of ['sha256', 'sha512']) {
    const lines = payload.map((f) => `${hex(alg, fs.readFileSync(path.join(bag, f)))}  ${f}\n`);
    fs.writeFileSync(path.join(bag, `manifest-${alg}.txt`), lines.join(''));
  }
  for (const f of payload) octets += fs.statSync(path.join(bag, f)).size;
  const infoFile = path.join(bag, 'bag-info.txt');
  fs.writeFileSync(infoFile, info(fs.readFileSync(infoFile, 'utf8').replace(/^Payload-Oxum: .*$/m, `Payload-Oxum: ${octets}.${payload.length}`)));
  const tags = ['bagit.txt', 'bag-info.txt', 'manifest-sha256.txt', 'manifest-sha512.txt'];
  fs.writeFileSync(path.join(bag, 'tagmanifest-sha256.txt'), tags.map((t) => `${hex('sha256', fs.readFileSync(path.join(bag, t)))}  ${t}\n`).join(''));
}

const readTimeline = (bag: string) => JSON.parse(fs.readFileSync(path.join(bag, 'data/timeline.json'), 'utf8')) as TimelineEntry[];
const writeTimeline = (bag: string, entries: TimelineEntry[]) => fs.writeFileSync(path.join(bag, 'data/timeline.json'), JSON.stringify(entries, null, 2) + '\n');

/** A forger who also knows the chain's rule: every hash from `from` on recomputed. */
function rechain(entries: TimelineEntry[]): TimelineEntry[] {
  let prev = '0'.repeat(64);
  return entries.map((e) => {
    const { id: _id, prevHash: _p, hash: _h, ...body } = e;
    const next = { ...e, prevHash: prev, hash: entryHash(prev, body) };
    prev = next.hash;
    return next;
  });
}

const summary = (failures: readonly { kind: string; file: string; message: string }[]) => failures.map((f) => `${f.kind}:${f.file}: ${f.message}`);

describe('a re-hashed bag does not pass', () => {
  let h: Harness;
  let bag: string;
  beforeEach(async () => {
    h = harness();
    write(path.join(h.src, 'logs/app.log'), 'request 1 ok\nrequest 2 failed\n');
    write(path.join(h.src, 'logs/empty.log'), '');
    h.timeline.append({ incidentId: h.incidentId, kind: 'note', data: { text: 'restarted api-1 at 10:02' } });
    await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'logs')] });
    h.timeline.append({ incidentId: h.incidentId, kind: 'note', data: { text: 'disk freed, watching' } });
    bag = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out: bag }, 'tester@host');
  });
  afterEach(() => h.cleanup());

  it('an untouched bag passes, with its chain summarised; the export printed the same head', async () => {
    const report = await h.archive.verifyBag(bag);
    expect(report.failures).toEqual([]);
    const entries = readTimeline(bag);
    expect(report.timeline).toEqual({ entries: entries.length, firstHash: entries[0]!.hash, firstAt: entries[0]!.at, headHash: entries.at(-1)!.hash });
    const exported = h.timeline.list(h.incidentId).find((e) => e.kind === 'evidence.exported')!;
    expect(exported.data.timelineHead).toEqual({ seq: entries.length, hash: entries.at(-1)!.hash });
    expect(fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8')).toContain(`Firebreak-Timeline-Head-Hash: ${entries.at(-1)!.hash}\n`);
  });

  it('fails when a note in data/timeline.json is edited and every manifest recomputed', async () => {
    const entries = readTimeline(bag);
    const note = entries.find((e) => e.kind === 'note')!;
    (note.data as { text: string }).text = 'restarted api-2 at 10:02';
    writeTimeline(bag, entries);
    rehash(bag);
    expect(pyValidate(bag).ok).toBe(true); // a plain BagIt validator cannot see it
    const report = await verifyBag(bag);
    expect(report.ok).toBe(false);
    expect(summary(report.failures)).toContain(`custody:data/timeline.json: entry ${note.seq}: content does not match its hash (the entry was changed after it was written)`);
  });

  it('fails when the forger also recomputes the chain and bag-info.txt: the head is not on the live timeline', async () => {
    const entries = readTimeline(bag);
    (entries.find((e) => e.kind === 'note')!.data as { text: string }).text = 'restarted api-2 at 10:02';
    const forged = rechain(entries);
    writeTimeline(bag, forged);
    const { timelineCsv } = await import('../../../../electron/services/evidence/bagit');
    fs.writeFileSync(path.join(bag, 'data/timeline.csv'), timelineCsv(forged));
    rehash(bag, (t) => t.replace(/^Firebreak-Timeline-Head-Hash: .*$/m, `Firebreak-Timeline-Head-Hash: ${forged.at(-1)!.hash}`));
    expect((await verifyBag(bag)).failures).toEqual([]); // the bag alone is consistent…
    const report = await h.archive.verifyBag(bag); // …but its head is not on this profile's chain
    expect(report.ok).toBe(false);
    expect(summary(report.failures)).toEqual([expect.stringMatching(/not on this profile's timeline of incident/)]);
  });

  it('fails when an evidence file gets a same-size edit and every manifest is recomputed', async () => {
    const listing = JSON.parse(fs.readFileSync(path.join(bag, 'data/evidence/artifacts.json'), 'utf8')) as Array<{ id: number; name: string; bagPath: string | null; sha256: string }>;
    const app = listing.find((a) => a.name.endsWith('app.log'))!;
    const file = path.join(bag, ...app.bagPath!.split('/'));
    const before = fs.readFileSync(file);
    fs.writeFileSync(file, before.toString().replace('failed', 'worked'));
    expect(fs.statSync(file).size).toBe(before.length);
    rehash(bag);
    expect(pyValidate(bag).ok).toBe(true);
    const report = await verifyBag(bag);
    expect(report.ok).toBe(false);
    expect(report.failures).toEqual([expect.objectContaining({ kind: 'custody', file: app.bagPath, artifactId: app.id, expected: app.sha256 })]);
    // Also when the forger edits artifacts.json to match: the chain still holds the capture hash.
    const edited = listing.map((a) => (a.id === app.id ? { ...a, sha256: hex('sha256', fs.readFileSync(file)) } : a));
    fs.writeFileSync(path.join(bag, 'data/evidence/artifacts.json'), JSON.stringify(edited, null, 2) + '\n');
    rehash(bag);
    expect((await verifyBag(bag)).failures).toEqual([expect.objectContaining({ kind: 'custody', file: app.bagPath, expected: app.sha256 })]);
  });

  it('fails when the last timeline entry is deleted and every manifest recomputed', async () => {
    const entries = readTimeline(bag);
    writeTimeline(bag, entries.slice(0, -1));
    rehash(bag);
    expect(pyValidate(bag).ok).toBe(true);
    const report = await verifyBag(bag);
    expect(report.ok).toBe(false);
    expect(summary(report.failures).join('\n')).toMatch(new RegExp(`the timeline ends at entry ${entries.length - 1} .*bag-info.txt says entry ${entries.length} .*entries were removed`));
  });

  it('fails when the last entry is deleted and bag-info.txt rewritten too: no export recorded that head', async () => {
    const entries = readTimeline(bag).slice(0, -1);
    writeTimeline(bag, entries);
    // The CSV is rebuilt as the exporter would, so only the head can give it away.
    const { timelineCsv } = await import('../../../../electron/services/evidence/bagit');
    fs.writeFileSync(path.join(bag, 'data/timeline.csv'), timelineCsv(entries));
    rehash(bag, (t) => t.replace(/^Firebreak-Timeline-Head-Hash: .*$/m, `Firebreak-Timeline-Head-Hash: ${entries.at(-1)!.hash}`).replace(/^Firebreak-Timeline-Entries: .*$/m, `Firebreak-Timeline-Entries: ${entries.length}`));
    expect((await verifyBag(bag)).failures).toEqual([]); // the bag alone is consistent…
    const report = await h.archive.verifyBag(bag); // …but this profile exported a longer chain
    expect(report.ok).toBe(false);
    expect(summary(report.failures).join('\n')).toMatch(new RegExp(`ends at entry ${entries.length} .*no export of incident ${h.incidentId} recorded that head`));
    const verified = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.verified').at(-1)!;
    expect(verified.data).toMatchObject({ target: 'bag', ok: false });
  });

  it('does not hold a bag against another profile whose incident has the same number', async () => {
    const other = harness({}, new ManualClock(Date.parse('2020-02-02T00:00:00Z')));
    try {
      other.timeline.append({ incidentId: other.incidentId, kind: 'note', data: { text: 'another laptop' } });
      expect(other.incidentId).toBe(h.incidentId);
      const report = await other.archive.verifyBag(bag);
      expect(report.failures).toEqual([]);
    } finally {
      other.cleanup();
    }
  });

  it('fails when data/timeline.csv says something else than the chain', async () => {
    const csv = path.join(bag, 'data/timeline.csv');
    fs.writeFileSync(csv, fs.readFileSync(csv, 'utf8').replace('disk freed', 'disk FREED'));
    rehash(bag);
    expect(summary((await verifyBag(bag)).failures)).toEqual(['custody:data/timeline.csv: does not match data/timeline.json (the two were exported from the same entries)']);
  });

  it('catches the same edits inside a tar and a zip', async () => {
    const entries = readTimeline(bag);
    writeTimeline(bag, entries.slice(0, -1));
    rehash(bag);
    execFileSync('tar', ['-cf', 'bag.tar', 'bag'], { cwd: h.dir });
    execFileSync('zip', ['-qr', 'bag.zip', 'bag'], { cwd: h.dir });
    for (const archive of ['bag.tar', 'bag.zip']) {
      const report = await verifyBag(path.join(h.dir, archive));
      expect(summary(report.failures).join('\n')).toMatch(/entries were removed/);
    }
  });
});
