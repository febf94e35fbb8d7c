import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../electron/cli';
import { DATABASE_FILE } from '../../electron/services/db/open';
import { tempHome } from '../support/temp-home';
import { useCliHarness } from './cli/support';

describe('firebreak CLI', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('creates, lists, shows and moves an incident', async () => {
    const created = await cli('incident', 'new', '--title', 'Redis OOM', '--severity', 'P1', '--service', 'redis', '--json');
    expect(created.code).toBe(0);
    expect(JSON.parse(created.out)).toMatchObject({ id: 1, severity: 'high', services: ['redis'] });
    expect((await cli('incident', 'list')).out).toMatch(/INC-0001\s+high \(P1\)\s+detected.*Redis OOM/);
    expect((await cli('incident', 'status', 'INC-0001', 'acknowledged')).code).toBe(0);
    const shown = JSON.parse((await cli('incident', 'show', '1', '--json')).out);
    expect(shown.status).toBe('acknowledged');
    expect((await cli('note', '1', 'flushed', 'the', 'cache')).out).toMatch(/entry #3/);
    const timeline = JSON.parse((await cli('timeline', '1', '--json')).out);
    expect(timeline.map((e: { kind: string }) => e.kind)).toEqual(['incident.created', 'status.changed', 'note']);
    expect(timeline[2].data.text).toBe('flushed the cache');
  });

  it('explains bad input and exits non-zero', async () => {
    expect((await cli('incident', 'new', '--title', 'x', '--severity', 'sev1')).code).toBe(1);
    expect(harness.errors.at(-1)).toMatch(/severity: must be one of critical, high, medium, low/);
    expect((await cli('incident', 'new', '--title', 'x')).code).toBe(2);
    expect(harness.errors.at(-1)).toMatch(/--severity is required/);
    expect((await cli('incident', 'show', 'abc')).code).toBe(2);
    expect(harness.errors.at(-1)).toMatch(/"abc" is not an incident id/);
    expect((await cli('incident', 'show', '7')).code).toBe(1);
    expect(harness.errors.at(-1)).toMatch(/INC-0007 does not exist/);
    expect((await cli('incident', 'list', '--colour')).code).toBe(2);
    expect(harness.errors.at(-1)).toMatch(/--colour/);
  });

  it('verifies the timeline, and names the first changed entry with exit 1', async () => {
    await cli('incident', 'new', '--title', 'Disk full', '--severity', 'low');
    await cli('note', '1', 'rotated logs at 09:14');
    await cli('note', '1', 'another');
    const ok = await cli('timeline', 'verify');
    expect(ok).toMatchObject({ code: 0, out: expect.stringMatching(/intact: 3 entries/) });

    const file = path.join(harness.home, DATABASE_FILE);
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(Buffer.from('09:14'));
    bytes[at] = '1'.charCodeAt(0);
    fs.writeFileSync(file, bytes);

    const bad = await cli('timeline', 'verify', '1');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/TAMPERED[\s\S]*INC-0001 entry #2/);
  });

  it('prints usage for no command and refuses unknown ones', async () => {
    expect((await cli()).out).toMatch(/Usage: firebreak/);
    expect((await cli('frobnicate')).code).toBe(2);
  });
});

describe('firebreak correct', () => {
  it('appends a correction pointing at the entry by its number', async () => {
    const home = tempHome();
    const out: string[] = [];
    const run = (...args: string[]) => runCli(['--home', home.dir, ...args], (t) => out.push(t));
    try {
      await run('incident', 'new', '--title', 't', '--severity', 'low');
      await run('note', '1', 'restarted redis-2');
      expect(await run('correct', '1', '2', 'it was redis-1')).toBe(0);
      expect(out.at(-1)).toBe('Correction of #2 added as entry #3');
      await run('timeline', '1');
      expect(out.at(-1)).toMatch(/#  3 .*correction of #2: it was redis-1/);
      expect(await run('correct', '1', '9', 'x')).toBe(1);
    } finally {
      home.cleanup();
    }
  });
});

describe('firebreak backup and restore', () => {
  it('backs up, restores after a loss, and refuses a damaged backup', async () => {
    const home = tempHome();
    const out: string[] = [];
    const run = (...args: string[]) => runCli(['--home', home.dir, ...args], (t) => out.push(t));
    try {
      await run('incident', 'new', '--title', 'Before backup', '--severity', 'low');
      const file = path.join(home.dir, 'b.db');
      expect(await run('backup', '--out', file)).toBe(0);
      expect(out.at(-1)).toMatch(/^Backup written: .*b\.db[\s\S]*sha256 [0-9a-f]{64}\nChain heads/);
      await run('incident', 'new', '--title', 'After backup', '--severity', 'low');
      expect(await run('restore', file)).toBe(0);
      expect(out.at(-1)).toMatch(/Restored .* \(1 timeline entries verified[\s\S]*kept at/);
      await run('incident', 'list', '--json');
      expect(JSON.parse(out.at(-1)!).map((i: { title: string }) => i.title)).toEqual(['Before backup']);
      expect(await run('restore', path.join(home.dir, 'missing.db'))).toBe(1);
      expect(await run('backup', '--out', file)).toBe(1);
    } finally {
      home.cleanup();
    }
  });
});

describe('firebreak backup config', () => {
  const harness = useCliHarness();
  it('turns automatic backups off and sets retention, refusing bad numbers', async () => {
    expect(await harness.cli('backup', 'config', '--off', '--daily', '14')).toEqual({
      code: 0,
      out: expect.stringMatching(/^Automatic backups off: keep 14 daily, 4 weekly, 12 monthly/),
    });
    expect((await harness.cli('backup', 'config', '--weekly', 'many')).code).toBe(2);
    expect(harness.errors.at(-1)).toMatch(/--weekly: "many" is not a whole number/);
    expect(JSON.parse((await harness.cli('backup', 'config', '--on', '--json')).out)).toEqual({ enabled: true, retention: { daily: 14, weekly: 4, monthly: 12 } });
  });
});
