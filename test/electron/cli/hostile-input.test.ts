import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CollectionResult } from '../../../shared/evidence';
import { neutraliseControls } from '../../../electron/cli/safe-text';
import { useCliHarness } from './support';

// Issue 18: input that crashes or leaks through the CLI.

const HOSTILE = 'db down\x1b]0;pwned\x07\x1b[2J\x9b31m\x85\r end';

describe('CLI output neutralises terminal control characters', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('escapes ESC, BEL, C1 and CR in titles and notes, in text and JSON output', async () => {
    expect((await cli('incident', 'new', '--title', HOSTILE, '--severity', 'low')).code).toBe(0);
    await cli('note', '1', HOSTILE);
    for (const args of [['incident', 'list'], ['incident', 'show', '1'], ['timeline', '1'], ['incident', 'list', '--json'], ['timeline', '1', '--json']]) {
      const { out } = await cli(...args);
      expect(out, args.join(' ')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
      // JSON.stringify writes CR as \r itself; text output gets \u000d.
      expect(out, args.join(' ')).toMatch(/db down\\u001b\]0;pwned\\u0007\\u001b\[2J\\u009b31m\\u0085(\\u000d|\\r) end/);
    }
    // JSON output still parses back to the original text.
    const listed = JSON.parse((await cli('incident', 'list', '--json')).out) as { title: string }[];
    expect(listed[0]!.title).toBe(HOSTILE);
  });

  it('escapes them in error messages too', async () => {
    await cli('incident', 'new', '--title', `x\x1b[2J`, '--severity', 'sev\x1b[2J');
    expect(harness.errors.at(-1)).not.toMatch(/\x1b/);
    expect(neutraliseControls('a\tb\nc')).toBe('a\tb\nc');
  });
});

describe('negative numbers and dash values get Firebreak\'s own one-line error', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('--severity -1, --tail -5, --title -x', async () => {
    expect((await cli('incident', 'new', '--title', 't', '--severity', '-1')).code).toBe(1);
    expect(harness.errors.at(-1)).toMatch(/^firebreak: .*severity: must be one of critical, high, medium, low/);
    await cli('incident', 'new', '--title', 't', '--severity', 'low');
    expect((await cli('collect', '1', '--files', harness.home, '--tail', '-5')).code).toBe(2);
    expect(harness.errors.at(-1)).toMatch(/^firebreak: --tail: "-5" is not a positive whole number\nRun `firebreak help` for usage\.$/);
    expect((await cli('incident', 'new', '--severity', 'low', '--title', '-x')).code).toBe(2);
    expect(harness.errors.at(-1)).toBe('firebreak: --title needs a value; to give one that starts with a dash write --title=VALUE\nRun `firebreak help` for usage.');
    for (const message of harness.errors) expect(message).not.toMatch(/ambiguous|Did you forget/);
  });
});

describe('collect: several paths, and every outcome that is not ok fails the command', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('collects every path an unquoted glob expanded to', async () => {
    await cli('incident', 'new', '--title', 't', '--severity', 'low');
    const a = path.join(harness.home, 'a.log');
    const b = path.join(harness.home, 'b.log');
    fs.writeFileSync(a, 'alpha\n');
    fs.writeFileSync(b, 'beta\n');
    const run = await cli('collect', '1', '--files', a, b, '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as CollectionResult;
    expect(result.artifacts.map((x) => path.basename(x.name)).sort()).toEqual(['a.log', 'b.log']);
    expect((await cli('collect', '1', '--snapshot', a)).code).toBe(2);
    expect(harness.errors.at(-1)).toMatch(/unexpected argument/);
  });

  it('exits 1 for a missing path, a special file and a symlink loop', async () => {
    await cli('incident', 'new', '--title', 't', '--severity', 'low');
    const ok = path.join(harness.home, 'ok.log');
    fs.writeFileSync(ok, 'fine\n');
    const fifo = path.join(harness.home, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const loop = path.join(harness.home, 'loop');
    fs.symlinkSync(loop, loop);
    for (const bad of [path.join(harness.home, 'missing.log'), fifo, loop]) {
      const run = await cli('collect', '1', '--files', ok, bad);
      expect(run.code, bad).toBe(1);
      expect(run.out, bad).toMatch(/not stored whole/);
    }
    expect((await cli('collect', '1', '--files', ok)).code).toBe(0);
  });
});

describe('collect reads /proc and /sys files until EOF', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('stores what /proc/version holds (size reported 0), filtered too, and says so', async () => {
    await cli('incident', 'new', '--title', 't', '--severity', 'low');
    const expected = fs.readFileSync('/proc/version');
    expect(fs.statSync('/proc/version').size).toBe(0);
    const run = await cli('collect', '1', '--files', '/proc/version', '/proc/cpuinfo', '--json');
    expect(run.code).toBe(0);
    const result = JSON.parse(run.out) as CollectionResult;
    const version = result.artifacts.find((a) => a.name.endsWith('version'))!;
    expect(version).toMatchObject({ status: 'ok', size: expected.length });
    expect(version.detail).toMatch(/size reported as 0 \(a \/proc or \/sys file\): read until EOF, \d+ bytes/);
    expect(version.sha256).toBe(createHash('sha256').update(expected).digest('hex'));
    const cpuinfo = result.artifacts.find((a) => a.name.endsWith('cpuinfo'))!;
    expect(cpuinfo.size).toBeGreaterThan(0);

    const grep = JSON.parse((await cli('collect', '1', '--files', '/proc/cpuinfo', '--grep', '^processor', '--json')).out) as CollectionResult;
    expect(grep.artifacts[0]!.size).toBeGreaterThan(0);
    expect(grep.artifacts[0]!.status).toBe('ok');
  });
});

describe('runbook lint and verify refuse what is not a regular file, without reading it', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('names a FIFO and /dev/zero in one line and exits 1', async () => {
    const fifo = path.join(harness.home, 'pipe.md');
    execFileSync('mkfifo', [fifo]);
    const lint = await cli('runbook', 'lint', fifo, '/dev/zero');
    expect(lint.code).toBe(1);
    expect(lint.out).toMatch(/pipe\.md:1(:\d+)?: error: a FIFO \(named pipe\), not a runbook file; not read/);
    expect(lint.out).toMatch(/\/dev\/zero:1(:\d+)?: error: a character device, not a runbook file; not read/);

    for (const target of [fifo, '/dev/zero']) {
      const verify = await cli('verify', target);
      expect(verify.code, target).toBe(1);
      expect(harness.errors.at(-1), target).toMatch(/is (a FIFO \(named pipe\)|a character device), not a bag/);
    }
  });
});
