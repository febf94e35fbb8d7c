import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers';

describe('crash during a collection', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.cleanup());

  it('SIGKILL mid-collection: restart marks it incomplete, committed artifacts verify, temp files go', async () => {
    const chunk = Buffer.alloc(512 * 1024, 'a');
    for (let i = 0; i < 200; i++) {
      chunk.write(String(i).padStart(8, '0'));
      fs.writeFileSync(path.join(h.src, `f${String(i).padStart(3, '0')}.log`), chunk);
    }
    const child = spawn('npx', ['tsx', path.join(__dirname, 'fixtures/crash-child.ts'), h.home, h.src, String(h.incidentId)], {
      cwd: path.resolve(__dirname, '../../../..'),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    // npx runs tsx which runs node: kill the process that holds the database (the collector).
    await new Promise<void>((resolve, reject) => {
      child.stdout.on('data', (d: Buffer) => d.toString().includes('READY') && resolve());
      child.on('exit', (code) => reject(new Error(`child exited early with ${code}`)));
    });
    const running = h.db.prepare("SELECT id, pid FROM evidence_collections WHERE status = 'running'").all() as Array<{ id: number; pid: number }>;
    expect(running).toHaveLength(1);
    const collectorPid = running[0]!.pid;
    process.kill(collectorPid, 'SIGKILL');
    await new Promise((resolve) => child.on('exit', resolve));
    // A temp file left by the dead collector (planted too, in case the kill landed between files).
    const tmp = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp');
    fs.writeFileSync(path.join(tmp, `${collectorPid}-deadbeef.part`), 'partial');

    // And a blob no row references, as a kill between rename and commit leaves behind.
    const blobRoot = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'sha256');
    const orphan = path.join(blobRoot, 'ff', 'f'.repeat(62));
    fs.mkdirSync(path.dirname(orphan), { recursive: true });
    fs.writeFileSync(orphan, 'never committed', { mode: 0o444 });
    const blobs = () => fs.readdirSync(blobRoot).flatMap((shard) => fs.readdirSync(path.join(blobRoot, shard)).map((n) => `${shard}${n}`));

    const committedBefore = h.evidence.listArtifacts(h.incidentId);
    expect(committedBefore.length).toBeGreaterThanOrEqual(30);
    expect(committedBefore.length).toBeLessThan(200);

    const report = await h.evidence.recover();
    expect(report.incompleteCollections).toEqual([running[0]!.id]);
    expect(report.tempFilesRemoved).toContain(path.join(tmp, `${collectorPid}-deadbeef.part`));
    expect(fs.readdirSync(tmp)).toEqual([]);
    expect(report.orphanBlobsRemoved).toContain(orphan);
    // Every blob left is one a committed row references: nothing the kill left stays on disk.
    expect(blobs().sort()).toEqual([...new Set(h.evidence.listArtifacts(h.incidentId).map((a) => a.sha256).filter(Boolean))].sort());
    const [collection] = h.evidence.listCollections(h.incidentId);
    expect(collection).toMatchObject({ status: 'incomplete', artifactCount: committedBefore.length });
    const last = h.timeline.list(h.incidentId).at(-1)!;
    expect(last).toMatchObject({ kind: 'evidence.collection-incomplete', data: { collectionId: running[0]!.id, committedArtifacts: committedBefore.length } });
    // Everything committed before the kill is intact and has its custody entry.
    const verification = await h.archive.verifyStore(h.incidentId);
    expect(verification.failures).toEqual([]);
    expect(verification.filesChecked).toBe(committedBefore.length);
    // A second start finds nothing to do.
    expect((await h.evidence.recover()).incompleteCollections).toEqual([]);
  }, 60_000);
});
