import { afterEach, describe, expect, it } from 'vitest';
import { harness, type Harness } from './helpers';

describe('artifact params', () => {
  let h: Harness | undefined;
  afterEach(() => h?.cleanup());

  it('each artifact row holds its own collection params, serialised once per collection', async () => {
    h = harness();
    const draft = (name: string) => ({ name, kind: 'file' as const, status: 'ok' as const, detail: null, sha256: null, size: null, mediaType: 'text/plain', binary: false, source: null, sourceSha256: null, derivation: null });
    const first = await h.evidence.collectWith(h.incidentId, 'test', { z: 1, a: { b: 'listing script' } }, async (ctx) => {
      for (let i = 0; i < 3; i++) await ctx.add(draft(`one-${i}`));
    });
    const second = await h.evidence.collectWith(h.incidentId, 'test', { other: true }, async (ctx) => ctx.add(draft('two')));
    const stored = h.db.prepare<[], { collection_id: number; params: string }>('SELECT collection_id, params FROM evidence_artifacts ORDER BY id').all();
    expect(stored).toEqual([
      ...[0, 1, 2].map(() => ({ collection_id: first.collection.id, params: '{"a":{"b":"listing script"},"z":1}' })),
      { collection_id: second.collection.id, params: '{"other":true}' },
    ]);
    expect(h.evidence.listArtifacts(h.incidentId).map((a) => a.params)).toEqual([...[0, 1, 2].map(() => ({ a: { b: 'listing script' }, z: 1 })), { other: true }]);
  });
});
