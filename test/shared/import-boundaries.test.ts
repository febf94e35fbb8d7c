import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// The contract depends on nothing: shared/ imports nothing from electron/ or renderer/, and
// the renderer never reaches main-side code (it would be bundled into the page). TypeScript's
// own pre-processor lists every import, export-from, import() and require, type-only too.

const root = path.resolve(__dirname, '../..');

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...sourceFiles(full));
    else if (/\.(ts|tsx|mts|cts)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Each relative import in `source` (the text of `file`) that resolves into one of `forbidden` (top-level folders). */
function forbiddenImports(file: string, source: string, forbidden: readonly string[]): string[] {
  const { importedFiles } = ts.preProcessFile(source, true, true);
  const bad: string[] = [];
  for (const { fileName } of importedFiles) {
    if (!fileName.startsWith('.')) continue;
    const target = path.relative(root, path.resolve(path.dirname(file), fileName));
    const top = target.split(path.sep)[0]!;
    if (forbidden.includes(top)) bad.push(`${path.relative(root, file)} imports ${fileName}`);
  }
  return bad;
}

function violations(folder: string, forbidden: readonly string[]): string[] {
  return sourceFiles(path.join(root, folder)).flatMap((file) => forbiddenImports(file, fs.readFileSync(file, 'utf8'), forbidden));
}

describe('import boundaries', () => {
  it('shared/ imports nothing from electron/ or renderer/', () => {
    expect(violations('shared', ['electron', 'renderer'])).toEqual([]);
  });

  it('renderer/ imports nothing from electron/', () => {
    expect(violations('renderer', ['electron'])).toEqual([]);
  });

  it('catches every form of import, type-only included', () => {
    const source = [
      "import type { A } from '../electron/services/a';",
      "export { B } from '../renderer/src/b';",
      "export type * from '../electron/c';",
      "const d = await import('../electron/d');",
      "type E = import('../electron/e').E;",
      "import { ok } from './schemas';",
      "import { z } from 'zod';",
    ].join('\n');
    const found = forbiddenImports(path.join(root, 'shared', 'probe.ts'), source, ['electron', 'renderer']);
    expect(found.map((v) => v.split(' imports ')[1])).toEqual(['../electron/services/a', '../renderer/src/b', '../electron/c', '../electron/d', '../electron/e']);
  });
});
