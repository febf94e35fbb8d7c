import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import type { ArtifactChunk, BagExportResult, BagVerificationReport, CollectionResult, EvidenceListing, EvidenceProgressEvent, SearchResult, VerificationReport } from '../../../shared/evidence';
import { createFixture, type Fixture } from '../services/fixtures';

describe('evidence channels', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  let logs: string;
  let src: string;
  let incidentId: number;
  const call = async <T,>(channel: string, input?: unknown): Promise<T> => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };
  const failure = async (channel: string, input: unknown) => {
    const result = await dispatch(channel, input);
    if (result.ok) throw new Error(`${channel} unexpectedly succeeded`);
    return result.error;
  };

  beforeEach(() => {
    f = createFixture();
    // Sources live outside the profile: a walk never collects Firebreak's own profile.
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-src-'));
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
    incidentId = f.services.incidents.create({ title: 'checkout 502', severity: 'high' }).id;
    logs = path.join(src, 'logs');
    fs.mkdirSync(path.join(logs, 'nested'), { recursive: true });
    fs.writeFileSync(path.join(logs, 'app.log'), 'INFO start\nERROR db timeout\nINFO retry\nCRITICAL pool exhausted\n');
    fs.writeFileSync(path.join(logs, 'nested', 'worker.log'), 'INFO ok\n');
  });
  afterEach(() => {
    f.cleanup();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('collects files, lists, reads, searches, verifies the store, exports a bag and verifies it', async () => {
    const progress: EvidenceProgressEvent[] = [];
    f.services.events.on('evidence.progress', (p) => progress.push(p));
    const result = await call<CollectionResult>('evidence.collectFiles', { incidentId, paths: [`${logs}/**/*.log`], requestId: 'req-1' });
    expect(result.collection.status).toBe('complete');
    expect(result.artifacts.map((a) => a.name).sort()).toEqual([`${logs.slice(1)}/app.log`, `${logs.slice(1)}/nested/worker.log`]);
    expect(progress.at(-1)).toMatchObject({ incidentId, requestId: 'req-1', done: true, files: 2 });

    const grepped = await call<CollectionResult>('evidence.collectFiles', { incidentId, paths: [path.join(logs, 'app.log')], grep: 'ERROR|CRITICAL', requestId: 'req-2' });
    const derived = grepped.artifacts[0]!;
    expect(derived.derivation?.grep).toBe('ERROR|CRITICAL');

    const listing = await call<EvidenceListing>('evidence.list', { incidentId });
    expect(listing.collections).toHaveLength(2);
    expect(listing.artifacts).toHaveLength(3);

    const chunk = await call<ArtifactChunk>('evidence.read', { artifactId: derived.id });
    expect(chunk.encoding).toBe('utf8');
    expect(chunk.content).toBe('ERROR db timeout\nCRITICAL pool exhausted\n');
    const page = await call<ArtifactChunk>('evidence.read', { artifactId: derived.id, offset: 6, length: 2 });
    expect(page).toMatchObject({ content: 'db', eof: false, totalSize: chunk.totalSize });

    const found = await call<SearchResult>('evidence.search', { artifactId: derived.id, pattern: 'pool', ignoreCase: true });
    expect(found.matches).toEqual([expect.objectContaining({ line: 2, text: 'CRITICAL pool exhausted' })]);

    const store = await call<VerificationReport>('evidence.verifyStore', { incidentId });
    expect(store).toMatchObject({ ok: true, failures: [] });

    const out = await call<string>('evidence.defaultExportPath', { incidentId, format: 'tar' });
    expect(out).toMatch(new RegExp(`^${f.home}/exports/INC-0*${incidentId}-\\d{8}T\\d{6}Z\\.tar$`));
    const exported = await call<BagExportResult>('evidence.export', { incidentId, out, format: 'tar' });
    expect(exported.tagManifestSha256).toMatch(/^[0-9a-f]{64}$/);
    expect(exported.warnings).toEqual([]);
    const bag = await call<BagVerificationReport>('evidence.verifyBag', { path: out });
    expect(bag).toMatchObject({ ok: true, failures: [] });
    expect(bag.bagInfo['External-Identifier']?.[0]).toMatch(/INC-0*1|1/);

    const dir = path.join(f.home, 'exports', 'bag-dir');
    await call<BagExportResult>('evidence.export', { incidentId, out: dir, format: 'dir' });
    expect((await call<BagVerificationReport>('evidence.verifyBag', { path: dir })).ok).toBe(true);

    const kinds = f.services.timeline.list(incidentId).map((e) => e.kind);
    for (const kind of ['evidence.collected', 'evidence.viewed', 'evidence.verified', 'evidence.exported']) expect(kinds).toContain(kind);
  });

  it('refuses relative paths, NUL bytes, bad regexes, existing export targets and missing bags', async () => {
    expect(await failure('evidence.collectFiles', { incidentId, paths: ['logs/*.log'], requestId: 'r' })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('absolute') });
    expect(await failure('evidence.collectFiles', { incidentId, paths: ['/var/log/a\0b'], requestId: 'r' })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('NUL') });
    expect(await failure('evidence.collectFiles', { incidentId, paths: ['/var/log/*.log'], grep: '(', requestId: 'r' })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('grep') });
    expect(await failure('evidence.collectFiles', { incidentId, paths: ['/var/log/*.log'], requestId: '../x' })).toMatchObject({ code: 'invalid_input' });
    expect(await failure('evidence.export', { incidentId, out: logs, format: 'dir' })).toMatchObject({ code: 'conflict', message: expect.stringContaining('already exists') });
    expect(await failure('evidence.export', { incidentId, out: path.join(f.home, 'no', 'such', 'bag'), format: 'dir' })).toMatchObject({ code: 'invalid_input', message: expect.stringContaining('does not exist') });
    expect(await failure('evidence.verifyBag', { path: path.join(f.home, 'missing.tar') })).toMatchObject({ code: 'not_found' });
    expect(await failure('evidence.list', { incidentId: 999 })).toMatchObject({ code: 'not_found' });
  });

  it('a collection can be cancelled by its request id; what was committed stays', async () => {
    const many = path.join(src, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 1000; i++) fs.writeFileSync(path.join(many, `f${i}.log`), `line ${i}\n`);
    let cancelled: Promise<{ cancelled: boolean }> | undefined;
    f.services.events.on('evidence.progress', (p) => {
      if (!cancelled && p.requestId === 'big' && p.files > 0) cancelled = call('evidence.cancel', { requestId: 'big' });
    });
    const result = await call<CollectionResult>('evidence.collectFiles', { incidentId, paths: [many], requestId: 'big' });
    expect(await cancelled).toEqual({ cancelled: true });
    expect(result.collection.status).toBe('cancelled');
    expect(result.artifacts.length).toBeLessThan(1000);
    expect(await call('evidence.cancel', { requestId: 'big' })).toEqual({ cancelled: false });
    expect((await call<VerificationReport>('evidence.verifyStore', { incidentId })).ok).toBe(true);
  });

  it('does not add evidence to a closed incident, but still verifies and exports it', async () => {
    await call('evidence.collectFiles', { incidentId, paths: [logs], requestId: 'before' });
    f.services.incidents.transition({ id: incidentId, to: 'closed', reason: 'test' });
    expect(await failure('evidence.collectFiles', { incidentId, paths: [logs], requestId: 'after' })).toMatchObject({ code: 'conflict', message: expect.stringContaining('closed') });
    expect((await call<VerificationReport>('evidence.verifyStore', { incidentId })).ok).toBe(true);
  });
});
