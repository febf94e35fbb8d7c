import { execFileSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SmallCopyPool } from '../../../../electron/services/evidence/copy-pool';
import type { ArtifactRecord } from '../../../../electron/services/evidence/types';
import { harness, isRoot, write, type Harness } from './helpers';

const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const byName = (artifacts: readonly ArtifactRecord[], suffix: string) => {
  const a = artifacts.find((x) => x.name.endsWith(suffix));
  if (!a) throw new Error(`no artifact ending ${suffix}: ${artifacts.map((x) => x.name).join(', ')}`);
  return a;
};

describe('file collection', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.cleanup());

  it('copies matches of a recursive glob into the content-addressed store, read-only, with custody', async () => {
    write(path.join(h.src, 'logs/main.log'), 'main 1\nmain 2\n');
    write(path.join(h.src, 'logs/errors.log'), 'ERROR boom\n');
    write(path.join(h.src, 'logs/sub/worker.log'), 'worker\n');
    write(path.join(h.src, 'logs/notes.txt'), 'not a log\n');
    const progress: number[] = [];
    const { collection, artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'logs/**/*.log')] }, { onProgress: (p) => progress.push(p.files) });
    expect(collection.status).toBe('complete');
    expect(artifacts.map((a) => a.name.split('/').slice(-2).join('/')).sort()).toEqual(['logs/errors.log', 'logs/main.log', 'sub/worker.log']);
    const main = byName(artifacts, 'logs/main.log');
    expect(main).toMatchObject({ status: 'ok', kind: 'file', sha256: sha('main 1\nmain 2\n'), size: 14, sourceSha256: sha('main 1\nmain 2\n'), host: h.identity.host, osUser: 'tester', collector: 'files' });
    expect(main.source).toMatchObject({ path: path.join(h.src, 'logs/main.log'), size: 14, uid: process.getuid?.(), type: 'file' });
    const blob = h.evidence.blobPath(main)!;
    expect(blob).toBe(path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'sha256', main.sha256!.slice(0, 2), main.sha256!.slice(2)));
    expect(fs.readFileSync(blob, 'utf8')).toBe('main 1\nmain 2\n');
    expect(fs.statSync(blob).mode & 0o777).toBe(0o444);
    expect(fs.readdirSync(path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp'))).toEqual([]);
    const custody = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.collected');
    expect(custody).toHaveLength(1);
    expect(custody[0]!.data).toMatchObject({ collectionId: collection.id, final: true, status: 'complete' });
    expect((custody[0]!.data.artifacts as unknown[]).length).toBe(3);
    expect(progress.at(-1)).toBe(3);
    expect(h.timeline.verify(h.incidentId).ok).toBe(true);
    // Custody rows cannot be edited.
    expect(() => h.db.prepare("UPDATE evidence_artifacts SET sha256 = 'x'").run()).toThrow(/custody/);
  });

  it('tail keeps the last N lines and says it was filtered', async () => {
    const file = write(path.join(h.src, 'main.log'), Array.from({ length: 1000 }, (_, i) => `line ${i}`).join('\n') + '\n');
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file], tail: 100 });
    const a = artifacts[0]!;
    expect(a.kind).toBe('derived');
    expect(a.name).toMatch(/main\.log\.tail-100\.txt$/);
    const stored = fs.readFileSync(h.evidence.blobPath(a)!, 'utf8').split('\n');
    expect(stored[0]).toBe('line 900');
    expect(stored).toHaveLength(101);
    expect(a.derivation).toMatchObject({ tail: 100, sourceReadWhole: false });
    expect(a.sourceSha256).toBeNull();
  });

  it('grep keeps matching lines and records the hash of the whole source it read', async () => {
    const text = 'INFO ok\nERROR disk\nWARN x\nCRITICAL db down\nINFO fine\n';
    const file = write(path.join(h.src, 'app.log'), text);
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file], grep: 'ERROR|CRITICAL' });
    const a = artifacts[0]!;
    expect(fs.readFileSync(h.evidence.blobPath(a)!, 'utf8')).toBe('ERROR disk\nCRITICAL db down\n');
    expect(a.sourceSha256).toBe(sha(text));
    expect(a.derivation).toMatchObject({ grep: 'ERROR|CRITICAL', sourceReadWhole: true, linesKept: 2 });
  });

  it('grep with tail gives the last N matches (Select-String | Select-Object -Last N)', async () => {
    const file = write(path.join(h.src, 'app.log'), Array.from({ length: 100 }, (_, i) => (i % 10 === 0 ? `ERROR ${i}` : `INFO ${i}`)).join('\n') + '\n');
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file], grep: 'ERROR', tail: 2 });
    expect(fs.readFileSync(h.evidence.blobPath(artifacts[0]!)!, 'utf8')).toBe('ERROR 80\nERROR 90\n');
  });

  it('since skips files by mtime and drops older lines by their timestamps', async () => {
    const since = '2026-11-23T10:00:00Z';
    write(path.join(h.src, 'old.log'), '2026-11-20T00:00:00Z ancient\n', new Date('2026-11-20T00:00:00Z'));
    write(path.join(h.src, 'new.log'), '2026-11-23T09:00:00Z before\n  continuation\n2026-11-23T10:05:00Z after\n  more after\n', new Date('2026-11-23T10:06:00Z'));
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, '*.log')], since });
    expect(artifacts).toHaveLength(1);
    expect(fs.readFileSync(h.evidence.blobPath(artifacts[0]!)!, 'utf8')).toBe('2026-11-23T10:05:00Z after\n  more after\n');
    expect(artifacts[0]!.derivation).toMatchObject({ sinceMode: 'lines', since: '2026-11-23T10:00:00.000Z' });
  });

  it('records symlinks that escape the requested root, and follows those that stay inside', async () => {
    const outside = write(path.join(h.dir, 'secret/shadow'), 'outside the root\n');
    write(path.join(h.src, 'logs/real.log'), 'real\n');
    fs.symlinkSync(outside, path.join(h.src, 'logs/escape.log'));
    fs.symlinkSync(path.join(h.src, 'logs/real.log'), path.join(h.src, 'logs/inside.log'));
    fs.symlinkSync(path.join(h.src, 'logs/missing'), path.join(h.src, 'logs/dangling.log'));
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'logs/*.log')] });
    const escape = byName(artifacts, 'escape.log');
    expect(escape).toMatchObject({ status: 'symlink-recorded', kind: 'symlink', sha256: null });
    expect(escape.source?.linkTarget).toBe(outside);
    expect(escape.detail).toMatch(/outside/);
    expect(byName(artifacts, 'dangling.log').status).toBe('symlink-recorded');
    // inside.log and real.log are the same file: stored once, under the first path that reached it.
    const copies = artifacts.filter((a) => a.sha256 === sha('real\n'));
    expect(copies).toHaveLength(1);
    expect(JSON.stringify(artifacts)).not.toContain('outside the root');
  });

  it('marks an unreadable file and carries on with the rest', async () => {
    write(path.join(h.src, 'ok.log'), 'fine\n');
    let unreadable: string | undefined;
    if (!isRoot) {
      unreadable = write(path.join(h.src, 'locked.log'), 'secret\n');
      fs.chmodSync(unreadable, 0o000);
    } else {
      // Root reads any mode bits, so chmod 000 proves nothing. sysfs write-only attributes
      // refuse O_RDONLY even to root (EACCES from kernfs): a real unreadable file.
      unreadable = execFileSync('sh', ['-c', 'find /sys -maxdepth 4 -type f -perm 0200 2>/dev/null | head -1']).toString().trim() || undefined;
    }
    if (!unreadable) return; // No write-only sysfs attribute on this machine: nothing to test with.
    const { collection, artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'ok.log'), unreadable] });
    expect(collection.status).toBe('complete');
    expect(byName(artifacts, 'ok.log').status).toBe('ok');
    const bad = artifacts.find((a) => a.source?.path === unreadable || a.name.endsWith(path.basename(unreadable!)))!;
    expect(bad).toMatchObject({ status: 'unreadable', sha256: null });
    expect(bad.detail).toMatch(/EACCES|EPERM/);
  });

  it('skips a FIFO without hanging and records a vanished literal path', async () => {
    const fifo = path.join(h.src, 'pipe.log');
    execFileSync('mkfifo', [fifo]);
    write(path.join(h.src, 'a.log'), 'a\n');
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, '*.log'), path.join(h.src, 'gone.log')] });
    expect(byName(artifacts, 'pipe.log')).toMatchObject({ status: 'special-file-skipped', kind: 'special', sha256: null });
    expect(byName(artifacts, 'pipe.log').source?.type).toBe('fifo');
    expect(byName(artifacts, 'gone.log').status).toBe('vanished');
    expect(byName(artifacts, 'a.log').status).toBe('ok');
  }, 10_000);

  it('detects a file that grows during the copy and stores what was there at the start', async () => {
    const file = path.join(h.src, 'growing.log');
    const line = 'x'.repeat(1023) + '\n';
    fs.writeFileSync(file, line.repeat(64 * 1024)); // 64 MiB
    const initial = fs.statSync(file).size;
    const writer = setInterval(() => fs.appendFileSync(file, line.repeat(64)), 1);
    try {
      const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file] });
      const a = artifacts[0]!;
      expect(a.status).toBe('grew-during-copy');
      // What was there when the file was opened is stored, not what was appended later.
      expect(a.size).toBe(a.source!.size);
      expect(a.size).toBeGreaterThanOrEqual(initial);
      expect(a.size).toBeLessThan(fs.statSync(file).size);
      expect(a.detail).toMatch(/grew|size/);
    } finally {
      clearInterval(writer);
    }
  });

  it('caps the stored size, flags binary content, and stores duplicate content once', async () => {
    const big = write(path.join(h.src, 'big.log'), 'y'.repeat(10_000));
    const bin = write(path.join(h.src, 'core.bin'), Buffer.from([1, 2, 0, 3, 4]));
    write(path.join(h.src, 'copy.log'), 'y'.repeat(10_000));
    const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [big, bin], maxBytes: 4096 });
    expect(byName(artifacts, 'big.log')).toMatchObject({ status: 'truncated-by-cap', size: 4096, sourceSha256: null });
    expect(byName(artifacts, 'core.bin')).toMatchObject({ status: 'ok', binary: true });
    const withGrep = await h.evidence.collectFiles(h.incidentId, { paths: [bin], grep: 'x' });
    expect(withGrep.artifacts[0]).toMatchObject({ status: 'binary', binary: true, size: 5 });
  });

  it('cancels through an AbortSignal, keeping what was committed', async () => {
    h.cleanup();
    h = harness({ batchSize: 10 });
    for (let i = 0; i < 200; i++) write(path.join(h.src, `many/f${i}.log`), `file ${i}\n`.repeat(1000));
    const controller = new AbortController();
    // Cancel right after the first batch is committed (not on a timer: copies are fast).
    const announce = h.timeline.announce.bind(h.timeline);
    h.timeline.announce = (entries) => {
      announce(entries);
      controller.abort();
    };
    const { collection, artifacts } = await h.evidence.collectFiles(
      h.incidentId,
      { paths: [path.join(h.src, 'many/*.log')], concurrency: 1 },
      { signal: controller.signal },
    );
    expect(collection.status).toBe('cancelled');
    expect(artifacts.length).toBeGreaterThanOrEqual(10);
    expect(artifacts.length).toBeLessThan(200);
    expect(h.evidence.listArtifacts(h.incidentId)).toHaveLength(artifacts.length);
    const last = h.timeline.list(h.incidentId).at(-1)!;
    expect(last.data).toMatchObject({ status: 'cancelled', final: true });
    expect(fs.readdirSync(path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp'))).toEqual([]);
  });

  it('streams the files itself when the copy workers are gone', async () => {
    for (let i = 0; i < 5; i++) write(path.join(h.src, `w/f${i}.log`), `file ${i}\n`);
    const broken = vi.spyOn(SmallCopyPool.prototype, 'copy').mockRejectedValue(new Error('a copy worker stopped: exit code 1'));
    try {
      const { collection, artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'w/*.log')] });
      expect(broken).toHaveBeenCalled();
      expect(collection.status).toBe('complete');
      expect(artifacts.map((a) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    } finally {
      broken.mockRestore();
    }
  });

  it('rejects a bad regex before creating a collection', async () => {
    await expect(h.evidence.collectFiles(h.incidentId, { paths: ['/x'], grep: '(' })).rejects.toMatchObject({ code: 'invalid_input' });
    expect(h.evidence.listCollections(h.incidentId)).toHaveLength(0);
  });
});
