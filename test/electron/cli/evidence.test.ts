import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CollectionResult } from '../../../shared/evidence';
import { useCliHarness } from './support';

/** Flips one byte of a file in place (read-only evidence is made writable first). */
function flipByte(file: string, at: number): void {
  fs.chmodSync(file, 0o644);
  const fd = fs.openSync(file, 'r+');
  try {
    const b = Buffer.alloc(1);
    fs.readSync(fd, b, 0, 1, at);
    b[0] = b[0]! ^ 0xff;
    fs.writeSync(fd, b, 0, 1, at);
  } finally {
    fs.closeSync(fd);
  }
}

describe('firebreak collect / export / verify', () => {
  const harness = useCliHarness();
  const { cli } = harness;
  let logs: string;
  beforeEach(async () => {
    // Outside the profile: a collection never walks Firebreak's own folder.
    logs = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fb-cli-evidence-')), 'incident_logs');
    fs.mkdirSync(path.join(logs, 'api'), { recursive: true });
    fs.writeFileSync(path.join(logs, 'api', 'app.log'), Array.from({ length: 300 }, (_, i) => `${i % 50 === 0 ? 'ERROR' : 'INFO'} line ${i}\n`).join(''));
    fs.writeFileSync(path.join(logs, 'syslog'), 'CRITICAL disk full\nINFO ok\n');
    await cli('incident', 'new', '--title', 'Disk full on api-1', '--severity', 'P1');
  });
  afterEach(() => fs.rmSync(path.dirname(logs), { recursive: true, force: true }));

  it('collects a glob with tail and grep, printing artifacts and hashes (--json too)', async () => {
    const table = await cli('collect', 'INC-0001', '--files', `${logs}/**/*.log`, '--tail', '100', '--grep', 'ERROR|CRITICAL');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/ok\s+\d+ B\s+[0-9a-f]{64}\s+.*incident_logs\/api\/app\.log\.tail-100\.grep\.txt/);
    expect(table.out).toContain('INC-0001 collection #1 (files) complete: 1 artifact');

    const json = await cli('collect', '1', '--files', logs, '--json');
    const result = JSON.parse(json.out) as CollectionResult;
    expect(result.artifacts.map((a) => path.basename(a.name)).sort()).toEqual(['app.log', 'syslog']);
    for (const a of result.artifacts) expect(a.sha256).toMatch(/^[0-9a-f]{64}$/);

    const listing = await cli('evidence', '1');
    expect(listing.out.split('\n').filter((l) => /[0-9a-f]{64}/.test(l))).toHaveLength(3);
  });

  it('lists file changes in a window and takes a snapshot', async () => {
    const changes = await cli('collect', '1', '--changes', logs, '--since', '1h', '--json');
    expect(changes.code).toBe(0);
    expect((JSON.parse(changes.out) as CollectionResult).artifacts.map((a) => a.kind)).toContain('listing');
    const snapshot = await cli('collect', '1', '--snapshot');
    expect(snapshot.code).toBe(0);
    expect(snapshot.out).toMatch(/snapshot/);
  });

  it('exports a bag, verifies it, and exits 1 naming the file when a byte is flipped (dir and tar)', async () => {
    await cli('collect', '1', '--files', logs);
    const dir = path.join(harness.home, 'bag');
    const exported = await cli('export', '1', '--out', dir);
    expect(exported.code).toBe(0);
    expect(exported.out).toMatch(/tagmanifest-sha256\.txt sha256 [0-9a-f]{64}/);
    expect((await cli('verify', dir)).out).toMatch(/^OK /);

    const payload = path.join(dir, 'data', 'evidence', '1-files', logs.slice(1), 'syslog');
    expect(fs.existsSync(payload)).toBe(true);
    flipByte(payload, 3);
    const bad = await cli('verify', dir);
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/FAIL checksum .*data\/evidence\/.*incident_logs\/syslog/);
    expect(harness.errors.join('\n')).toContain('verification failed');

    const tar = path.join(harness.home, 'bag.tar');
    expect((await cli('export', '1', '--out', tar)).code).toBe(0);
    expect((await cli('verify', tar)).code).toBe(0);
    const bytes = fs.readFileSync(tar);
    const at = bytes.indexOf('CRITICAL disk full');
    expect(at).toBeGreaterThan(0);
    flipByte(tar, at);
    const badTar = await cli('verify', tar, '--json');
    expect(badTar.code).toBe(1);
    // One failure per manifest (sha256 and sha512) and one against the hash its capture
    // entry recorded on the timeline, each naming the file.
    const failures = (JSON.parse(badTar.out) as { failures: Array<{ kind: string; file: string; algorithm: string }> }).failures;
    expect(failures.map((f) => `${f.kind} ${f.algorithm}`).sort()).toEqual(['checksum sha256', 'checksum sha512', 'custody sha256']);
    for (const f of failures) expect(f).toMatchObject({ file: expect.stringContaining('incident_logs/syslog') });
  });

  it('verifies the live store against the timeline and names a tampered blob', async () => {
    const result = JSON.parse((await cli('collect', '1', '--files', path.join(logs, 'syslog'), '--json')).out) as CollectionResult;
    expect((await cli('verify', '--store', '1')).code).toBe(0);
    const sha = result.artifacts[0]!.sha256!;
    const blob = path.join(harness.home, 'incidents', '1', 'evidence', 'sha256', sha.slice(0, 2), sha.slice(2));
    expect(fs.existsSync(blob)).toBe(true);
    flipByte(blob, 0);
    const bad = await cli('verify', '--store', '1');
    expect(bad.code).toBe(1);
    expect(bad.out).toContain(`FAIL checksum ${blob}: `);
    const timeline = await cli('timeline', '1', '--json');
    expect(timeline.out).toContain('evidence.verified');
  });

  it('rejects unclear requests with usage errors (exit 2)', async () => {
    expect((await cli('collect', '1')).code).toBe(2);
    expect((await cli('collect', '1', '--snapshot', '--preset')).code).toBe(2);
    expect((await cli('collect', '1', '--changes', logs)).code).toBe(2);
    expect((await cli('collect', '1', '--files', logs, '--tail', 'x')).code).toBe(2);
    expect((await cli('verify')).code).toBe(2);
    expect((await cli('export', '1', '--tar', '--zip')).code).toBe(2);
    expect((await cli('collect', '1', '--files', logs, '--grep', '(')).code).toBe(1);
    expect(harness.errors.join('\n')).toMatch(/grep: "\(" is not a valid regular expression: missing closing \)/);
  });

  it('prints the estimate of a large collection and exits 1 asking for --yes; --yes collects it', async () => {
    // Sparse: 600 MB by its size (what the quick count reads), no blocks on disk.
    const big = path.join(logs, 'huge.log');
    fs.closeSync(fs.openSync(big, 'w'));
    fs.truncateSync(big, 600 * 1024 * 1024);
    const refused = await cli('collect', '1', '--files', big);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain('This collection is large: more than 1 file, more than 600.0 MiB (the quick count stopped there).');
    expect(refused.out).toContain('Above 5,000 files or 500.0 MiB a collection needs confirmation: add --yes to collect it.');
    expect(harness.errors.join('\n')).toContain('firebreak: this collection is large: add --yes to collect it');
    expect(JSON.parse((await cli('evidence', '1', '--json')).out).collections).toEqual([]);

    // The cap keeps the test small: only the first KiB is read.
    const confirmed = await cli('collect', '1', '--files', big, '--yes', '--max-bytes', '1024', '--json');
    const result = JSON.parse(confirmed.out) as CollectionResult;
    expect(result.artifacts.map((a) => [a.status, a.size])).toEqual([['truncated-by-cap', 1024]]);
  });

  it('says "complete with warnings" and lists them when a path is missing or a glob matches nothing (exit 1)', async () => {
    const missing = path.join(logs, 'no-such.log');
    const run = await cli('collect', '1', '--files', `${logs}/api/*.log`, missing, `${logs}/*.nomatch`);
    expect(run.code).toBe(1);
    expect(run.out).toContain('INC-0001 collection #1 (files) complete with warnings: 3 artifacts');
    expect(run.out).toMatch(/Warnings:\n(  ! #\d+ vanished .*\n?){2}/);
    expect(run.out).toContain(`vanished ${missing.slice(1)} — ENOENT: ${missing}`);
    expect(run.out).toContain(`— no file matches: ${logs}/*.nomatch`);
    const timeline = await cli('timeline', '1');
    expect(timeline.out).toContain('collection complete with 2 warnings');

    const clean = await cli('collect', '1', '--files', `${logs}/api/*.log`);
    expect(clean.code).toBe(0);
    expect(clean.out).toContain('collection #2 (files) complete: 1 artifact');
    expect(clean.out).not.toContain('Warnings:');
  });

  it('retracts an artifact with a reason: hidden from the listing unless --retracted, on the timeline, left out of the export', async () => {
    await cli('collect', '1', '--files', logs);
    const listing = JSON.parse((await cli('evidence', '1', '--json')).out) as { artifacts: Array<{ id: number; name: string }> };
    const syslog = listing.artifacts.find((a) => a.name.endsWith('syslog'))!;
    const retract = await cli('evidence', 'retract', String(syslog.id), '--reason', 'wrong host');
    expect(retract.code).toBe(0);
    expect(retract.out).toContain(`Retracted artifact #${syslog.id} ${syslog.name} of INC-0001: wrong host`);

    const hidden = await cli('evidence', '1');
    expect(hidden.out).not.toContain(syslog.name);
    expect(hidden.out).toContain('1 retracted artifact not shown (--retracted shows them)');
    const shown = await cli('evidence', '1', '--retracted');
    expect(shown.out).toMatch(new RegExp(`#${syslog.id} .*syslog: RETRACTED .* by .* — wrong host`));
    expect((await cli('timeline', '1')).out).toContain(`evidence retracted: ${syslog.name} — wrong host`);

    const out = path.join(harness.home, 'bag');
    const exported = await cli('export', '1', '--out', out);
    expect(exported.code).toBe(0);
    expect((await cli('verify', out)).code).toBe(0);

    const again = await cli('evidence', 'retract', String(syslog.id), '--reason', 'again');
    expect(again.code).toBe(1);
    expect(harness.errors.join('\n')).toContain(`firebreak: artifact ${syslog.id} (${syslog.name}) is already retracted`);
    expect((await cli('evidence', 'retract', '999', '--reason', 'x')).code).toBe(1);
    expect(harness.errors.join('\n')).toContain('firebreak: artifact 999 does not exist');
    expect((await cli('evidence', 'retract', String(syslog.id))).code).toBe(2);
    expect(harness.errors.join('\n')).toContain('--reason is required: say why the artifact is retracted');
  });
});

