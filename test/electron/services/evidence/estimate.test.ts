import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { describeSize, estimateCollection } from '../../../../electron/services/evidence/estimate';
import { harness, write, type Harness } from './helpers';

// Issue 15: collecting `/` copied 1.7 GiB without a word. A large collection needs confirmation.
describe('a large files collection', () => {
  let h: Harness;
  afterEach(() => h.cleanup());

  it('counts files and bytes up to the cap and says "more than" when it stops', async () => {
    h = harness();
    for (let i = 0; i < 6; i++) write(path.join(h.src, `f${i}.log`), 'x'.repeat(100));
    expect(await estimateCollection([h.src], { files: 10, bytes: 10_000 })).toEqual({ files: 6, bytes: 600, moreThan: false });
    const capped = await estimateCollection([`${h.src}/*.log`], { files: 3, bytes: 10_000 });
    expect(capped).toEqual({ files: 4, bytes: 400, moreThan: true });
    expect(describeSize(capped)).toBe('more than 4 files, 0.0 MB');
  });

  it('is refused with the estimate unless confirmed, and nothing is collected; small ones need no confirmation', async () => {
    h = harness({ largeCollection: { files: 3, bytes: 1024 * 1024 } });
    for (let i = 0; i < 5; i++) write(path.join(h.src, `f${i}.log`), 'x\n');
    await expect(h.evidence.collectFiles(h.incidentId, { paths: [h.src] })).rejects.toThrow('confirmLarge: this collection is large (more than 4 files, 0.0 MB): confirm to collect it');
    expect(h.evidence.repo.collections(h.incidentId)).toEqual([]);
    const confirmed = await h.evidence.collectFiles(h.incidentId, { paths: [h.src], confirmLarge: true });
    expect(confirmed.artifacts).toHaveLength(5);
    const small = await h.evidence.collectFiles(h.incidentId, { paths: [`${h.src}/f1.log`] });
    expect(small.collection.status).toBe('complete');
  });

  it('answers evidence.estimateFiles with the count, whether it stopped at the cap, and the threshold', async () => {
    h = harness({ largeCollection: { files: 3, bytes: 1024 * 1024 } });
    for (let i = 0; i < 5; i++) write(path.join(h.src, `f${i}.log`), 'x\n');
    expect(await h.evidence.estimateFiles([h.src])).toEqual({ files: 4, bytes: 8, moreThan: true, large: true, threshold: { files: 3, bytes: 1024 * 1024 } });
    expect(await h.evidence.estimateFiles([`${h.src}/f1.log`])).toEqual({ files: 1, bytes: 2, moreThan: false, large: false, threshold: { files: 3, bytes: 1024 * 1024 } });
  });
});

