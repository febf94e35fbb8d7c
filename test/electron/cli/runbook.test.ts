import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliHarness } from './support';

describe('firebreak runbook lint / list', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('passes the bundled runbooks with exit 0', async () => {
    const result = await cli('runbook', 'lint');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/13 files checked: 0 errors/);
  });

  it('prints file:line: message for a broken runbook and exits 1, without hiding the good one', async () => {
    const dir = path.join(harness.home, 'mine');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'bad.md'), '---\nid: bad\ntitle: Bad\nseverity: [high]\nversion: 1\n---\n\n## Phase\n\n- [ ] Step\n\n  ```sh {nme=x}\n  echo hi\n  ```\n');
    fs.writeFileSync(path.join(dir, 'good.md'), '---\nid: good\ntitle: Good\nseverity: [low]\nversion: 1.0.0\napplies_to: [x]\n---\n\n## Phase\n\n- [ ] Step\n\n  ```sh\n  echo hi\n  ```\n');
    const result = await cli('runbook', 'lint', dir);
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/bad\.md:12(:\d+)?: error: .*nme/);
    expect(result.out).not.toMatch(/good\.md/); // no problems, nothing printed
    expect((await cli('runbook', 'lint', path.join(dir, 'good.md'))).code).toBe(0);
    expect((await cli('runbook', 'lint', path.join(dir, 'missing.md'))).code).toBe(1);
  });

  it('lists the runbooks, as a table and as JSON', async () => {
    const table = await cli('runbook', 'list');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ID +SEVERITY/);
    expect(table.out).toContain('initial-response');
    const json = await cli('runbook', 'list', '--json');
    const list = JSON.parse(json.out) as { id: string }[];
    expect(list.map((r) => r.id)).toContain('rollback');
    expect((await cli('runbook', 'frobnicate')).code).toBe(2);
  });
});
