import fs from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { useCliHarness } from './support';

describe('firebreak report --lang', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  beforeEach(async () => {
    await cli('incident', 'new', '--title', 'Redis OOM', '--severity', 'P0', '--summary', 'redis maxmemory reached');
    await cli('incident', 'status', '1', 'acknowledged');
  });

  it('writes the postmortem in Japanese with --lang ja', async () => {
    const out = path.join(harness.home, 'r.md');
    expect((await cli('report', '1', '--template', 'postmortem', '--lang', 'ja', '--out', out)).code).toBe(0);
    const text = fs.readFileSync(out, 'utf8');
    expect(text).toContain('# ポストモーテム: INC-0001 Redis OOM');
    expect(text).toContain('**レベル**: 緊急 (P0)');
    expect(text).toContain('根本原因');
  });

  it('stays English by default and refuses other languages', async () => {
    expect((await cli('report', '1')).out).toContain('# Incident report: INC-0001 Redis OOM');
    expect((await cli('report', '1', '--lang', 'fr')).code).toBe(2);
    expect(harness.errors.join('\n')).toContain('--lang: must be one of en, ja');
  });
});
