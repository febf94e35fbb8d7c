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
    // Every bundled runbook and its Japanese variant, each variant checked against its English file.
    const bundled = fs.readdirSync(path.resolve(__dirname, '../../../runbooks')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(bundled.filter((f) => f.endsWith('.ja.md'))).toHaveLength(bundled.length / 2);
    expect(result.out).toContain(`${bundled.length} files checked: 0 errors`);
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
    const list = JSON.parse(json.out) as { runbooks: { id: string }[]; notLoaded: unknown[] };
    expect(list.runbooks.map((r) => r.id)).toContain('rollback');
    expect(list.notLoaded).toEqual([]);
    expect((await cli('runbook', 'frobnicate')).code).toBe(2);
  });

  it('lists the runbooks in a language (--lang), as a table with a LANG column and as JSON', async () => {
    const table = await cli('runbook', 'list', '--lang', 'ja');
    expect(table.code).toBe(0);
    expect(table.out).toMatch(/^ID +SEVERITY +VERSION +SOURCE +LANG/);
    expect(table.out).toMatch(/critical-total-outage +critical +1\.0\.0 +bundled +ja .*システム完全停止/);
    const json = (JSON.parse((await cli('runbook', 'list', '--lang', 'ja', '--json')).out) as { runbooks: { id: string; title: string; lang: string; languages: string[] }[] }).runbooks;
    expect(json.find((r) => r.id === 'rollback')).toMatchObject({ lang: 'ja', languages: ['en', 'ja'] });
    expect(json.find((r) => r.id === 'rollback')!.title).toMatch(/ロールバック/);
    const english = (JSON.parse((await cli('runbook', 'list', '--lang', 'en', '--json')).out) as { runbooks: { id: string; title: string; lang: string }[] }).runbooks;
    expect(english.find((r) => r.id === 'rollback')).toMatchObject({ lang: 'en', title: 'Roll back to the last stable version' });
    expect((await cli('runbook', 'list', '--lang', 'japanese')).code).toBe(2);
  });

  it('lint fails on a drifted language variant, naming the variant file and line, also when given the variant alone', async () => {
    const dir = path.join(harness.home, 'drift');
    fs.mkdirSync(dir);
    const en = '---\nid: d\ntitle: D\nseverity: [low]\nversion: 1.0.0\napplies_to: [x]\n---\n\n## Check {#check}\n\n- [ ] Look {#look}\n\n  ```sh {name=look}\n  uptime\n  ```\n';
    fs.writeFileSync(path.join(dir, 'd.md'), en);
    fs.writeFileSync(path.join(dir, 'd.ja.md'), en.replace('title: D', 'title: 確認').replace('Look {#look}', '見る {#look}').replace('  uptime', '  uptime -p'));
    for (const target of [dir, path.join(dir, 'd.ja.md')]) {
      const result = await cli('runbook', 'lint', target);
      expect(result.code).toBe(1);
      expect(result.out).toMatch(/d\.ja\.md:14: error: command d\/check\/look#look differs from d\.md:14; commands must be the same in every language/);
    }
  });

  it('lists every file of the runbook folders that did not load, with file:line: reason', async () => {
    const dir = path.join(harness.home, 'team-runbooks');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'KubePodCrashLooping.md'), '---\ntitle: Crash looping\nweight: 3\n---\n\n## Diagnosis\n\n```console\n$ kubectl get pods -n <namespace>\nNAME READY\n```\n');
    fs.writeFileSync(path.join(dir, 'broken.md'), '# Broken\n\n```sh\nkubectl get pods\n');
    fs.mkdirSync(path.join(harness.home, 'settings'), { recursive: true });
    fs.writeFileSync(path.join(harness.home, 'settings', 'runbooks.json'), JSON.stringify({ folders: [dir] }));
    const json = JSON.parse((await cli('runbook', 'list', '--json')).out) as { runbooks: { id: string; title: string }[]; notLoaded: { file: string; line: number; reason: string }[] };
    expect(json.runbooks.find((r) => r.id === 'kubepodcrashlooping')?.title).toBe('Crash looping');
    expect(json.notLoaded).toMatchObject([{ file: path.join(dir, 'broken.md'), line: 3, reason: expect.stringMatching(/never closed/) }]);
    const table = await cli('runbook', 'list');
    expect(table.out).toMatch(/1 file did not load/);
    expect(table.out).toMatch(/broken\.md:3: code block is never closed/);
  });
});
