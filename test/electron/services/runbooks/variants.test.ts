import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  checkVariantDrift,
  formatDiagnostic,
  lintRunbooks,
  loadRunbooks,
  parseRunbook,
  RunbookCatalog,
  splitVariantFiles,
  type Runbook,
} from '../../../../electron/services/runbooks';

const bundledDir = path.resolve(__dirname, '../../../../runbooks');

const BASE = `---
id: disk-full
title: Disk full
severity: [high]
applies_to: [disk]
version: 1.0.0
variables:
  MOUNT:
    description: Mount point that is full
    default: /var
---

# Disk full

## Find what is growing {#find}

- [ ] Show the biggest folders {#biggest}

  \`\`\`sh {name=biggest}
  du -xh "\${MOUNT}" | sort -rh | head -n 20
  \`\`\`

- [ ] Remove old logs {#remove}

  \`\`\`sh {name=remove confirm=true}
  rm -rf "\${MOUNT}/log/old"
  \`\`\`
`;

const JA = `---
id: disk-full
title: ディスク容量不足
severity: [high]
applies_to: [disk]
version: 1.0.0
variables:
  MOUNT:
    description: 容量が不足しているマウントポイント
    default: /var
---

# ディスク容量不足

## 増えているものを探す {#find}

- [ ] 大きいフォルダーを表示する {#biggest}

  \`\`\`sh {name=biggest}
  du -xh "\${MOUNT}" | sort -rh | head -n 20
  \`\`\`

- [ ] 古いログを削除する {#remove}

  \`\`\`sh {name=remove confirm=true}
  rm -rf "\${MOUNT}/log/old"
  \`\`\`
`;

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'fb-variants-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

function parse(text: string, file: string): Runbook {
  const result = parseRunbook(text, { file, source: 'user' });
  if (!result.runbook) throw new Error(`${file} does not parse: ${JSON.stringify(result.diagnostics)}`);
  return result.runbook;
}

/** Line (1-based) of the first line of `text` containing `needle`. */
const lineOf = (text: string, needle: string): number => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

describe('splitVariantFiles', () => {
  it('groups name.LANG.md with name.md in the same folder; alone it is an ordinary runbook', () => {
    const split = splitVariantFiles(['/a/x.md', '/a/x.ja.md', '/a/y.pt-BR.md', '/b/x.ja.md', '/a/notes.v2.md']);
    expect(split.variants).toEqual([{ file: '/a/x.ja.md', base: '/a/x.md', lang: 'ja' }]);
    expect(split.bases).toEqual(['/a/x.md', '/a/y.pt-BR.md', '/b/x.ja.md', '/a/notes.v2.md']);
  });
});

describe('checkVariantDrift', () => {
  const base = parse(BASE, '/rb/disk-full.md');

  it('finds nothing between a faithful translation and its base', () => {
    expect(checkVariantDrift(base, parse(JA, '/rb/disk-full.ja.md'))).toEqual([]);
  });

  it('catches a drifted command and names the variant file and the line that differs', () => {
    const drifted = JA.replace('head -n 20', 'head -n 50');
    const found = checkVariantDrift(base, parse(drifted, '/rb/disk-full.ja.md'));
    expect(found).toHaveLength(1);
    expect(formatDiagnostic(found[0]!)).toBe(
      `/rb/disk-full.ja.md:${lineOf(drifted, 'head -n 50')}: error: command disk-full/find/biggest#biggest differs from disk-full.md:${lineOf(BASE, 'head -n 20')}; commands must be the same in every language (variant of disk-full.md)`,
    );
  });

  it('catches a dropped danger mark', () => {
    const drifted = JA.replace('{name=remove confirm=true}', '{name=remove}');
    const found = checkVariantDrift(base, parse(drifted, '/rb/disk-full.ja.md'));
    expect(found.map((d) => [d.line, d.code, d.message.split(' (variant')[0]])).toEqual([
      [lineOf(drifted, '{name=remove}'), 'variant-drift', `command disk-full/find/remove#remove is not marked dangerous (confirm=true) here but is in disk-full.md:${lineOf(BASE, '{name=remove confirm=true}')}`],
    ]);
  });

  it('catches a missing step, a step whose id follows the translated text, and a missing variable', () => {
    const drifted = JA.replace('古いログを削除する {#remove}', '古いログを削除する').replace(/variables:\n {2}MOUNT:\n.*\n.*\n/, '');
    const found = checkVariantDrift(base, parse(drifted, '/rb/disk-full.ja.md')).map((d) => d.message.split(' (variant')[0]);
    expect(found).toContain(`variable MOUNT (disk-full.md:${lineOf(BASE, 'MOUNT:')}) is missing`);
    expect(found).toContain(`step 'disk-full/find/remove' (disk-full.md:${lineOf(BASE, '{#remove}')}) is missing; give the translated step {#remove}`);
    expect(found).toContain("step 'disk-full/find/古いログを削除する' is not in disk-full.md");
  });

  it('catches a phase time budget that differs', () => {
    const withBudget = (text: string, key: string, minutes: number) => text.replace('version: 1.0.0', `version: 1.0.0\ntime_budget:\n  ${key}: ${minutes}m`);
    const found = checkVariantDrift(parse(withBudget(BASE, 'find', 5), '/rb/disk-full.md'), parse(withBudget(JA, '増えているものを探す', 10), '/rb/disk-full.ja.md'));
    expect(found.map((d) => d.message.split(' (variant')[0])).toEqual(["phase 'find' has a time budget of 10 min, disk-full.md 5"]);
    expect(checkVariantDrift(parse(withBudget(BASE, 'find', 5), '/rb/disk-full.md'), parse(withBudget(JA, '増えているものを探す', 5), '/rb/disk-full.ja.md'))).toEqual([]);
  });

  it('catches an added command block and a changed id', () => {
    const drifted = JA.replace('id: disk-full', 'id: disk-full-ja');
    expect(checkVariantDrift(base, parse(drifted, '/rb/disk-full.ja.md'))[0]?.message).toMatch(/^id 'disk-full-ja' differs from 'disk-full'/);
    const added = JA.replace('- [ ] 古いログ', '  ```sh {name=extra}\n  df -h\n  ```\n\n- [ ] 古いログ');
    const found = checkVariantDrift(base, parse(added, '/rb/disk-full.ja.md'));
    expect(found.map((d) => d.message.split(' (variant')[0])).toEqual(['command disk-full/find/biggest#extra is not in disk-full.md']);
  });
});

describe('loading and linting variants', () => {
  it('lint reports drift as file:line and loads only clean variants', async () => {
    const dir = folder({ 'disk-full.md': BASE, 'disk-full.ja.md': JA.replace('head -n 20', 'head -n 50') });
    const lint = await lintRunbooks([dir]);
    expect(lint.diagnostics.map((d) => formatDiagnostic(d, { relativeTo: dir }))).toEqual([
      `disk-full.ja.md:${lineOf(JA, 'head -n 20')}: error: command disk-full/find/biggest#biggest differs from disk-full.md:${lineOf(BASE, 'head -n 20')}; commands must be the same in every language (variant of disk-full.md)`,
    ]);
    const loaded = await loadRunbooks({ userDirs: [dir] });
    expect(loaded.runbooks.map((r) => r.id)).toEqual(['disk-full']);
    expect(loaded.variants).toEqual([]);
  });

  it('works in users\' folders: the catalogue shows the UI language and falls back to the other', async () => {
    const dir = folder({ 'disk-full.md': BASE, 'disk-full.ja.md': JA, 'sub/only-ja.ja.md': JA.replace('id: disk-full', 'id: only-ja').replace('title: ディスク容量不足', 'title: 日本語だけ') });
    const lint = await lintRunbooks([dir]);
    expect(lint.diagnostics).toEqual([]);
    const catalog = new RunbookCatalog({ userDirs: [dir] });
    await catalog.reload();
    expect(catalog.list('ja').map((r) => [r.id, r.title, r.lang])).toEqual([
      ['disk-full', 'ディスク容量不足', 'ja'],
      ['only-ja', '日本語だけ', 'ja'],
    ]);
    expect(catalog.list('en').map((r) => [r.id, r.title, r.lang])).toEqual([
      ['disk-full', 'Disk full', 'en'],
      ['only-ja', '日本語だけ', 'ja'],
    ]);
    expect(catalog.get('disk-full', 'ja')?.phases[0]?.steps.map((s) => s.id)).toEqual(catalog.get('disk-full', 'en')?.phases[0]?.steps.map((s) => s.id));
    expect(catalog.languages('disk-full').map((r) => r.lang)).toEqual(['en', 'ja']);
  });

  it('a user runbook replaces the bundled one in every language', async () => {
    const bundled = folder({ 'disk-full.md': BASE, 'disk-full.ja.md': JA });
    const user = folder({ 'disk-full.md': BASE.replace('title: Disk full', 'title: Our disk full') });
    const catalog = new RunbookCatalog({ bundledDir: bundled, userDirs: [user] });
    await catalog.reload();
    expect(catalog.get('disk-full', 'ja')?.title).toBe('Our disk full');
  });
});

describe('bundled Japanese variants', () => {
  const bases = readdirSync(bundledDir).filter((f) => f.endsWith('.md') && f !== 'README.md' && !f.endsWith('.ja.md'));

  it('every bundled runbook has a ja variant that lints clean against its English one', async () => {
    const lint = await lintRunbooks([bundledDir]);
    expect(lint.diagnostics.map((d) => formatDiagnostic(d))).toEqual([]);
    const loaded = await loadRunbooks({ bundledDir });
    expect(loaded.variants.map((v) => `${v.id}.${v.lang ?? ''}`).sort()).toEqual(bases.map((f) => `${f.replace(/\.md$/, '')}.ja`).sort());
  });

  it('are written in Japanese: every title, step and phase of a variant differs from the English text', async () => {
    const loaded = await loadRunbooks({ bundledDir });
    for (const v of loaded.variants) {
      const en = loaded.runbooks.find((r) => r.id === v.id)!;
      expect(v.title, v.file).not.toBe(en.title);
      expect(v.title, v.file).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      const enSteps = en.phases.flatMap((p) => p.steps);
      v.phases.flatMap((p) => p.steps).forEach((s, i) => expect(s.text, `${v.file}:${s.line}`).not.toBe(enSteps[i]?.text));
      expect(readFileSync(v.file, 'utf8')).toContain('{#');
    }
  });
});
