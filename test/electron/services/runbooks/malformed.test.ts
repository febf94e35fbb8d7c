import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatDiagnostic, hasErrors, lintRunbooks, type Diagnostic, type DiagnosticCode } from '../../../../electron/services/runbooks';

const fixtures = path.join(__dirname, 'fixtures');

async function lintFixture(name: string): Promise<Diagnostic[]> {
  const { diagnostics } = await lintRunbooks([path.join(fixtures, name)]);
  return [...diagnostics];
}

// Each malformed fixture, the error it must produce, and the line it must point at.
const cases: Array<{ file: string; code: DiagnosticCode; line: number; column?: number; message: RegExp }> = [
  { file: 'bad-yaml.md', code: 'yaml', line: 4, column: 8, message: /not valid YAML/ },
  { file: 'missing-fields.md', code: 'front-matter', line: 1, message: /missing required field 'title'/ },
  { file: 'missing-fields.md', code: 'front-matter', line: 2, message: /id "Missing Fields" is invalid/ },
  { file: 'missing-fields.md', code: 'front-matter', line: 3, message: /severity "urgent" is invalid/ },
  { file: 'unknown-attribute.md', code: 'attribute-unknown', line: 13, column: 18, message: /unknown attribute 'colour'/ },
  { file: 'bad-attribute-value.md', code: 'attribute-value', line: 13, message: /interactive="maybe"/ },
  { file: 'bad-attribute-value.md', code: 'attribute-value', line: 19, message: /timeout="soon"/ },
  { file: 'bad-attribute-value.md', code: 'attribute-value', line: 25, message: /platform="beos"/ },
  { file: 'bad-json-attributes.md', code: 'attribute-syntax', line: 13, message: /not valid JSON/ },
  { file: 'step-without-text.md', code: 'step-text', line: 12, message: /step has no text/ },
  { file: 'duplicate-names.md', code: 'duplicate-name', line: 19, message: /duplicate step name 'collect' \(first used on line 11\)/ },
  { file: 'duplicate-names.md', code: 'duplicate-name', line: 21, message: /duplicate command name 'collect' \(first used on line 13\)/ },
  { file: 'code-outside-step.md', code: 'code-outside-step', line: 13, message: /outside a step/ },
  { file: 'unknown-language.md', code: 'language', line: 13, message: /unknown language 'python'/ },
  { file: 'unknown-language.md', code: 'language', line: 19, message: /has no language/ },
  { file: 'unclosed-fence.md', code: 'unclosed-fence', line: 13, message: /never closed/ },
];

describe('malformed runbooks', () => {
  it.each(cases)('$file reports $code on line $line', async ({ file, code, line, column, message }) => {
    const diagnostics = await lintFixture(file);
    const match = diagnostics.find((d) => d.code === code && d.line === line && message.test(d.message));
    expect(match, JSON.stringify(diagnostics, null, 2)).toBeDefined();
    expect(match?.severity).toBe('error');
    expect(match?.file).toBe(path.join(fixtures, file));
    if (column !== undefined) expect(match?.column).toBe(column);
  });

  it('reports exactly the expected errors for each fixture, nothing spurious', async () => {
    const files = [...new Set(cases.map((c) => c.file))];
    for (const file of files) {
      const errors = (await lintFixture(file)).filter((d) => d.severity === 'error');
      expect(errors.length, `${file}: ${JSON.stringify(errors)}`).toBe(cases.filter((c) => c.file === file).length);
    }
  });

  it('loads a checklist without front matter: id from the file name, title from the first heading', async () => {
    const { diagnostics, files } = await lintRunbooks([path.join(fixtures, 'no-front-matter.md')]);
    expect(diagnostics).toEqual([]);
    expect(files).toMatchObject([{ ok: true, id: 'no-front-matter' }]);
  });

  it('reports a runbook id used by two files, at the id line of the second', async () => {
    const { diagnostics, files } = await lintRunbooks([path.join(fixtures, 'duplicate-id')]);
    expect(diagnostics).toHaveLength(1);
    const [d] = diagnostics;
    expect(d?.code).toBe('duplicate-id');
    expect(d?.file).toBe(path.join(fixtures, 'duplicate-id', 'b.md'));
    expect(d?.line).toBe(3);
    expect(d?.message).toContain(path.join(fixtures, 'duplicate-id', 'a.md'));
    expect(files.map((f) => f.ok)).toEqual([true, false]);
  });

  it('lints a whole folder: every broken file reported, the good one clean', async () => {
    const { diagnostics, files } = await lintRunbooks([fixtures]);
    expect(hasErrors(diagnostics)).toBe(true);
    const good = files.find((f) => f.file.endsWith('runme-style.md'));
    expect(good).toMatchObject({ ok: true, errors: 0, warnings: 0, id: 'runme-style' });
    expect(files.filter((f) => !f.ok).length).toBe(new Set(cases.map((c) => c.file)).size + 1);
  });

  it('formats diagnostics as file:line[:column]: severity: message', () => {
    const base = { file: '/rb/x.md', severity: 'error' as const, code: 'yaml' as const, message: 'bad' };
    expect(formatDiagnostic({ ...base, line: 4 })).toBe('/rb/x.md:4: error: bad');
    expect(formatDiagnostic({ ...base, line: 4, column: 8 })).toBe('/rb/x.md:4:8: error: bad');
    expect(formatDiagnostic({ ...base, line: 4 }, { relativeTo: '/rb' })).toBe('x.md:4: error: bad');
  });

  it('reports a path that does not exist instead of throwing', async () => {
    const { diagnostics } = await lintRunbooks([path.join(fixtures, 'nope.md')]);
    expect(diagnostics).toMatchObject([{ code: 'io', severity: 'error', line: 1 }]);
  });
});
