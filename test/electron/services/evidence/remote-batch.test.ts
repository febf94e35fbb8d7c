import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_FILES, batches, batchScript, parseSums } from '../../../../electron/services/evidence/remote-batch';
import type { ArtifactRecord } from '../../../../electron/services/evidence/types';
import { sshdAvailable } from '../../../support/sshd';
import { targetHarness, type TargetHarness } from '../targets/harness';

const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const tmpFiles = (h: TargetHarness) => {
  const dir = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};
const contents = (h: TargetHarness, artifacts: readonly ArtifactRecord[]) =>
  Object.fromEntries(artifacts.map((a) => [a.source?.path ?? a.name, { status: a.status, kind: a.kind, sha256: a.sha256, sourceSha256: a.sourceSha256, body: a.sha256 ? fs.readFileSync(h.evidence.blobPath(a)!, 'utf8') : null }]));

/** Odd but legal names: spaces, a newline, leading dashes, quotes, shell syntax, non-ASCII. */
const ODD = ['with space.log', 'new\nline.log', '-rf', '--help.log', "it's.log", '$(touch x).log', 'tab\there.log', 'ログ.log', 'back\\slash.log'];

describe('batch helpers', () => {
  it('splits by count and by name bytes, never leaving a file out', () => {
    const files = Array.from({ length: 2600 }, (_, i) => ({ kind: 'F' as const, path: `/v/${'x'.repeat(i === 5 ? 70_000 : 10)}${i}` }));
    const out = batches(files);
    expect(out.flat()).toEqual(files);
    expect(out.every((b) => b.length <= BATCH_FILES)).toBe(true);
    expect(out.some((b) => b.length === BATCH_FILES)).toBe(true);
    expect(out.some((b) => b.length === 1 && b[0]!.path.length > 70_000)).toBe(true);
  });

  it('quotes every path as one word after --, and parses sha256sum and openssl output', () => {
    const script = batchScript(["/a b/it's", '/-x']);
    expect(script).toContain(`set -- '/a b/it'\\''s' '/-x'`);
    expect(script).toContain('tar -c -h $fb_h -f - -- "$@"');
    const sums = parseSums(`FIREBREAK-SUM ${'a'.repeat(64)}  /x y\nFIREBREAK-SUM ${'b'.repeat(64)} */z\nnoise\n`);
    expect([...sums]).toEqual([
      ['/x y', 'a'.repeat(64)],
      ['/z', 'b'.repeat(64)],
    ]);
  });
});

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('many small files from a target in one stream (real sshd)', () => {
  let h: TargetHarness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('collects hundreds of files and odd names over a few sessions, each checked against the server hash, the same as one session per file', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'many');
    fs.mkdirSync(path.join(dir, 'sub dir'), { recursive: true });
    const expected = new Map<string, string>();
    for (let i = 0; i < 600; i++) {
      const file = path.join(dir, i % 3 === 0 ? 'sub dir' : '', `f${i}.log`);
      const body = `2026-12-06T10:00:${String(i % 60).padStart(2, '0')}Z ${i % 7 === 0 ? 'ERROR' : 'INFO'} file ${i}\n`.repeat(1 + (i % 5));
      fs.writeFileSync(file, body);
      expected.set(file, body);
    }
    for (const name of ODD) {
      const file = path.join(dir, name);
      fs.writeFileSync(file, `odd ${JSON.stringify(name)} ERROR\n`);
      expected.set(file, `odd ${JSON.stringify(name)} ERROR\n`);
    }
    // Two names of one inode: GNU tar would send the second as a link without content.
    fs.linkSync(path.join(dir, 'f1.log'), path.join(dir, 'hard.log'));
    expected.set(path.join(dir, 'hard.log'), expected.get(path.join(dir, 'f1.log'))!);

    // Count the sessions opened on the connection.
    const target = h.targets.ssh('fbtest');
    const exec = target.exec.bind(target);
    let sessions = 0;
    target.exec = (script, options) => (sessions++, exec(script, options));
    const batched = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir] });
    expect(batched.collection.status).toBe('complete');
    expect(batched.artifacts).toHaveLength(expected.size);
    for (const a of batched.artifacts) {
      const body = expected.get(a.source!.path);
      expect(body, a.source!.path).toBeDefined();
      expect(a, a.source!.path).toMatchObject({ status: 'ok', kind: 'file', sha256: sha(body!), size: Buffer.byteLength(body!), host: 'fbtest' });
      // openssl where the server has it (its SHA instructions), else sha256sum.
      expect(a.detail).toMatch(new RegExp(`server sha256 ${sha(body!)} \\((openssl dgst -sha256|sha256sum)\\)`));
      expect(fs.readFileSync(h.evidence.blobPath(a)!, 'utf8')).toBe(body);
    }
    // One listing, one batch, and the two names a batch cannot carry (newline, backslash).
    expect(sessions).toBe(4);
    // Every artifact is in a custody entry that names host, user, key fingerprint and the batch command.
    const custody = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.collected');
    const named = custody.flatMap((e) => (e.data.artifacts as Array<{ name: string }>).map((x) => x.name));
    expect(new Set(named)).toEqual(new Set(batched.artifacts.map((a) => a.name)));
    for (const e of custody) {
      const params = e.data.params as Record<string, unknown>;
      expect(params).toMatchObject({ target: 'fbtest', hostname: '127.0.0.1', remoteUser: h.sshd.user });
      expect(params.hostKeyFingerprint).toMatch(/^SHA256:/);
      expect((params.remoteCommand as Record<string, string>).batch).toMatch(/^sh -s: tar -c -h/);
    }
    expect(tmpFiles(h)).toEqual([]);

    // Filtered, batched and one session per file give the same artifacts (a few files: sessions are slow on a loaded machine).
    const cmp = path.join(h.serverDir, 'cmp');
    fs.mkdirSync(cmp);
    for (const name of [...ODD, 'a.log', 'b.log', 'c.log']) fs.writeFileSync(path.join(cmp, name), `2026-12-06T10:00:00Z INFO ${name}\r\n2026-12-06T10:00:01Z ERROR ${name}\nno final newline ERROR`);
    fs.writeFileSync(path.join(cmp, 'bin.dat'), Buffer.from([0, 1, 2, 69, 82, 82, 79, 82, 10, 0]));
    fs.writeFileSync(path.join(cmp, 'empty.log'), '');
    const grepBatched = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [cmp], grep: 'ERROR' });
    const grepSingle = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [cmp], grep: 'ERROR', batch: false });
    expect(grepBatched.artifacts).toHaveLength(ODD.length + 5);
    expect(contents(h, grepBatched.artifacts)).toEqual(contents(h, grepSingle.artifacts));
    const a = grepBatched.artifacts.find((x) => x.source?.path === path.join(cmp, 'a.log'))!;
    expect(a).toMatchObject({ kind: 'derived', status: 'ok', sourceSha256: sha(fs.readFileSync(path.join(cmp, 'a.log'))) });
    expect(fs.readFileSync(h.evidence.blobPath(a)!, 'utf8')).toBe('2026-12-06T10:00:01Z ERROR a.log\nno final newline ERROR');
    expect(h.timeline.verify(h.incidentId).ok).toBe(true);
  }, 120_000);

  it('a connection dropped mid-stream leaves the collection incomplete, with nothing of the cut batch committed', async () => {
    // tar on the server sends 256 KiB of its archive and then stalls until the connection is cut.
    h = await targetHarness({ wrappers: { tar: '#!/bin/sh\ncase "$*" in *--version*) exec /usr/bin/tar "$@";; esac\n/usr/bin/tar "$@" | /usr/bin/head -c 262144; sleep 120\n' } });
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'cut');
    fs.mkdirSync(dir);
    for (let i = 0; i < 100; i++) fs.writeFileSync(path.join(dir, `f${String(i).padStart(3, '0')}.log`), Buffer.alloc(16 * 1024, 97 + (i % 26)));
    const tmpDir = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp');
    const running = h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir], concurrency: 1 });
    // Wait (by polling, not timing) until members are in temp blobs, then cut the connection.
    for (;;) {
      if (fs.existsSync(tmpDir) && fs.readdirSync(tmpDir).length >= 5) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    h.sshd.dropConnections();
    const { collection, artifacts } = await running;
    expect(collection.status).toBe('incomplete');
    expect(collection.error).toMatch(/connection to fbtest was lost/);
    expect(artifacts).toEqual([]);
    expect(h.evidence.listArtifacts(h.incidentId)).toEqual([]);
    expect(tmpFiles(h)).toEqual([]);
    expect(h.timeline.verify(h.incidentId).ok).toBe(true);
    // sshd, the listing session and the batch can take many seconds on a loaded machine: the
    // server's tar stalls for 120 s (long past this timeout), so only the cut ends the stream.
  }, 90_000);

  it('a connection dropped in a later batch leaves the earlier batches committed and the collection incomplete', async () => {
    // The first `tar -c` streams its batch whole; the second sends 10 KiB and stalls until the connection is cut.
    const flags = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-tar-calls-'));
    const tar = `#!/bin/sh\ncase "$*" in *--version*) exec /usr/bin/tar "$@";; esac\nif mkdir ${flags}/first 2>/dev/null; then exec /usr/bin/tar "$@"; fi\ntouch ${flags}/second\n/usr/bin/tar "$@" | /usr/bin/head -c 10240; sleep 120\n`;
    h = await targetHarness({ wrappers: { tar } });
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'two');
    fs.mkdirSync(dir);
    const files = BATCH_FILES + 76;
    for (let i = 0; i < files; i++) fs.writeFileSync(path.join(dir, `f${i}.log`), `file ${i}\n`.repeat(20));
    const tmpDir = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp');
    try {
      const running = h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir], concurrency: 1 });
      // The second batch is streaming and has members waiting as temp files (the first batch's are all renamed by then).
      for (;;) {
        if (fs.existsSync(path.join(flags, 'second')) && fs.existsSync(tmpDir) && fs.readdirSync(tmpDir).length >= 3) break;
        await new Promise((r) => setTimeout(r, 20));
      }
      h.sshd.dropConnections();
      const { collection, artifacts } = await running;
      expect(collection.status).toBe('incomplete');
      expect(collection.error).toMatch(/connection to fbtest was lost/);
      // The whole first batch, each checked and committed; nothing of the cut one.
      expect(artifacts).toHaveLength(BATCH_FILES);
      expect(collection.artifactCount).toBe(BATCH_FILES);
      for (const a of artifacts) {
        const body = fs.readFileSync(a.source!.path);
        expect(a).toMatchObject({ status: 'ok', sha256: sha(body) });
        expect(fs.readFileSync(h.evidence.blobPath(a)!)).toEqual(body);
      }
      expect(h.evidence.listArtifacts(h.incidentId)).toHaveLength(BATCH_FILES);
      const blobs = fs.readdirSync(path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'sha256')).flatMap((shard) => fs.readdirSync(path.join(h!.home, 'incidents', String(h!.incidentId), 'evidence', 'sha256', shard)));
      expect(blobs).toHaveLength(BATCH_FILES);
      expect(tmpFiles(h)).toEqual([]);
      expect(h.timeline.verify(h.incidentId).ok).toBe(true);
    } finally {
      fs.rmSync(flags, { recursive: true, force: true });
    }
  }, 120_000);

  it('reads the server hashes as they stream, past the stderr a session keeps', async () => {
    // 300 KB of other output before the hashes: more than the stderr kept for a finished session.
    const noisy = (tool: string) => `#!/bin/sh\nyes 'FIREBREAK-NOISE padding padding padding padding' | head -c 300000\nexec ${tool} "$@"\n`;
    h = await targetHarness({ wrappers: { openssl: noisy('/usr/bin/openssl'), sha256sum: noisy('/usr/bin/sha256sum') } });
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'noisy');
    fs.mkdirSync(dir);
    for (let i = 0; i < 5; i++) fs.writeFileSync(path.join(dir, `f${i}.log`), `file ${i}\n`);
    const target = h.targets.ssh('fbtest');
    const exec = target.exec.bind(target);
    let sessions = 0;
    target.exec = (script, options) => (sessions++, exec(script, options));
    const { collection, artifacts } = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir] });
    expect(collection.status).toBe('complete');
    expect(artifacts.map((a) => a.status)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    // The listing and the batch: no file had to be copied again alone for want of its hash.
    expect(sessions).toBe(2);
    expect(tmpFiles(h)).toEqual([]);
  });

  it('a file that changed between the listing and the stream is copied again on its own', async () => {
    // The server's hash tool (openssl, else sha256sum) sees other bytes than tar sent for one file: the batch does not vouch for it.
    h = await targetHarness({
      wrappers: {
        sha256sum: '#!/bin/sh\n/usr/bin/sha256sum "$@" | sed "s/^[0-9a-f]\\{64\\}\\(  .*changing.log\\)$/0000000000000000000000000000000000000000000000000000000000000000\\1/"\n',
        openssl: '#!/bin/sh\n/usr/bin/openssl "$@" | sed "s/^[0-9a-f]\\{64\\}\\( \\*.*changing.log\\)$/0000000000000000000000000000000000000000000000000000000000000000\\1/"\n',
      },
    });
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'chg');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'changing.log'), 'one\n');
    fs.writeFileSync(path.join(dir, 'steady.log'), 'two\n');
    const target = h.targets.ssh('fbtest');
    const exec = target.exec.bind(target);
    let sessions = 0;
    target.exec = (script, options) => (sessions++, exec(script, options));
    const { artifacts } = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir] });
    const steady = artifacts.find((a) => a.name.endsWith('steady.log'))!;
    expect(steady).toMatchObject({ status: 'ok', sha256: sha('two\n') });
    // Alone (head | sha256sum), the lying wrapper only matches "changing.log" lines with a path: it now reports "-".
    const changing = artifacts.find((a) => a.name.endsWith('changing.log'))!;
    expect(changing).toMatchObject({ status: 'ok', sha256: sha('one\n') });
    // The listing, the batch, and changing.log again on its own.
    expect(sessions).toBe(3);
    expect(tmpFiles(h)).toEqual([]);
  });
});
