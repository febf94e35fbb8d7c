import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { findBundledRunbooksDir, loadRunbooks, RunbookCatalog, runbooksFor } from '../../../../electron/services/runbooks';

function runbook(id: string, title: string, extra = ''): string {
  return `---\nid: ${id}\ntitle: ${title}\nseverity: [high]\napplies_to: [outage]\nversion: 1\n${extra}---\n\n## Phase\n\n- [ ] Step\n\n  \`\`\`sh\n  echo ${id}\n  \`\`\`\n`;
}

let root: string;
let bundled: string;
let user: string;

beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'firebreak-runbooks-'));
  bundled = path.join(root, 'bundled');
  user = path.join(root, 'user');
  await mkdir(bundled);
  await mkdir(path.join(user, 'nested'), { recursive: true });
  await writeFile(path.join(bundled, 'a.md'), runbook('alpha', 'Alpha (bundled)'));
  await writeFile(path.join(bundled, 'b.md'), runbook('beta', 'Beta (bundled)'));
  await writeFile(path.join(bundled, 'README.md'), '# not a runbook\n');
});

afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadRunbooks', () => {
  it('lets a user runbook override the bundled one with the same id', async () => {
    await writeFile(path.join(user, 'nested', 'my-alpha.md'), runbook('alpha', 'Alpha (mine)'));
    const result = await loadRunbooks({ bundledDir: bundled, userDirs: [user] });
    expect(result.diagnostics).toEqual([]);
    expect(result.runbooks.map((r) => [r.id, r.title, r.source])).toEqual([
      ['alpha', 'Alpha (mine)', 'user'],
      ['beta', 'Beta (bundled)', 'bundled'],
    ]);
    const bundledAlpha = result.files.find((f) => f.file === path.join(bundled, 'a.md'));
    expect(bundledAlpha?.overriddenBy).toBe(path.join(user, 'nested', 'my-alpha.md'));
  });

  it('never lets a broken file hide the others', async () => {
    await writeFile(path.join(user, 'broken.md'), '---\nid: [\n---\n');
    await writeFile(path.join(user, 'gamma.md'), runbook('gamma', 'Gamma'));
    await writeFile(path.join(user, 'bad-step.md'), runbook('delta', 'Delta').replace('- [ ] Step', '- [ ]'));
    const result = await loadRunbooks({ bundledDir: bundled, userDirs: [user] });
    expect(result.runbooks.map((r) => r.id)).toEqual(['alpha', 'beta', 'gamma']);
    expect(result.diagnostics.map((d) => [path.basename(d.file), d.code, d.line])).toEqual([
      ['bad-step.md', 'step-text', 11],
      ['broken.md', 'yaml', 2],
      ['broken.md', 'structure', 4],
    ]);
    expect(result.files.filter((f) => !f.ok).map((f) => path.basename(f.file)).sort()).toEqual(['bad-step.md', 'broken.md']);
  });

  it('keeps the bundled runbook when the overriding user file is broken', async () => {
    await writeFile(path.join(user, 'alpha.md'), runbook('alpha', 'Alpha (mine)').replace('```sh', '```sh {colour=red}'));
    const result = await loadRunbooks({ bundledDir: bundled, userDirs: [user] });
    expect(result.runbooks.find((r) => r.id === 'alpha')?.source).toBe('bundled');
    expect(result.diagnostics).toMatchObject([{ code: 'attribute-unknown', line: 13 }]);
  });

  it('reports a duplicate id inside the user folders and keeps the first file', async () => {
    await writeFile(path.join(user, 'one.md'), runbook('same', 'First'));
    await writeFile(path.join(user, 'two.md'), runbook('same', 'Second'));
    const result = await loadRunbooks({ userDirs: [user] });
    expect(result.runbooks.map((r) => r.title)).toEqual(['First']);
    expect(result.diagnostics).toMatchObject([{ file: path.join(user, 'two.md'), line: 2, code: 'duplicate-id', severity: 'error' }]);
  });

  it('treats a configured user folder that does not exist as empty', async () => {
    const result = await loadRunbooks({ bundledDir: bundled, userDirs: [path.join(root, 'missing')] });
    expect(result.diagnostics).toEqual([]);
    expect(result.runbooks).toHaveLength(2);
  });

  it('refuses a file too large to be a runbook', async () => {
    await writeFile(path.join(user, 'huge.md'), runbook('huge', 'Huge') + 'x'.repeat(1024 * 1024));
    const result = await loadRunbooks({ userDirs: [user] });
    expect(result.runbooks).toEqual([]);
    expect(result.diagnostics).toMatchObject([{ code: 'io', severity: 'error' }]);
  });
});

describe('RunbookCatalog', () => {
  it('reloads with new folders and looks runbooks up by id', async () => {
    const catalog = new RunbookCatalog({ bundledDir: bundled });
    await catalog.reload();
    expect(catalog.get('alpha')?.source).toBe('bundled');
    await writeFile(path.join(user, 'alpha.md'), runbook('alpha', 'Alpha (mine)'));
    await catalog.reload({ bundledDir: bundled, userDirs: [user] });
    expect(catalog.get('alpha')?.title).toBe('Alpha (mine)');
    expect(catalog.list()).toHaveLength(2);
    expect(catalog.diagnostics()).toEqual([]);
  });
});

describe('runbooksFor', () => {
  it('filters by severity and ranks by matching scenario tags', async () => {
    await writeFile(path.join(user, 'sec.md'), runbook('sec', 'Security').replace('applies_to: [outage]', 'applies_to: [security, outage]'));
    await writeFile(path.join(user, 'low.md'), runbook('low', 'Low').replace('severity: [high]', 'severity: [P3]'));
    const { runbooks } = await loadRunbooks({ bundledDir: bundled, userDirs: [user] });
    const suggestions = runbooksFor(runbooks, { severity: 'high', tags: ['Security', 'outage'] });
    expect(suggestions.map((s) => [s.runbook.id, s.matchedTags])).toEqual([
      ['sec', ['security', 'outage']],
      ['alpha', ['outage']],
      ['beta', ['outage']],
    ]);
  });
});

describe('findBundledRunbooksDir', () => {
  it('finds the repository runbooks folder from a nested directory', () => {
    expect(findBundledRunbooksDir(__dirname)).toBe(path.resolve(__dirname, '../../../../runbooks'));
  });
});
