import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../electron/cli';
import { tempHome } from '../../support/temp-home';

describe('firebreak runbook lint / list', () => {
  let home: ReturnType<typeof tempHome>;
  let errors: string[];
  beforeEach(() => {
    home = tempHome();
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    home.cleanup();
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runCli(['--home', home.dir, ...args], (t) => lines.push(t));
    return { code, out: lines.join('\n') };
  }

  it('passes the bundled runbooks with exit 0', async () => {
    const result = await cli('runbook', 'lint');
    expect(result.code).toBe(0);
    expect(result.out).toMatch(/13 files checked: 0 errors/);
  });

  it('prints file:line: message for a broken runbook and exits 1, without hiding the good one', async () => {
    const dir = path.join(home.dir, 'mine');
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
