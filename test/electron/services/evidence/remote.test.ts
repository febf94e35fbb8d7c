import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ArtifactRecord } from '../../../../electron/services/evidence/types';
import { sshdAvailable } from '../../../support/sshd';
import { targetHarness, type TargetHarness } from '../targets/harness';

const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const byName = (artifacts: readonly ArtifactRecord[], suffix: string) => {
  const a = artifacts.find((x) => x.name.endsWith(suffix));
  if (!a) throw new Error(`no artifact ending ${suffix}: ${artifacts.map((x) => `${x.name} (${x.status}: ${x.detail})`).join(', ')}`);
  return a;
};
const tmpFiles = (h: TargetHarness) => {
  const dir = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('evidence from a remote target (real sshd)', () => {
  let h: TargetHarness | undefined;
  const canaries: string[] = [];
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
    for (const c of canaries.splice(0)) fs.rmSync(c, { force: true });
  });

  it('collects a glob with tail and grep; the server hash matches and custody names host, user, key and command', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const logs = path.join(h.serverDir, 'logs');
    fs.mkdirSync(logs);
    const app = Array.from({ length: 50 }, (_, i) => `2026-12-06T10:${String(i).padStart(2, '0')}:00Z ${i % 10 === 0 ? 'ERROR' : 'INFO'} line ${i}\n`).join('');
    fs.writeFileSync(path.join(logs, 'app.log'), app);
    fs.writeFileSync(path.join(logs, 'other.log'), 'one\ntwo\nthree\n');
    fs.writeFileSync(path.join(logs, 'skip.txt'), 'not matched\n');

    const plain = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [path.join(logs, '*.log')] });
    expect(plain.collection.status).toBe('complete');
    const whole = byName(plain.artifacts, 'logs/app.log');
    expect(whole).toMatchObject({ status: 'ok', kind: 'file', sha256: sha(app), size: app.length, host: 'fbtest', osUser: h.sshd.user, collector: 'remote-files' });
    // A small file travels in a batch, hashed on the server by openssl where it has it.
    expect(whole.detail).toMatch(new RegExp(`server sha256 ${sha(app)} \\((openssl dgst -sha256|sha256sum)\\)`));
    expect(whole.name).toBe(`fbtest/${path.join(logs, 'app.log').slice(1)}`);
    expect(fs.readFileSync(h.evidence.blobPath(whole)!, 'utf8')).toBe(app);
    expect(plain.artifacts).toHaveLength(2);

    const tailed = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [path.join(logs, 'app.log')], tail: 3 });
    const last3 = app.split('\n').slice(-4).join('\n');
    expect(byName(tailed.artifacts, 'app.log')).toMatchObject({ sha256: sha(last3), derivation: { tail: 3, fromOffset: app.length - last3.length, sourceReadWhole: false } });
    // A file in a session of its own is hashed on the server by openssl too (the test server has it).
    expect(byName(tailed.artifacts, 'app.log').detail).toMatch(/\(openssl dgst -sha256\)/);

    const grepped = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [path.join(logs, 'app.log')], grep: 'ERROR' });
    const errors = app.split('\n').filter((l) => l.includes('ERROR')).map((l) => `${l}\n`).join('');
    expect(byName(grepped.artifacts, 'app.log')).toMatchObject({ kind: 'derived', sha256: sha(errors), sourceSha256: sha(app), derivation: { grep: 'ERROR', sourceReadWhole: true, linesKept: 5 } });

    const custody = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.collected');
    expect(custody).toHaveLength(3);
    const params = custody[0]!.data.params as Record<string, unknown>;
    expect(params).toMatchObject({ target: 'fbtest', hostname: '127.0.0.1', remoteUser: h.sshd.user });
    expect(params.hostKeyFingerprint).toMatch(/^SHA256:/);
    expect(JSON.stringify(params.remoteCommand)).toContain('sha256sum');
    expect(h.timeline.verify(h.incidentId).ok).toBe(true);
    expect(tmpFiles(h)).toEqual([]);
  });

  it('neutralises shell injection through paths and grep patterns', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    // Relative: a file name cannot hold a "/". The remote shell starts in the user's home.
    const canary = `fb-pwned-${process.pid}`;
    const landed = () => [os.homedir(), process.cwd(), h!.serverDir].some((d) => fs.existsSync(path.join(d, canary)));
    canaries.push(path.join(os.homedir(), canary), path.join(process.cwd(), canary));
    const weird = path.join(h.serverDir, `a'$(touch ${canary})'; touch ${canary} #.log`);
    fs.writeFileSync(weird, 'weird name\n');
    const result = await h.remote.collectFiles(h.incidentId, 'fbtest', {
      paths: [weird, `${h.serverDir}/$(touch ${canary})*`, `${h.serverDir}/\`touch ${canary}\``, `${h.serverDir}/*;touch ${canary}`],
      grep: `'; touch ${canary}; echo '`,
    });
    expect(landed()).toBe(false);
    // The oddly named file is found by its literal name; the other patterns match nothing.
    const statuses = result.artifacts.map((a) => a.status).sort();
    expect(statuses).toEqual(['ok', 'vanished', 'vanished', 'vanished']);
    const found = result.artifacts.find((a) => a.status === 'ok')!;
    expect(found.source?.path).toBe(weird);
    await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [weird] });
    expect(landed()).toBe(false);
  });

  it('takes a system snapshot: processes, ports, services, disk, memory, OS, recent changes', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const { collection, artifacts } = await h.remote.collectSnapshot(h.incidentId, 'fbtest');
    expect(collection.status).toBe('complete');
    const names = artifacts.map((a) => a.name.replace('fbtest/snapshot/', '')).sort();
    expect(names).toEqual(['disk.txt', 'listening-ports.txt', 'memory.txt', 'os.txt', 'processes.txt', 'recent-changes.txt', 'services.txt']);
    const memory = byName(artifacts, 'memory.txt');
    expect(memory.status).toBe('ok');
    expect(fs.readFileSync(h.evidence.blobPath(memory)!, 'utf8')).toContain('MemTotal:');
    const ports = fs.readFileSync(h.evidence.blobPath(byName(artifacts, 'listening-ports.txt'))!, 'utf8');
    expect(ports).toContain(String(h.sshd.port));
    for (const a of artifacts) expect(a.host).toBe('fbtest');
  });

  it('falls back to shasum/openssl on a server without sha256sum, and says so when it has no hash tool at all', async () => {
    h = await targetHarness({ without: ['sha256sum'] });
    h.targets.add('fbtest');
    const file = path.join(h.serverDir, 'x.log');
    fs.writeFileSync(file, 'hello\n');
    const a = byName((await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [file] })).artifacts, 'x.log');
    expect(a.status).toBe('ok');
    expect(a.detail).toMatch(new RegExp(`server sha256 ${sha('hello\n')} \\((shasum -a 256|openssl dgst -sha256)\\)`));
    await h.cleanup();

    h = await targetHarness({ without: ['sha256sum', 'shasum', 'openssl'] });
    h.targets.add('fbtest');
    const file2 = path.join(h.serverDir, 'y.log');
    fs.writeFileSync(file2, 'hello\n');
    const b = byName((await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [file2] })).artifacts, 'y.log');
    expect(b).toMatchObject({ status: 'ok', sha256: sha('hello\n') });
    expect(b.detail).toMatch(/has no sha256sum, shasum or openssl: its own hash could not be compared/);
  });

  it('fails an item whose bytes differ from what the server hashed, and stores nothing of it', async () => {
    // A `sha256sum` and an `openssl` that lie: the server claims a different hash for what it
    // sent (openssl in the batch, for the last file named; sha256sum when the file is copied alone).
    h = await targetHarness({
      wrappers: {
        sha256sum: '#!/bin/sh\ncat >/dev/null\necho 0000000000000000000000000000000000000000000000000000000000000000  -\n',
        openssl: '#!/bin/sh\nfor a; do f=$a; done\necho "0000000000000000000000000000000000000000000000000000000000000000 *$f"\n',
      },
    });
    h.targets.add('fbtest');
    const file = path.join(h.serverDir, 'z.log');
    fs.writeFileSync(file, 'payload\n');
    const { collection, artifacts } = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [file] });
    expect(collection.status).toBe('complete');
    expect(artifacts[0]).toMatchObject({ status: 'changed-during-copy', sha256: null });
    expect(artifacts[0]!.detail).toMatch(/SHA-256 mismatch: fbtest computed 0{64}/);
    expect(tmpFiles(h)).toEqual([]);
  });

  it('a connection dropped mid-file leaves the collection incomplete with nothing half-written committed', async () => {
    // `head` on the server sends the first MiB of big.log and then stalls until we drop the connection.
    h = await targetHarness({ wrappers: { head: '#!/bin/sh\ncase "$*" in *big.log*) /usr/bin/head "$@" | /usr/bin/head -c 1048576; sleep 20;; *) exec /usr/bin/head "$@";; esac\n' } });
    h.targets.add('fbtest');
    const small = path.join(h.serverDir, 'a-small.log');
    const big = path.join(h.serverDir, 'big.log');
    fs.writeFileSync(small, 'small\n');
    fs.writeFileSync(big, Buffer.alloc(8 << 20, 'x'));
    const tmpDir = path.join(h.home, 'incidents', String(h.incidentId), 'evidence', 'tmp');
    const running = h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [small, big], concurrency: 1 });
    // Wait (by polling, not timing) until part of big.log is in a temp blob, then cut the connection.
    for (;;) {
      const parts = fs.existsSync(tmpDir) ? fs.readdirSync(tmpDir).map((n) => fs.statSync(path.join(tmpDir, n)).size) : [];
      if (parts.some((s) => s >= 1 << 20)) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    h.sshd.dropConnections();
    const { collection, artifacts } = await running;
    expect(collection.status).toBe('incomplete');
    expect(collection.error).toMatch(/connection to fbtest was lost/);
    expect(artifacts.map((a) => a.name)).toEqual([`fbtest/${small.slice(1)}`]);
    expect(h.evidence.listArtifacts(h.incidentId).some((a) => a.name.endsWith('big.log'))).toBe(false);
    expect(tmpFiles(h)).toEqual([]);
    expect(h.targets.status('fbtest').state).toBe('unreachable');
    expect(h.timeline.verify(h.incidentId).ok).toBe(true);
  });

  it('a command that stalls while the connection stays up is stopped by the read timeout: that file fails, the rest is stored, the target stays connected', async () => {
    // `head` sends 64 KiB of stall.log and then hangs (as on a stuck NFS mount); the session itself is healthy.
    h = await targetHarness({
      readTimeoutSec: 1,
      wrappers: { head: '#!/bin/sh\ncase "$*" in *stall.log*) /usr/bin/head "$@" | /usr/bin/head -c 65536; sleep 30;; *) exec /usr/bin/head "$@";; esac\n' },
    });
    h.targets.add('fbtest');
    const ok = path.join(h.serverDir, 'a-ok.log');
    const stall = path.join(h.serverDir, 'stall.log');
    fs.writeFileSync(ok, 'fine\n');
    // 2 MiB: above the batch limit, so it has its own session (and `head`).
    fs.writeFileSync(stall, Buffer.alloc(2 << 20, 'y'));
    const { collection, artifacts } = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [ok, stall], concurrency: 1 });
    expect(collection.status).toBe('complete');
    expect(byName(artifacts, 'a-ok.log')).toMatchObject({ status: 'ok', sha256: sha('fine\n') });
    const stalled = byName(artifacts, 'stall.log');
    expect(stalled).toMatchObject({ status: 'unreadable', sha256: null });
    expect(stalled.detail).toMatch(/^fbtest sent nothing for 1 s while the connection stayed up; the remote command was stopped \(read timeout\); 65536 bytes had arrived, not stored$/);
    expect(tmpFiles(h)).toEqual([]);
    expect(h.targets.status('fbtest').state).toBe('connected');
  });
});
