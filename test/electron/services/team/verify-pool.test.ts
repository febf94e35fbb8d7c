import { generateKeyPairSync, sign } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { VerifyPool, verifyInline, type SignatureCheck } from '../../../../electron/services/team/verify-pool';

// Signatures of big catch-up batches are verified on worker threads: the verdicts must be the
// main thread's, in order, forged ones included.

function checks(n: number): { items: SignatureCheck[]; forged: Set<number> } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const x = publicKey.export({ format: 'jwk' }).x!;
  const forged = new Set([3, n - 1]);
  const items = Array.from({ length: n }, (_, i): SignatureCheck => {
    const hash = i.toString(16).padStart(64, '0');
    const signature = sign(null, Buffer.from(forged.has(i) ? `other ${i}` : hash, 'utf8'), privateKey).toString('base64');
    return [x, hash, signature];
  });
  return { items, forged };
}

describe('VerifyPool', () => {
  const pools: VerifyPool[] = [];
  afterEach(async () => {
    for (const p of pools.splice(0)) await p.close();
  });

  it('gives the same verdicts on worker threads as on the main thread, in order', async () => {
    const pool = new VerifyPool(2, 1);
    pools.push(pool);
    const { items, forged } = checks(40);
    const verdicts = await pool.verifyMany(items);
    expect(verdicts).toEqual(items.map((_, i) => !forged.has(i)));
    expect(verdicts).toEqual(verifyInline(items));
  });

  it('refuses a malformed key or signature instead of throwing', async () => {
    const pool = new VerifyPool(1, 1);
    pools.push(pool);
    const { items } = checks(2);
    const verdicts = await pool.verifyMany([items[0]!, ['not-a-key', items[0]![1], items[0]![2]], [items[0]![0], items[0]![1], 'AAAA']]);
    expect(verdicts).toEqual([true, false, false]);
  });

  it('verifies inline with no workers and after close', async () => {
    const pool = new VerifyPool(0, 1);
    const { items, forged } = checks(6);
    expect(await pool.verifyMany(items)).toEqual(items.map((_, i) => !forged.has(i)));
    const closed = new VerifyPool(1, 1);
    await closed.close();
    expect(await closed.verifyMany(items)).toEqual(items.map((_, i) => !forged.has(i)));
  });
});
