import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyBag } from '../../../../electron/services/evidence/bag-verify';
import { BagNamer, portableComponent } from '../../../../electron/services/evidence/bag-names';
import { pyValidate } from '../../../support/bagit-py';
import { harness, write, type Harness } from './helpers';

// Evidence with awkward names exported as bags that Firebreak's verifier and an independent
// one (bagit-python 1.9's rules, test/support/bagit_py_verify.py) both accept, as folders,
// as archives, and as folders extracted from those archives by tar and unzip.

const AWKWARD = {
  'with space.log': 'spaces\n',
  '日本語のログ.log': 'ログ\n',
  '100%.log': 'percent\n',
  '%0A%0D%25.log': 'percent-encoded look-alike\n',
  'hash#tag.log': 'hash\n',
  'new\nline.log': 'newline\n',
  'carriage\rreturn.log': 'cr\n',
  'tab\there.log': 'tab\n',
  'back\\slash.log': 'backslash\n',
  '$HOME.log': 'expandvars\n',
  '-dash.log': 'dash\n',
  '.hidden.log': 'dot\n',
  'CON.txt': 'reserved\n',
  'nul': 'reserved\n',
  'trailing dot.': 'dot\n',
  'trailing space ': 'space\n',
  'e\u0301-decomposed.log': 'nfd\n',
  [`${'a'.repeat(251)}.log`]: '255 bytes of name\n',
  [`${'日'.repeat(85)}`]: '255 bytes of Japanese\n',
  'one/same.log': 'first folder\n',
  'two/same.log': 'second folder\n',
  'Case.log': 'upper\n',
  'case.log': 'lower\n',
  'Folder/x.log': 'upper folder\n',
  'folder/y.log': 'lower folder\n',
  'folder/Y.LOG': 'case twin inside the merged folder\n',
  'empty.log': '',
};

/** Every rule a payload path must keep so that no validator or file system disagrees. */
function portabilityProblems(paths: readonly string[]): string[] {
  const problems: string[] = [];
  const seen = new Map<string, string>();
  for (const p of paths) {
    const parts = p.split('/');
    parts.forEach((c, i) => {
      if (/[%\r\n\\$\x00-\x1f\x7f]/.test(c)) problems.push(`${p}: forbidden character in ${JSON.stringify(c)}`);
      if (/^[-.]/.test(c)) problems.push(`${p}: leading - or . in ${JSON.stringify(c)}`);
      if (/^(con|prn|aux|nul|com\d|lpt\d)(\..*)?$/i.test(c)) problems.push(`${p}: reserved ${c}`);
      if (/[ .]$/.test(c)) problems.push(`${p}: trailing dot or space in ${JSON.stringify(c)}`);
      if (c !== c.normalize('NFC')) problems.push(`${p}: not NFC`);
      if (Buffer.byteLength(c) > 255) problems.push(`${p}: component over 255 bytes`);
      // Every prefix (folders too) must be unique ignoring case, under one spelling.
      const prefix = parts.slice(0, i + 1).join('/');
      const other = seen.get(prefix.toLowerCase());
      if (other !== undefined && other !== prefix) problems.push(`${prefix} and ${other} differ only by case`);
      seen.set(prefix.toLowerCase(), prefix);
    });
  }
  return problems;
}

describe('payload names every validator agrees on', () => {
  let h: Harness;
  beforeEach(async () => {
    h = harness();
    for (const [name, content] of Object.entries(AWKWARD)) write(path.join(h.src, 'logs', name), content);
    fs.symlinkSync('with space.log', path.join(h.src, 'logs', 'link-inside.log'));
    fs.symlinkSync('/etc/hostname', path.join(h.src, 'logs', 'link-outside.log'));
    await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'logs')] });
  });
  afterEach(() => h.cleanup());

  it.each(['dir', 'tar', 'zip'] as const)('a %s bag: both validators accept it, also extracted, and every name is portable', async (format) => {
    const out = path.join(h.dir, format === 'dir' ? 'bag' : `bag.${format}`);
    const result = await h.archive.exportBag(h.incidentId, { out, format }, 'tester@host');
    expect(result.warnings).toEqual([]);
    const ours = await verifyBag(out);
    expect(ours.failures).toEqual([]);
    expect(pyValidate(out)).toEqual({ ok: true, output: `VALID ${result.files} files` });

    let folder = out;
    if (format !== 'dir') {
      // Extracted by the everyday tools, then checked as a folder by both validators.
      const into = path.join(h.dir, `x-${format}`);
      fs.mkdirSync(into);
      execFileSync(format === 'tar' ? 'tar' : 'unzip', format === 'tar' ? ['-xf', out, '-C', into] : ['-q', out, '-d', into]);
      folder = path.join(into, 'bag');
      expect((await verifyBag(folder)).failures).toEqual([]);
      expect(pyValidate(folder)).toEqual({ ok: true, output: `VALID ${result.files} files` });
    }

    const manifest = fs.readFileSync(path.join(folder, 'manifest-sha256.txt'), 'utf8');
    const paths = manifest.trim().split('\n').map((line) => line.split('  ')[1]!);
    expect(portabilityProblems(paths)).toEqual([]);
    // Nothing needed percent-encoding, so no validator can decode a name differently.
    expect(manifest).not.toContain('%');

    // The originals are all in artifacts.json: path, name, size, mtime, owner and hash.
    const listing = JSON.parse(fs.readFileSync(path.join(folder, 'data/evidence/artifacts.json'), 'utf8')) as Array<{
      id: number;
      name: string;
      sha256: string | null;
      size: number | null;
      status: string;
      bagPath: string | null;
      source: { path: string; realPath?: string; size: number; mtime: string; owner: string | null; uid: number; linkTarget?: string } | null;
    }>;
    // A symlink inside the collected folder is followed once, to its real path (`with space.log`).
    const byOriginal = new Map(listing.flatMap((a) => [[a.source?.path, a] as const, ...(a.source?.realPath ? [[a.source.realPath, a] as const] : [])]));
    for (const [name, content] of Object.entries(AWKWARD)) {
      const a = byOriginal.get(path.join(h.src, 'logs', name));
      expect(a, name).toBeDefined();
      expect(a!.size).toBe(Buffer.byteLength(content));
      expect(a!.source).toMatchObject({ size: Buffer.byteLength(content), uid: process.getuid!() });
      expect(a!.source).toHaveProperty('owner');
      expect(Date.parse(a!.source!.mtime)).toBe(Math.floor(fs.statSync(path.join(h.src, 'logs', name)).mtimeMs));
      expect(a!.bagPath).toMatch(/^data\/evidence\//);
      const bytes = fs.readFileSync(path.join(folder, ...a!.bagPath!.split('/')));
      expect(bytes.toString()).toBe(content);
      expect(a!.sha256).toBe(require('node:crypto').createHash('sha256').update(bytes).digest('hex'));
    }
    // The same name in two folders and names differing only by case keep separate files.
    const bagPaths = listing.map((a) => a.bagPath).filter((p): p is string => p !== null);
    expect(new Set(bagPaths.map((p) => p.toLowerCase())).size).toBe(bagPaths.length);
    // A symlink pointing outside the collected folder is recorded (its target), not followed.
    const outside = byOriginal.get(path.join(h.src, 'logs', 'link-outside.log'))!;
    expect(outside).toMatchObject({ status: 'symlink-recorded', bagPath: null, source: expect.objectContaining({ linkTarget: '/etc/hostname' }) });
    const inside = byOriginal.get(path.join(h.src, 'logs', 'link-inside.log'));
    if (inside?.bagPath) expect(fs.readFileSync(path.join(folder, ...inside.bagPath.split('/'))).toString()).toBe('spaces\n');
  });

  it('keeps the original name, size, mtime, owner and hash in the custody record', () => {
    const collected = h.timeline.list(h.incidentId).filter((e) => e.kind === 'evidence.collected');
    const custody = collected.flatMap((e) => e.data.artifacts as Array<Record<string, unknown>>);
    const percent = custody.find((c) => c.sourcePath === path.join(h.src, 'logs', '100%.log'))!;
    expect(percent).toMatchObject({ name: expect.stringContaining('100%.log'), size: 8, sourceSize: 8, sourceOwner: expect.anything(), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(typeof percent.sourceMtime).toBe('string');
  });

  it('both validators reject the same tampered bags', async () => {
    const out = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out }, 'tester@host');
    const victim = path.join(out, 'data/incident.json');
    fs.appendFileSync(victim, ' ');
    expect((await verifyBag(out)).ok).toBe(false);
    expect(pyValidate(out).ok).toBe(false);
    fs.truncateSync(victim, fs.statSync(victim).size - 1);
    expect((await verifyBag(out)).ok).toBe(true);
    expect(pyValidate(out).ok).toBe(true);
    write(path.join(out, 'data/planted.log'), 'x');
    expect((await verifyBag(out)).ok).toBe(false);
    expect(pyValidate(out).ok).toBe(false);
  });
});

describe('the independent validator keeps bagit-python 1.9 quirks', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(require('node:os').tmpdir(), 'fb-bagitpy-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  /** A minimal bag by hand, with one payload file and the manifest line written as given. */
  const handBag = (file: string, manifestPath: string) => {
    const sha = require('node:crypto').createHash('sha256').update('x').digest('hex') as string;
    write(path.join(dir, 'bagit.txt'), 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    write(path.join(dir, 'data', file), 'x');
    write(path.join(dir, 'manifest-sha256.txt'), `${sha}  ${manifestPath}\n`);
    write(path.join(dir, 'bag-info.txt'), 'Payload-Oxum: 1.1\n');
  };

  it('does not decode %25, so a name with % fails there (and passes the RFC reading)', async () => {
    handBag('100%.log', 'data/100%25.log');
    expect((await verifyBag(dir)).ok).toBe(true);
    const py = pyValidate(dir);
    expect(py.ok).toBe(false);
    expect(py.output).toContain('data/100%25.log exists in manifest but was not found on filesystem');
  });

  it('refuses a path that os.path.expandvars changes', () => {
    handBag('$HOME.log', 'data/$HOME.log');
    expect(pyValidate(dir)).toMatchObject({ ok: false, output: expect.stringContaining('is unsafe') });
  });

  it('accepts a well-formed hand-made bag', () => {
    handBag('plain.log', 'data/plain.log');
    expect(pyValidate(dir)).toEqual({ ok: true, output: 'VALID 1 files' });
  });
});

describe('BagNamer', () => {
  it('makes components portable and names unique ignoring case', () => {
    expect(portableComponent('a%b\nc\\d$e')).toBe('a_b_c_d_e');
    expect(portableComponent('CON')).toBe('_CON');
    expect(portableComponent('com1.log')).toBe('_com1.log');
    expect(portableComponent('.env')).toBe('_.env');
    expect(portableComponent('x. . ')).toBe('x_');
    expect(portableComponent('e\u0301')).toBe('\u00e9');
    expect(Buffer.byteLength(portableComponent('日'.repeat(100) + '.log'))).toBeLessThanOrEqual(255);
    expect(portableComponent('日'.repeat(100) + '.log')).toMatch(/^日+\.log$/);
    const namer = new BagNamer();
    expect(namer.name('data/A/x.log', 1)).toBe('data/A/x.log');
    expect(namer.name('data/a/X.log', 2)).toBe('data/A/X~2.log');
    expect(namer.name('data/a/y.log', 3)).toBe('data/A/y.log');
    expect(namer.name('data/A/x.log/z', 4)).toBe('data/A/x.log~4/z');
    const long = `${'b'.repeat(251)}.log`;
    expect(namer.name(`data/${long}`, 5)).toBe(`data/${long}`);
    const twin = namer.name(`data/${long.toUpperCase()}`, 66);
    expect(Buffer.byteLength(twin.split('/').pop()!)).toBeLessThanOrEqual(255);
    expect(twin).toMatch(/~66\.LOG$/);
  });
});
