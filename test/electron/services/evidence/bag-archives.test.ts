import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { verifyBag } from '../../../../electron/services/evidence/bag-verify';
import { useCliHarness } from '../../cli/support';
import { harness, write, type Harness } from './helpers';

// Bags in archives made by other tools (Info-ZIP's zip, GNU tar, Python's zipfile and
// tarfile), well-formed and malformed: verification reads every one without throwing, and
// refuses each malformed one with a single line that says why.

const py = (script: string, ...args: string[]): string => execFileSync('python3', ['-c', script, ...args]).toString();

/** Writes a zip from a folder's bag with Python, members in the order given, with options. */
const PY_ZIP = String.raw`
import json, os, sys, zipfile
src, out, opts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
names = []
for root, dirs, files in os.walk(src):
    for f in files:
        names.append(os.path.relpath(os.path.join(root, f), src))
names.sort(reverse=opts.get('reverse', False))
method = zipfile.ZIP_DEFLATED if opts.get('deflate') else zipfile.ZIP_STORED
with zipfile.ZipFile(out, 'w', method) as z:
    for n in names:
        info = zipfile.ZipInfo('bag/' + n.replace(os.sep, '/'))
        info.compress_type = method
        data = open(os.path.join(src, n), 'rb').read()
        with z.open(info, 'w', force_zip64=opts.get('zip64', False)) as w:
            w.write(data)
    for name, data in opts.get('extra', []):
        z.writestr(zipfile.ZipInfo(name), data)
`;

/** Writes a tar of the bag with Python's tarfile, members reversed, plus extra members. */
const PY_TAR = String.raw`
import io, json, os, sys, tarfile
src, out, opts = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
with tarfile.open(out, 'w', format=tarfile.PAX_FORMAT) as t:
    names = []
    for root, dirs, files in os.walk(src):
        for f in files:
            names.append(os.path.relpath(os.path.join(root, f), src))
    for n in sorted(names, reverse=opts.get('reverse', False)):
        t.add(os.path.join(src, n), 'bag/' + n)
    for member in opts.get('extra', []):
        info = tarfile.TarInfo(member['name'])
        data = member.get('data', '').encode()
        info.size = len(data)
        if member.get('type') == 'symlink':
            info.type, info.linkname, info.size, data = tarfile.SYMTYPE, member['link'], 0, b''
        if member.get('type') == 'link':
            info.type, info.linkname, info.size, data = tarfile.LNKTYPE, member['link'], 0, b''
        t.addfile(info, io.BytesIO(data))
`;

describe('bags in archives made by other tools', () => {
  let h: Harness;
  let bag: string;
  beforeEach(async () => {
    h = harness();
    write(path.join(h.src, 'logs/main.log'), 'main\n'.repeat(1000));
    // The reported crash: a 0-byte stored entry.
    write(path.join(h.src, 'logs/empty.log'), '');
    write(path.join(h.src, 'logs/sub/deep.log'), 'deep\n');
    await h.evidence.collectFiles(h.incidentId, { paths: [path.join(h.src, 'logs/**/*.log')] });
    bag = path.join(h.dir, 'bag');
    await h.archive.exportBag(h.incidentId, { out: bag }, 'tester@host');
  });
  afterEach(() => h.cleanup());

  const expectValid = async (target: string) => {
    const report = await verifyBag(target);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.filesChecked).toBeGreaterThan(4);
  };

  /** One failure, on one line, saying the bag cannot be read and why. */
  const expectRefused = async (target: string, reason: RegExp) => {
    const report = await verifyBag(target);
    expect(report.ok).toBe(false);
    expect(report.failures).toHaveLength(1);
    const [failure] = report.failures;
    expect(failure!.kind).toBe('format');
    expect(failure!.message).toMatch(/^cannot read the bag: /);
    expect(failure!.message).toMatch(reason);
    expect(failure!.message).not.toContain('\n');
    expect(failure!.message).not.toMatch(/\n\s+at /);
  };

  it('exports and verifies zip and tar bags holding an empty file', async () => {
    for (const format of ['zip', 'tar'] as const) {
      const out = path.join(h.dir, `exported.${format}`);
      await h.archive.exportBag(h.incidentId, { out, format }, 'tester@host');
      await expectValid(out);
    }
  });

  it('reads `zip -r` (directory entries, deflated), zip to a pipe (data descriptors) and GNU tar', async () => {
    execFileSync('zip', ['-qr', path.join(h.dir, 'plain.zip'), 'bag'], { cwd: h.dir });
    expect(execFileSync('unzip', ['-Z1', path.join(h.dir, 'plain.zip')]).toString()).toMatch(/^bag\/data\/$/m);
    await expectValid(path.join(h.dir, 'plain.zip'));
    // Info-ZIP writing to a pipe cannot seek back, so every entry has a data descriptor.
    const streamed = execFileSync('zip', ['-qr', '-', 'bag'], { cwd: h.dir, maxBuffer: 64 << 20 });
    fs.writeFileSync(path.join(h.dir, 'streamed.zip'), streamed);
    expect(streamed.includes(Buffer.from([0x50, 0x4b, 0x07, 0x08]))).toBe(true); // data descriptor signature
    await expectValid(path.join(h.dir, 'streamed.zip'));
    execFileSync('tar', ['-cf', path.join(h.dir, 'gnu.tar'), 'bag'], { cwd: h.dir });
    await expectValid(path.join(h.dir, 'gnu.tar'));
  });

  it('reads zip64 entries, deflated entries and members in any order', async () => {
    py(PY_ZIP, bag, path.join(h.dir, 'z64.zip'), JSON.stringify({ zip64: true }));
    // Python writes the zip64 extra field (0x0001) in every local header it was asked to.
    expect(fs.readFileSync(path.join(h.dir, 'z64.zip')).includes(Buffer.from([0x01, 0x00, 0x10, 0x00]))).toBe(true);
    await expectValid(path.join(h.dir, 'z64.zip'));
    py(PY_ZIP, bag, path.join(h.dir, 'reversed.zip'), JSON.stringify({ reverse: true, deflate: true }));
    await expectValid(path.join(h.dir, 'reversed.zip'));
    py(PY_TAR, bag, path.join(h.dir, 'reversed.tar'), JSON.stringify({ reverse: true }));
    await expectValid(path.join(h.dir, 'reversed.tar'));
  });

  it('refuses truncated archives with one line', async () => {
    execFileSync('zip', ['-qr', path.join(h.dir, 'whole.zip'), 'bag'], { cwd: h.dir });
    const zip = fs.readFileSync(path.join(h.dir, 'whole.zip'));
    fs.writeFileSync(path.join(h.dir, 'cut.zip'), zip.subarray(0, Math.floor(zip.length / 2)));
    await expectRefused(path.join(h.dir, 'cut.zip'), /zip: .*end of central directory/i);
    // The directory intact but the data cut: the entries point past the end of the file.
    const eocd = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
    const cdOffset = zip.readUInt32LE(eocd + 16);
    const hollow = Buffer.concat([zip.subarray(0, 100), zip.subarray(cdOffset)]);
    hollow.writeUInt32LE(100, hollow.length - 22 + 16);
    fs.writeFileSync(path.join(h.dir, 'hollow.zip'), hollow);
    await expectRefused(path.join(h.dir, 'hollow.zip'), /zip: /);

    execFileSync('tar', ['-cf', path.join(h.dir, 'whole.tar'), 'bag'], { cwd: h.dir });
    const tar = fs.readFileSync(path.join(h.dir, 'whole.tar'));
    fs.writeFileSync(path.join(h.dir, 'cut.tar'), tar.subarray(0, 512 * 3 + 100));
    await expectRefused(path.join(h.dir, 'cut.tar'), /tar: /);
  });

  it('refuses a tar whose last block is truncated, and accepts one without the end-of-archive blocks', async () => {
    py(PY_TAR, bag, path.join(h.dir, 'whole.tar'), '{}');
    const tar = fs.readFileSync(path.join(h.dir, 'whole.tar'));
    // Where the last member's data ends (Python pads the archive to 10 KiB records).
    const end = Number(py('import sys, tarfile; m = tarfile.open(sys.argv[1]).getmembers()[-1]; print(m.offset_data + m.size)', path.join(h.dir, 'whole.tar')));
    fs.writeFileSync(path.join(h.dir, 'short-block.tar'), tar.subarray(0, end - 1));
    await expectRefused(path.join(h.dir, 'short-block.tar'), /tar: /);
    fs.writeFileSync(path.join(h.dir, 'no-trailer.tar'), tar.subarray(0, end + ((512 - (end % 512)) % 512)));
    await expectValid(path.join(h.dir, 'no-trailer.tar'));
  });

  it('refuses names that leave the bag, links and duplicates, and writes nothing anywhere', async () => {
    const outside = path.join(h.dir, 'evil.txt');
    const zipCases: Array<[string, RegExp]> = [
      ['bag/../evil.txt', /\.\./],
      ['/tmp/evil.txt', /absolute path/],
      ['bag\\..\\evil.txt', /backslash|invalid characters/],
      ['bag/data/evidence/artifacts.json', /appears twice/],
    ];
    for (const [i, [name, reason]] of zipCases.entries()) {
      const zip = path.join(h.dir, `evil-${i}.zip`);
      py(PY_ZIP, bag, zip, JSON.stringify({ extra: [[name, 'planted\n']] }));
      await expectRefused(zip, reason);
    }
    const tarCases: Array<[Record<string, string>, RegExp]> = [
      [{ name: 'bag/../evil.txt', data: 'planted\n' }, /\.\./],
      [{ name: '/tmp/evil.txt', data: 'planted\n' }, /absolute path/],
      [{ name: 'bag/data/link.log', type: 'symlink', link: '/etc/passwd' }, /symlink/],
      [{ name: 'bag/data/hard.log', type: 'link', link: '/etc/passwd' }, /link/],
      [{ name: 'bag/bagit.txt', data: 'BagIt-Version: 1.0\n' }, /appears twice/],
    ];
    for (const [i, [member, reason]] of tarCases.entries()) {
      const tar = path.join(h.dir, `evil-${i}.tar`);
      py(PY_TAR, bag, tar, JSON.stringify({ extra: [member] }));
      await expectRefused(tar, reason);
    }
    // A zip member marked as a Unix symlink (what `zip -y` stores), pointing out of the bag.
    const linked = path.join(h.dir, 'link.zip');
    py(PY_ZIP, bag, linked, '{}');
    py('import sys, zipfile\nz = zipfile.ZipFile(sys.argv[1], "a")\ni = zipfile.ZipInfo("bag/data/link.log")\ni.create_system = 3\ni.external_attr = 0o120777 << 16\nz.writestr(i, "/etc/passwd")\nz.close()', linked);
    await expectRefused(linked, /bag\/data\/link\.log.* not a regular file/);
    expect(fs.existsSync(outside)).toBe(false);
    expect(fs.existsSync('/tmp/evil.txt')).toBe(false);
  });

  it('refuses a symlink inside a bag folder instead of following it', async () => {
    fs.symlinkSync('/etc/hostname', path.join(bag, 'data/outside.log'));
    await expectRefused(bag, /data\/outside\.log is a symbolic link/);
  });

  it('refuses files that are not archives, empty ones, and a FIFO, without blocking', async () => {
    write(path.join(h.dir, 'junk.zip'), 'not a zip at all\n'.repeat(10));
    await expectRefused(path.join(h.dir, 'junk.zip'), /zip: /);
    write(path.join(h.dir, 'empty.zip'), '');
    await expectRefused(path.join(h.dir, 'empty.zip'), /zip: /);
    write(path.join(h.dir, 'junk.tar'), 'x'.repeat(2048));
    await expectRefused(path.join(h.dir, 'junk.tar'), /tar: /);
    write(path.join(h.dir, 'empty.tar'), '');
    const empty = await verifyBag(path.join(h.dir, 'empty.tar'));
    expect(empty.failures).toEqual([expect.objectContaining({ file: 'bagit.txt', kind: 'missing' })]);
    execFileSync('mkfifo', [path.join(h.dir, 'pipe.tar')]);
    await expectRefused(path.join(h.dir, 'pipe.tar'), /neither a folder nor a regular file/);
    await expectRefused(path.join(h.dir, 'nowhere.zip'), /ENOENT|no such file/i);
  });
});

describe('firebreak verify on malformed archives', () => {
  const { cli } = useCliHarness();

  it('exports --zip and --tar an incident whose evidence includes a 0-byte file, and verifies both (exit 0)', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-verify-'));
    try {
      write(path.join(dir, 'logs/empty.log'), '');
      write(path.join(dir, 'logs/app.log'), 'started\n');
      expect((await cli('incident', 'new', '--title', 'Disk full', '--severity', 'P1')).code).toBe(0);
      expect((await cli('collect', '1', '--files', path.join(dir, 'logs'))).code).toBe(0);
      for (const flag of ['--zip', '--tar']) {
        const out = path.join(dir, `bag${flag.replace('--', '.')}`);
        const exported = await cli('export', '1', flag, '--out', out);
        expect(exported.code).toBe(0);
        expect(exported.out).toMatch(/timeline head: entry \d+, sha256 [0-9a-f]{64}/);
        const verified = await cli('verify', out);
        expect(verified.out).toMatch(/^OK /);
        expect(verified.code).toBe(0);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('never prints a member name\'s terminal escapes raw', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-verify-'));
    try {
      const zip = path.join(dir, 'evil.zip');
      py('import sys, zipfile; z = zipfile.ZipFile(sys.argv[1], "w"); z.writestr("../\x1b]0;pwned\x07", "x"); z.close()', zip);
      const { code, out } = await cli('verify', zip);
      expect(code).toBe(1);
      expect(out).toMatch(/cannot read the bag: zip: .*\.\./);
      expect(out).not.toMatch(/[\x07\x1b]/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('exits non-zero with one line per bag, never a stack trace', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-verify-'));
    try {
      write(path.join(dir, 'junk.zip'), 'PK\x05\x06 but nothing else');
      write(path.join(dir, 'junk.tar'), 'y'.repeat(1024));
      for (const file of ['junk.zip', 'junk.tar']) {
        const { code, out } = await cli('verify', path.join(dir, file));
        expect(code).toBe(1);
        expect(out).toMatch(/cannot read the bag: /);
        expect(out).not.toMatch(/\n\s+at /);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
