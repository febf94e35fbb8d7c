import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listingScript, parseListing } from '../../../../electron/services/evidence/remote-files';

// The listing script run by the local /bin/sh (as on a target), with a `stat` wrapper first
// on PATH that logs each time it runs: a folder of files must not cost a process per file.

const ODD = ['with space.log', 'new\nline.log', '-rf', "it's.log", '$(touch x).log', 'ログ.log'];

describe('remote listing script', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  const setup = (statWrapper: (log: string) => string) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-listing-'));
    dirs.push(dir);
    const bin = path.join(dir, 'bin');
    const log = path.join(dir, 'stat.log');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'stat'), statWrapper(log), { mode: 0o755 });
    const data = path.join(dir, 'data');
    fs.mkdirSync(path.join(data, 'sub'), { recursive: true });
    const expected = new Map<string, number>();
    for (let i = 0; i < 300; i++) {
      const file = path.join(data, i % 2 ? 'sub' : '', `f${i}.log`);
      fs.writeFileSync(file, 'x'.repeat(i));
      expected.set(file, i);
    }
    for (const name of ODD) {
      fs.writeFileSync(path.join(data, name), name);
      expected.set(path.join(data, name), Buffer.byteLength(name));
    }
    const mtime = new Date('2026-12-06T10:00:00Z');
    for (const file of expected.keys()) fs.utimesSync(file, mtime, mtime);
    const list = (patterns: readonly string[]) => {
      const run = spawnSync('/bin/sh', ['-s'], { input: listingScript(patterns), env: { ...process.env, PATH: `${bin}:/usr/bin:/bin` } });
      expect(run.status, run.stderr.toString()).toBe(0);
      return parseListing(run.stdout);
    };
    const statRuns = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
    return { data, expected, list, statRuns, mtime: mtime.getTime() / 1000 };
  };

  it('lists a folder with a few stat processes, not one per file, odd names intact', () => {
    const t = setup((log) => `#!/bin/sh\necho run >>'${log}'\nexec /usr/bin/stat "$@"\n`);
    const listed = t.list([t.data, path.join(t.data, 'nope')]);
    const files = listed.filter((f) => f.kind === 'F');
    expect(new Map(files.map((f) => [f.path, f.size]))).toEqual(t.expected);
    expect(files.every((f) => f.mtime === t.mtime && f.mode === (fs.statSync(f.path).mode & 0o177777))).toBe(true);
    expect(listed.filter((f) => f.kind === 'M').map((f) => f.path)).toEqual([path.join(t.data, 'nope')]);
    // One probe, then one stat per find batch (and one for the missing pattern): 306 files, far fewer processes.
    expect(t.statRuns()).toBeLessThanOrEqual(4);
  });

  it('falls back to one stat per file where stat has no --printf (busybox)', () => {
    const t = setup((log) => `#!/bin/sh\necho run >>'${log}'\ncase "$*" in *--printf*) echo "stat: unrecognized option '--printf'" >&2; exit 1;; esac\nexec /usr/bin/stat "$@"\n`);
    const files = t.list([t.data]).filter((f) => f.kind === 'F');
    expect(new Map(files.map((f) => [f.path, f.size]))).toEqual(t.expected);
    expect(t.statRuns()).toBeGreaterThan(t.expected.size);
  });
});
