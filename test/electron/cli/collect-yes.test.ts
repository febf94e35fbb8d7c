import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { useCliHarness } from './support';

// `collect --yes` confirms a collection above the large threshold (issue 15's confirm, which
// the UI asks); without it the CLI says which flag answers the question.

const logs = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-cli-yes-'));
afterAll(() => fs.rmSync(logs, { recursive: true, force: true }));
// Large by size (over 500 MB) but sparse: text at both ends, a hole between, so --tail reads
// only the end and the disk holds a few KiB.
const big = path.join(logs, 'big.log');
const fd = fs.openSync(big, 'w');
fs.writeSync(fd, Buffer.from('INFO start\n'.repeat(1000)), 0, undefined, 0);
fs.writeSync(fd, Buffer.from('\nERROR last line\n'), 0, undefined, 501 * 1024 * 1024);
fs.closeSync(fd);

describe('firebreak collect --yes', () => {
  const h = useCliHarness();
  const { cli } = h;

  it('refuses a large collection naming --yes, and collects it with --yes', async () => {
    await cli('incident', 'new', '--title', 'disk full', '--severity', 'high');
    const refused = await cli('collect', '1', '--files', big, '--tail', '1');
    expect(refused.code).toBe(1);
    expect(refused.out).toMatch(/^This collection is large: more than 1 file, more than 501\.0 MiB/m);
    expect(h.errors.join('\n')).toMatch(/this collection is large: add --yes to collect it/);
    const done = await cli('collect', '1', '--files', big, '--tail', '1', '--yes', '--json');
    expect(done.code).toBe(0);
    const result = JSON.parse(done.out) as { collection: { status: string }; artifacts: Array<{ size: number }> };
    expect(result.collection.status).toBe('complete');
    expect(result.artifacts.map((a) => a.size)).toEqual(['ERROR last line\n'.length]);
  });
});
