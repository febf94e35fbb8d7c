import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { logPreset } from '../../../../electron/services/evidence/presets';
import { harness, write, type Harness } from './helpers';

describe('snapshot, change listing, transcripts and presets', () => {
  let h: Harness;
  beforeEach(() => {
    h = harness();
  });
  afterEach(() => h.cleanup());

  it('takes a real system snapshot as JSON and readable text', async () => {
    const { collection, artifacts } = await h.evidence.collectSnapshot(h.incidentId, { sections: ['os', 'time', 'memory', 'processes', 'connections', 'users'] });
    expect(collection.status).toBe('complete');
    const json = artifacts.find((a) => a.name === 'system/snapshot.json')!;
    const text = artifacts.find((a) => a.name === 'system/snapshot.txt')!;
    const parsed = JSON.parse(fs.readFileSync(h.evidence.blobPath(json)!, 'utf8')) as { sections: { processes: { list: Array<{ pid: number; command: string }> } } };
    expect(parsed.sections.processes.list.some((p) => p.pid === process.pid)).toBe(true);
    const body = fs.readFileSync(h.evidence.blobPath(text)!, 'utf8');
    expect(body).toMatch(/^System snapshot taken/);
    expect(body).toMatch(/Processes \(\d+\), by CPU:/);
    expect(body).toMatch(/Listening ports:/);
    // Raw platform command output is kept too, where the tools exist.
    expect(artifacts.filter((a) => a.kind === 'command').every((a) => a.sha256 !== null)).toBe(true);
  }, 30_000);

  it('keeps a snapshot when one section fails', async () => {
    h.cleanup();
    h = harness({ snapshotSource: { os: async () => ({ platform: 'linux' }), services: async () => Promise.reject(new Error('systemctl missing')) } });
    const { artifacts } = await h.evidence.collectSnapshot(h.incidentId, { includeCommands: false });
    expect(artifacts).toHaveLength(2);
    expect(artifacts[0]!.detail).toMatch(/services \(systemctl missing\)/);
    expect(fs.readFileSync(h.evidence.blobPath(artifacts[1]!)!, 'utf8')).toMatch(/services: systemctl missing/);
  });

  it('lists files changed in a window, newest first, with owner and mode', async () => {
    write(path.join(h.src, 'config/a.py'), 'a', new Date('2026-11-23T08:00:00Z'));
    write(path.join(h.src, 'config/sub/b.py'), 'bb', new Date('2026-11-23T09:30:00Z'));
    write(path.join(h.src, 'config/old.py'), 'old', new Date('2026-10-01T00:00:00Z'));
    fs.chmodSync(path.join(h.src, 'config/sub/b.py'), 0o640);
    // Directories get today's mtime when their files are written: pin them too, or the test expires.
    fs.utimesSync(path.join(h.src, 'config/sub'), new Date('2026-11-23T09:00:00Z'), new Date('2026-11-23T09:00:00Z'));
    fs.utimesSync(path.join(h.src, 'config'), new Date('2026-10-01T00:00:00Z'), new Date('2026-10-01T00:00:00Z'));
    const { artifacts } = await h.evidence.collectChanges(h.incidentId, { roots: [path.join(h.src, 'config')], since: '2026-11-23T00:00:00Z', until: '2026-11-24T00:00:00Z' });
    const listing = JSON.parse(fs.readFileSync(h.evidence.blobPath(artifacts.find((a) => a.name.endsWith('.json'))!)!, 'utf8')) as { entries: Array<{ path: string; type: string; mode: string; size: number; owner: string | null }> };
    // Directories are listed too (as Get-ChildItem -Recurse does): a new mtime means entries came or went.
    expect(listing.entries.find((e) => e.type === 'directory')?.path).toBe(path.join(h.src, 'config/sub'));
    const files = listing.entries.filter((e) => e.type === 'file');
    expect(files.map((e) => path.relative(h.src, e.path))).toEqual(['config/sub/b.py', 'config/a.py']);
    expect(files[0]).toMatchObject({ mode: '0640', size: 2 });
    const text = fs.readFileSync(h.evidence.blobPath(artifacts.find((a) => a.name.endsWith('.txt'))!)!, 'utf8');
    expect(text.split('\n').find((l) => l.includes('b.py'))).toMatch(/^2026-11-23T09:30:00.000Z  0640 .*config\/sub\/b\.py$/);
  });

  it('stores a transcript from a stream with custody', async () => {
    const stream = Readable.from([Buffer.from('$ uptime\n'), Buffer.from(' 10:00 up 3 days\n')]);
    const { artifacts } = await h.evidence.storeTranscript(h.incidentId, { name: 'disk-full/step-2.txt', data: stream, producer: 'runbook:disk-full' });
    expect(artifacts[0]).toMatchObject({ name: 'transcripts/disk-full/step-2.txt', kind: 'transcript', size: 26, collector: 'transcript', params: { producer: 'runbook:disk-full', name: 'disk-full/step-2.txt' } });
    expect(fs.readFileSync(h.evidence.blobPath(artifacts[0]!)!, 'utf8')).toBe('$ uptime\n 10:00 up 3 days\n');
  });

  it('collects the platform log preset plus app logs without failing on missing locations', async () => {
    write(path.join(h.src, 'logs/main.log'), 'INFO a\nERROR b\n');
    const { collection, artifacts } = await h.evidence.collectLogPreset(h.incidentId, { extraPaths: [path.join(h.src, 'logs/*.log')], tail: 100 });
    expect(collection.status).toBe('complete');
    expect(artifacts.some((a) => a.name.endsWith('main.log.tail-100.txt'))).toBe(true);
    // journalctl is run when installed; with no journal it fails cleanly with its reason.
    const journal = artifacts.find((a) => a.name === 'commands/journalctl.txt');
    if (journal) expect(['ok', 'command-failed']).toContain(journal.status);
  }, 60_000);

  it('has presets for linux, darwin and windows', () => {
    expect(logPreset('linux').globs).toContain('/var/log/syslog');
    expect(logPreset('darwin').commands[0]!.command).toBe('log');
    const win = logPreset('win32', {}, { ProgramData: 'C:\\ProgramData' });
    expect(win.commands.map((c) => c.args.slice(0, 2).join(' '))).toEqual(['epl System', 'epl Application', 'epl Security']);
  });
});
