import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import { verifyBag } from '../../../../electron/services/evidence';
import type { ArtifactRecord, CollectionResult } from '../../../../shared/evidence';
import type { ArtifactPage } from '../../../../shared/artifact-page';
import { createFixture, type Fixture } from '../fixtures';

// Issue 15: mistaken evidence cannot be taken back. It is never deleted: it is retracted with
// a reason, kept in the store and custody chain, left out of reports and default exports.
describe('retracting an artifact', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  let incidentId: number;
  let src: string;
  let artifacts: readonly ArtifactRecord[];
  const ok = async <T>(channel: Parameters<Dispatch>[0], input: unknown): Promise<T> => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(result.error.message);
    return result.value as T;
  };
  const byName = (suffix: string) => artifacts.find((a) => a.name.endsWith(suffix))!;

  beforeEach(async () => {
    f = createFixture();
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-retract-'));
    fs.writeFileSync(path.join(src, 'app.log'), 'ERROR upstream timeout\n');
    fs.writeFileSync(path.join(src, 'secrets.env'), 'DB_PASSWORD=hunter2\n');
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
    incidentId = f.services.incidents.create({ title: 'Checkout 502', severity: 'high' }).id;
    ({ artifacts } = await ok<CollectionResult>('evidence.collectFiles', { incidentId, paths: [src], requestId: 'r1' }));
  });
  afterEach(() => {
    f.cleanup();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('keeps the artifact and its blob, records who, when and why, and writes "evidence retracted" on the timeline', async () => {
    const wrong = byName('secrets.env');
    const retracted = await ok<ArtifactRecord>('evidence.retract', { artifactId: wrong.id, reason: '  collected by mistake: holds a password  ' });
    expect(retracted.retracted).toEqual({ reason: 'collected by mistake: holds a password', at: '2026-11-23T09:00:00.000Z', actor: 'alice' });
    expect(f.services.evidence.listArtifacts(incidentId).map((a) => a.id)).toContain(wrong.id);
    expect(fs.existsSync(f.services.evidence.blobPath(wrong)!)).toBe(true);
    const entry = f.services.timeline.list(incidentId).at(-1)!;
    expect(entry.kind).toBe('evidence.retracted');
    expect(entry.data).toMatchObject({ artifactId: wrong.id, name: wrong.name, sha256: wrong.sha256, reason: 'collected by mistake: holds a password' });
    // The store still verifies: nothing was removed or changed.
    expect((await f.services.evidenceArchive.verifyStore(incidentId)).failures).toEqual([]);
    expect(f.services.timeline.verify(incidentId).failures).toEqual([]);
  });

  it('refuses a second retraction, an unknown id and a missing reason with clear errors', async () => {
    const wrong = byName('secrets.env');
    await ok('evidence.retract', { artifactId: wrong.id, reason: 'mistake' });
    const twice = await dispatch('evidence.retract', { artifactId: wrong.id, reason: 'again' });
    expect(twice).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(!twice.ok && twice.error.message).toBe(`artifact ${wrong.id} (${wrong.name}) is already retracted (2026-11-23T09:00:00.000Z, by alice: mistake)`);
    expect(await dispatch('evidence.retract', { artifactId: 9999, reason: 'x' })).toEqual({ ok: false, error: { code: 'not_found', message: 'artifact 9999 does not exist' } });
    const blank = await dispatch('evidence.retract', { artifactId: byName('app.log').id, reason: '   ' });
    expect(blank).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(!blank.ok && blank.error.message).toContain('reason: say why the artifact is retracted');
    const missing = await dispatch('evidence.retract', { artifactId: byName('app.log').id });
    expect(!missing.ok && missing.error.message).toContain('reason');
    // Only the one retraction was written.
    expect(f.services.timeline.list(incidentId).filter((e) => e.kind === 'evidence.retracted')).toHaveLength(1);
  });

  it('hides retracted artifacts in the list unless asked for, then shows them with the retraction', async () => {
    const wrong = byName('secrets.env');
    await ok('evidence.retract', { artifactId: wrong.id, reason: 'mistake' });
    const page = await ok<ArtifactPage>('evidence.artifactsPage', { incidentId, limit: 50 });
    expect(page.artifacts.map((a) => a.id)).toEqual([byName('app.log').id]);
    expect(page).toMatchObject({ matched: 1, total: 2, retracted: 1 });
    const all = await ok<ArtifactPage>('evidence.artifactsPage', { incidentId, limit: 50, filter: { includeRetracted: true } });
    expect(all.artifacts.find((a) => a.id === wrong.id)?.retracted?.reason).toBe('mistake');
    expect(all.matched).toBe(2);
  });

  it('leaves a retracted artifact out of the default bag, includes it marked when asked, and both bags verify', async () => {
    const wrong = byName('secrets.env');
    await ok('evidence.retract', { artifactId: wrong.id, reason: 'mistake' });
    const out = path.join(f.home, 'exports');
    fs.mkdirSync(out);

    const plain = await ok<{ path: string }>('evidence.export', { incidentId, out: path.join(out, 'plain'), format: 'dir' });
    expect((await verifyBag(plain.path)).failures).toEqual([]);
    const listing = JSON.parse(fs.readFileSync(path.join(plain.path, 'data/evidence/artifacts.json'), 'utf8')) as Array<ArtifactRecord & { bagPath: string | null }>;
    expect(listing.find((a) => a.id === wrong.id)).toMatchObject({ bagPath: null, retracted: { reason: 'mistake' } });
    const files = fs.readdirSync(path.join(plain.path, 'data/evidence'), { recursive: true }).map(String);
    expect(files.some((p) => p.includes('secrets.env'))).toBe(false);
    expect(fs.readFileSync(path.join(plain.path, 'bag-info.txt'), 'utf8')).toContain('Firebreak-Retracted-Artifacts: 1 (left out of the payload)');
    expect((await ok<{ ok: boolean }>('evidence.verifyBag', { path: plain.path })).ok).toBe(true);

    const marked = await ok<{ path: string }>('evidence.export', { incidentId, out: path.join(out, 'marked.tar'), format: 'tar', includeRetracted: true });
    const report = await verifyBag(marked.path);
    expect(report.failures).toEqual([]);
    expect(report.bagInfo['Firebreak-Retracted-Artifacts']).toEqual(['1 (included under data/evidence/retracted/)']);
  });

  it('leaves a retracted artifact out of the report', async () => {
    const wrong = byName('secrets.env');
    const before = f.services.reports.render({ incidentId, template: 'incident-report', format: 'md', redact: false }).text;
    expect(before).toContain('secrets.env');
    await ok('evidence.retract', { artifactId: wrong.id, reason: 'mistake' });
    const after = f.services.reports.render({ incidentId, template: 'incident-report', format: 'md', redact: false }).text;
    expect(after).toContain(byName('app.log').sha256!);
    expect(after).not.toContain(wrong.sha256!);
  });
});
