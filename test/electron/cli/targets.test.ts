import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sshdAvailable, startSshd, type TestSshd } from '../../support/sshd';
import { useCliHarness } from './support';

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('firebreak target / incident targets / collect --target (real sshd)', () => {
  const harness = useCliHarness();
  const { cli } = harness;
  let sshd: TestSshd;
  let previous: string | undefined;
  beforeAll(async () => {
    sshd = await startSshd();
    previous = process.env.FIREBREAK_SSH_CONFIG;
    process.env.FIREBREAK_SSH_CONFIG = sshd.config;
  });
  afterAll(async () => {
    if (previous === undefined) delete process.env.FIREBREAK_SSH_CONFIG;
    else process.env.FIREBREAK_SSH_CONFIG = previous;
    await sshd.stop();
  });

  it('adds a target, shows an unknown host key, accepts it by fingerprint, then collects logs and a snapshot', async () => {
    const fingerprint = /(SHA256:\S+)/.exec(execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(sshd.dir, 'host_ed25519.pub')], { encoding: 'utf8' }))![1]!;
    const added = await cli('target', 'add', 'fbtest');
    expect(added.code).toBe(1);
    expect(added.out).toContain('Added target fbtest.');
    expect(added.out).toMatch(/not known yet/);
    expect(added.out).toContain(`ssh-ed25519  ${fingerprint}`);
    expect(added.out).toContain(`firebreak target accept fbtest ${fingerprint}`);

    const accepted = await cli('target', 'accept', 'fbtest', fingerprint);
    expect(accepted.code).toBe(0);
    expect(accepted.out).toContain(`fbtest: connected (host key ${fingerprint})`);

    const gauges = await cli('gauges', '--target', 'fbtest', '--once', '--json');
    expect(gauges.code).toBe(0);
    const reading = JSON.parse(gauges.out) as { target: string; hostKeyFingerprint: string; sample: { memory: { totalBytes: number }; cpu: { total: number } } };
    expect(reading).toMatchObject({ target: 'fbtest', hostKeyFingerprint: fingerprint });
    expect(reading.sample.memory.totalBytes).toBeGreaterThan(0);

    const list = await cli('target', 'list', '--json');
    expect(JSON.parse(list.out)).toMatchObject([{ name: 'fbtest' }]);

    expect((await cli('incident', 'new', '--title', 'API down on fbtest', '--severity', 'P1')).code).toBe(0);
    expect((await cli('incident', 'targets', '1', 'add', 'fbtest')).code).toBe(0);
    expect((await cli('incident', 'targets', '1')).out).toBe('fbtest');

    const logs = path.join(harness.home, 'server-logs');
    fs.mkdirSync(logs);
    fs.writeFileSync(path.join(logs, 'api.log'), 'INFO a\nERROR b\nINFO c\nERROR d\n');
    const collected = await cli('collect', '1', '--target', 'fbtest', '--files', `${logs}/*.log`, '--tail', '3', '--grep', 'ERROR');
    expect(collected.code).toBe(0);
    expect(collected.out).toMatch(/ok\s+\d+ B\s+[0-9a-f]{64}\s+fbtest\/.*server-logs\/api\.log/);
    expect(collected.out).toContain('(remote-files) complete: 1 artifact');
    // --level and --until work with --target too (filtered on the laptop, as the bytes arrive).
    fs.writeFileSync(path.join(logs, 'svc.log'), '2026-12-06T10:00:00Z WARN a\n2026-12-06T10:01:00Z ERROR b\n2026-12-06T10:05:00Z ERROR c\n');
    const levelled = await cli('collect', '1', '--target', 'fbtest', '--files', `${logs}/svc.log`, '--level', 'error', '--until', '2026-12-06T10:02:00Z', '--json');
    expect(levelled.code).toBe(0);
    const levelledArtifact = (JSON.parse(levelled.out) as { artifacts: { derivation: Record<string, unknown>; size: number }[] }).artifacts[0]!;
    expect(levelledArtifact).toMatchObject({ derivation: { level: 'error', until: '2026-12-06T10:02:00.000Z' }, size: '2026-12-06T10:01:00Z ERROR b\n'.length });

    const snapshot = await cli('collect', '1', '--target', 'fbtest', '--snapshot');
    expect(snapshot.out).toContain('(remote-snapshot) complete');
    expect(snapshot.out).toContain('fbtest/snapshot/processes.txt');

    const timeline = await cli('timeline', '1', '--json');
    const kinds = (JSON.parse(timeline.out) as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toContain('incident.target-added');
    // Many ssh sessions in one test: on a loaded machine each takes a while.
  }, 60_000);

  it('refuses option and shell injection in a host name with a clear message', async () => {
    // The argument parser already refuses it as an option; after `--` the target check does.
    expect((await cli('target', 'add', '-oProxyCommand=touch /tmp/fb-cli-pwned')).code).toBe(2);
    const bad = await cli('target', 'add', '--', '-oProxyCommand=touch /tmp/fb-cli-pwned');
    expect(bad.code).not.toBe(0);
    expect(harness.errors.join('\n')).toMatch(/starts with "-", which ssh would read as an option/);
    const shell = await cli('target', 'add', 'web;id');
    expect(shell.code).not.toBe(0);
    expect(harness.errors.join('\n')).toMatch(/not an ssh alias or user@host/);
    expect(fs.existsSync('/tmp/fb-cli-pwned')).toBe(false);
  });
});
