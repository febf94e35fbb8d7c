import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OffsetLines, pushdownLiterals } from '../../../../electron/services/evidence/remote-grep';
import { toFilters } from '../../../../electron/services/evidence/files';
import type { ArtifactRecord } from '../../../../electron/services/evidence/types';
import type { CollectionProgress } from '../../../../shared/evidence';
import { sshdAvailable } from '../../../support/sshd';
import { targetHarness, type TargetHarness } from '../targets/harness';

const sha = (data: string | Buffer) => crypto.createHash('sha256').update(data).digest('hex');
const body = (h: TargetHarness, a: ArtifactRecord) => (a.sha256 ? fs.readFileSync(h.evidence.blobPath(a)!) : null);
/** What must be identical whichever side filtered. */
const result = (h: TargetHarness, artifacts: readonly ArtifactRecord[]) =>
  Object.fromEntries(artifacts.map((a) => [a.source?.path ?? a.name, { status: a.status, kind: a.kind, sha256: a.sha256, size: a.size, sourceSha256: a.sourceSha256, derivation: a.derivation, bytes: body(h, a)?.toString('latin1') ?? null }]));

/** Over the batch limit (1 MiB), so each file has its own session, where the grep can be pushed down. */
const pad = (n: number) => Array.from({ length: n }, (_, i) => `2026-12-06T09:${String(i % 60).padStart(2, '0')}:00Z INFO filler line ${i} ${'.'.repeat(40)}\n`).join('');

describe('what is pushed down to the server', () => {
  it('only a pattern of plain literals, case-sensitive, with no time, level or tail filter, within --max-bytes', () => {
    expect(pushdownLiterals(toFilters({ grep: 'ERROR|CRITICAL' }), 10)).toEqual(['ERROR', 'CRITICAL']);
    expect(pushdownLiterals(toFilters({ grep: 'ERR(OR|NO)' }), 10)).toEqual(['ERROR', 'ERRNO']);
    expect(pushdownLiterals(toFilters({ grep: 'ERROR.*db' }), 10)).toBeNull();
    expect(pushdownLiterals(toFilters({ grep: 'ERROR', grepIgnoreCase: true }), 10)).toBeNull();
    expect(pushdownLiterals(toFilters({ grep: '(?i)error' }), 10)).toBeNull();
    expect(pushdownLiterals(toFilters({ grep: 'ERROR', since: '2026-12-06T00:00:00Z' }), 10)).toBeNull();
    expect(pushdownLiterals(toFilters({ grep: 'ERROR', level: 'error' }), 10)).toBeNull();
    expect(pushdownLiterals(toFilters({ grep: 'ERROR', tail: 5 }), 10)).toBeNull();
    expect(pushdownLiterals(toFilters({ grep: 'ERROR', maxBytes: 5 }), 10)).toBeNull();
  });

  it('turns grep -b output back into the lines, without the newline grep adds to an unterminated last line', () => {
    const src = 'a ERROR\nb\nc ERROR';
    const lines = new OffsetLines(src.length, false);
    const out = [...lines.push(Buffer.from('0:a ERROR\n10:c ER')), ...lines.push(Buffer.from('ROR\n'))].map((b) => b.toString());
    expect(out).toEqual(['a ERROR\n', 'c ERROR']);
    expect(lines.clean).toBe(true);
    const cut = new OffsetLines(10, true);
    void [...cut.push(Buffer.from('0:partial'))];
    expect(cut.clean).toBe(false);
  });
});

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('remote --grep, --since, --until and --level (real sshd)', () => {
  let h: TargetHarness | undefined;
  const canaries: string[] = [];
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
    for (const c of canaries.splice(0)) fs.rmSync(c, { force: true });
  });

  it('the server filters a literal pattern and the result is byte for byte what the laptop would keep', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'logs');
    fs.mkdirSync(dir);
    const files: Record<string, Buffer> = {
      'crlf.log': Buffer.from(pad(14_000).replace(/\n/g, '\r\n') + 'x ERROR crlf\r\n' + pad(10)),
      'no-final-newline.log': Buffer.from(pad(14_000) + 'ERROR first\n' + pad(5) + 'last line CRITICAL no newline'),
      'no-final-newline-unmatched.log': Buffer.from(pad(14_000) + 'ERROR first\nlast line no newline'),
      'invalid-utf8.log': Buffer.concat([Buffer.from(pad(14_000)), Buffer.from([0xff, 0xfe, 0x45, 0x52, 0x52, 0x4f, 0x52, 0xc3, 0x28, 10]), Buffer.from('done\n')]),
      'nothing.log': Buffer.from(pad(14_000)),
      'binary.dat': Buffer.concat([Buffer.from([0, 1, 2]), Buffer.from(pad(14_000) + 'ERROR inside binary\n')]),
      'long-line.log': Buffer.from(pad(14_000) + 'ERROR ' + 'y'.repeat(1_100_000) + '\nERROR short\n'),
      'stack.log': Buffer.from(pad(14_000) + 'ERROR boom\n    at f (a.js:1)\n    at g (b.js:2)\nCRITICAL again\n'),
    };
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
    const target = h.targets.ssh('fbtest');
    const exec = target.exec.bind(target);
    const scripts: string[] = [];
    target.exec = (script, options) => (scripts.push(script), exec(script, options));

    const server = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir], grep: 'ERROR|CRITICAL' });
    expect(scripts.filter((s) => s.includes('grep -a -b -F')).length).toBeGreaterThanOrEqual(Object.keys(files).length);
    const laptop = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir], grep: 'ERROR|CRITICAL', pushdown: false });
    expect(scripts.at(-1)).not.toContain('grep');
    // A line over MAX_LINE is cut by the laptop's scan where the chunks happen to fall, so
    // that file is compared on where it was filtered only (the server declines it, below).
    const comparable = (artifacts: readonly ArtifactRecord[]) => artifacts.filter((a) => !a.source?.path.endsWith('long-line.log'));
    expect(result(h, comparable(server.artifacts))).toEqual(result(h, comparable(laptop.artifacts)));

    const byName = (n: string) => server.artifacts.find((a) => a.source?.path === path.join(dir, n))!;
    expect(byName('crlf.log')).toMatchObject({ kind: 'derived', status: 'ok', sourceSha256: sha(files['crlf.log']!), derivation: { grep: 'ERROR|CRITICAL', sourceReadWhole: true, linesKept: 1 } });
    expect(byName('crlf.log').detail).toContain('filtered on fbtest by grep -F');
    expect(body(h, byName('crlf.log'))!.toString()).toBe('x ERROR crlf\r\n');
    expect(body(h, byName('no-final-newline.log'))!.toString()).toBe('ERROR first\nlast line CRITICAL no newline');
    expect(body(h, byName('stack.log'))!.toString()).toBe('ERROR boom\nCRITICAL again\n');
    expect(byName('nothing.log')).toMatchObject({ size: 0, derivation: { linesKept: 0 } });
    // Not pushed down in the end: binary (stored whole) and a line the laptop cuts.
    expect(byName('binary.dat')).toMatchObject({ status: 'binary', sha256: sha(files['binary.dat']!) });
    expect(byName('long-line.log').detail).not.toContain('filtered on fbtest');
    expect(h.timeline.verify(h.incidentId).ok).toBe(true);
  }, 120_000);

  it('patterns reach the server only as quoted -e words: injection attempts find nothing and run nothing', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const canary = `fb-pwned-grep-${process.pid}`;
    canaries.push(path.join(os.homedir(), canary), path.join(process.cwd(), canary));
    const landed = () => [os.homedir(), process.cwd(), h!.serverDir].some((d) => fs.existsSync(path.join(d, canary)));
    const file = path.join(h.serverDir, 'app.log');
    const hostile = [`'; touch ${canary}; echo '`, `$(touch ${canary})`, `\`touch ${canary}\``, `-f /etc/passwd`, `--file=/etc/passwd`];
    fs.writeFileSync(file, pad(14_000) + hostile.map((p) => `line with ${p}\n`).join(''));
    for (const pattern of hostile) {
      const escaped = pattern.replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
      const { artifacts } = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [file], grep: escaped });
      expect(artifacts[0]!.detail).toContain('filtered on fbtest by grep -F');
      expect(body(h, artifacts[0]!)!.toString()).toBe(`line with ${pattern}\n`);
    }
    expect(landed()).toBe(false);
  }, 120_000);

  it('--since, --until and --level work with --target, the same as on this machine', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const file = path.join(h.serverDir, 'svc.log');
    const lines = [
      '{"level":"info","message":"start","timestamp":"2026-12-06T09:59:00.000Z"}',
      '2026-12-06T10:00:00Z WARN slow',
      '{"level":"error","message":"db down","timestamp":"2026-12-06T10:01:00.000Z"}',
      '2026-12-06T10:02:00Z ERROR retry failed',
      '    at stack (x.js:1)',
      '2026-12-06T10:03:00Z INFO recovered',
    ];
    fs.writeFileSync(file, lines.join('\n') + '\n');
    fs.utimesSync(file, new Date('2026-12-06T10:03:00Z'), new Date('2026-12-06T10:03:00Z'));
    const take = async (request: { since?: string; until?: string; level?: 'error' | 'warn' }) => {
      const { collection, artifacts } = await h!.remote.collectFiles(h!.incidentId, 'fbtest', { paths: [file], ...request });
      expect(collection.status).toBe('complete');
      return { artifact: artifacts[0]!, text: body(h!, artifacts[0]!)!.toString() };
    };
    const window = await take({ since: '2026-12-06T10:00:00Z', until: '2026-12-06T10:02:00Z' });
    expect(window.text).toBe([lines[1], lines[2], lines[3], lines[4]].join('\n') + '\n');
    expect(window.artifact).toMatchObject({ kind: 'derived', derivation: { since: '2026-12-06T10:00:00.000Z', until: '2026-12-06T10:02:00.000Z' } });
    const errors = await take({ level: 'error' });
    expect(errors.text).toBe([lines[2], lines[3], lines[4]].join('\n') + '\n');
    expect(errors.artifact).toMatchObject({ derivation: { level: 'error' }, sourceSha256: sha(lines.join('\n') + '\n') });
    const warn = await take({ level: 'warn', until: '2026-12-06T10:00:30Z' });
    expect(warn.text).toBe(lines[1] + '\n');
    await expect(h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [file], since: '2026-12-06T11:00:00Z', until: '2026-12-06T10:00:00Z' })).rejects.toThrow(/until: .* is before since/);
  });

  it('progress shows lines matched and the bytes of the total the listing gave, filtered on either side', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const dir = path.join(h.serverDir, 'progress');
    fs.mkdirSync(dir);
    // One big file (its own session, grep pushed down) and two small ones (one tar batch).
    const files: Record<string, string> = {
      'big.log': pad(14_000) + 'ERROR one\n' + pad(3_000) + 'CRITICAL two\n' + pad(10),
      'small-a.log': 'a INFO\na ERROR\na FATAL CRITICAL\n',
      'small-b.log': 'b CRITICAL\nb ERROR\nb INFO',
    };
    for (const [name, data] of Object.entries(files)) fs.writeFileSync(path.join(dir, name), data);
    const total = Object.values(files).reduce((n, d) => n + Buffer.byteLength(d), 0);
    for (const pushdown of [true, false]) {
      const seen: CollectionProgress[] = [];
      const { artifacts } = await h.remote.collectFiles(h.incidentId, 'fbtest', { paths: [dir], grep: 'ERROR|CRITICAL', pushdown }, { onProgress: (p) => seen.push(p) });
      expect(artifacts.map((a) => a.derivation?.linesKept).sort()).toEqual([2, 2, 2]);
      const last = seen.at(-1)!;
      expect(last, `pushdown ${pushdown}`).toMatchObject({ files: 3, linesMatched: 6, totalBytes: total, bytes: total });
      // The server's search counts source bytes as it goes, not the few bytes of its output.
      expect(Math.max(...seen.map((p) => p.bytes))).toBeLessThanOrEqual(total);
    }
  }, 120_000);
});
