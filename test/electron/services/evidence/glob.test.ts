import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGlob, segmentToRegExp, walkGlob } from '../../../../electron/services/evidence/glob';
import { write } from './helpers';

describe('glob', () => {
  let root: string;
  beforeAll(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-glob-'));
    for (const f of ['logs/app.log', 'logs/app.log.1', 'logs/errors.log', 'logs/old/2025.log', 'logs/old/deep/x.log', 'logs/readme.txt', 'other/z.log'])
      write(path.join(root, f), f);
    fs.symlinkSync(path.join(root, 'other'), path.join(root, 'logs', 'linked-dir'));
    fs.symlinkSync(path.join(root, 'other', 'z.log'), path.join(root, 'logs', 'link.log'));
  });
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

  const list = async (pattern: string) => {
    const out: string[] = [];
    for await (const c of walkGlob(pattern, {}, root)) out.push(`${path.relative(root, c.path)}:${c.type}`);
    return out;
  };

  it('translates segments', () => {
    expect(segmentToRegExp('*.log').test('a.log')).toBe(true);
    expect(segmentToRegExp('*.log').test('a.log.1')).toBe(false);
    expect(segmentToRegExp('app.log.?').test('app.log.1')).toBe(true);
    expect(segmentToRegExp('{app,errors}.log').test('errors.log')).toBe(true);
    expect(segmentToRegExp('[!a]*.log').test('errors.log')).toBe(true);
    expect(segmentToRegExp('[!a]*.log').test('app.log')).toBe(false);
    expect(segmentToRegExp('a+b(c).log').test('a+b(c).log')).toBe(true);
  });

  it('finds the static base', () => {
    expect(parseGlob('/var/log/**/*.log')).toEqual({ base: '/var/log', segments: ['**', '*.log'] });
    expect(parseGlob('/var/log/syslog')).toEqual({ base: '/var/log/syslog', segments: [] });
  });

  it('matches one level', async () => {
    expect(await list('logs/*.log')).toEqual(['logs/app.log:file', 'logs/errors.log:file', 'logs/link.log:symlink']);
  });

  it('matches recursively with ** (zero or more directories) and never enters symlinked directories', async () => {
    expect(await list('logs/**/*.log')).toEqual([
      'logs/app.log:file',
      'logs/errors.log:file',
      'logs/link.log:symlink',
      'logs/old/2025.log:file',
      'logs/old/deep/x.log:file',
    ]);
  });

  it('supports braces and literal paths', async () => {
    expect(await list('logs/{app,errors}.log')).toEqual(['logs/app.log:file', 'logs/errors.log:file']);
    expect(await list('logs/readme.txt')).toEqual(['logs/readme.txt:file']);
    expect(await list('logs/nope.txt')).toEqual(['logs/nope.txt:missing']);
  });
});
