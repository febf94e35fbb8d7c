import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../../electron/services/clock';
import { parseTargetName } from '../../../../electron/services/targets/quote';
import { controlDirFor } from '../../../../electron/services/targets/service';
import { SshTarget } from '../../../../electron/services/targets/ssh';
import { sshdAvailable } from '../../../support/sshd';
import { targetHarness, type TargetHarness } from './harness';

const hostFingerprint = (h: TargetHarness): string =>
  /(SHA256:\S+)/.exec(execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(h.sshd.dir, 'host_ed25519.pub')], { encoding: 'utf8' }))![1]!;

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('ssh targets against a real sshd', () => {
  let h: TargetHarness | undefined;
  afterEach(async () => {
    await h?.cleanup();
    h = undefined;
  });

  it('connects once through a ControlMaster and reuses it for every session', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    const status = await h.targets.connect('fbtest');
    expect(status).toMatchObject({ state: 'connected', hostKeyFingerprint: hostFingerprint(h) });
    const target = h.targets.ssh('fbtest');
    const pidOf = () => execFileSync('ssh', ['-F', h!.sshd.config, '-o', `ControlPath=${target.controlPath}`, '-O', 'check', '--', 'fbtest'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    const before = pidOf();
    for (let i = 0; i < 3; i++) {
      const proc = await target.exec('echo "$((40 + 2))"');
      let out = '';
      for await (const chunk of proc.stdout) out += String(chunk);
      expect(out.trim()).toBe('42');
      expect((await proc.done).code).toBe(0);
    }
    expect(pidOf()).toBe(before);
    // The control socket lives in a private folder.
    expect(fs.statSync(path.dirname(target.controlPath)).mode & 0o777).toBe(0o700);
  });

  it('does not run `ssh -O check` before every session on a master it checked a moment ago, and checks again once closed', async () => {
    h = await targetHarness();
    // The operator's ssh, through a wrapper that logs every `-O check`.
    const log = path.join(h.home, 'checks.log');
    const wrapper = path.join(h.home, 'ssh-wrapper');
    fs.writeFileSync(wrapper, `#!/bin/sh\ncase " $* " in *" -O check "*) echo check >>'${log}';; esac\nexec ssh "$@"\n`, { mode: 0o755 });
    const checks = () => (fs.existsSync(log) ? fs.readFileSync(log, 'utf8').split('\n').filter(Boolean).length : 0);
    const settings = { controlDir: controlDirFor(h.home), knownHostsFile: path.join(h.home, 'ssh', 'known_hosts'), configFile: h.sshd.config, ssh: wrapper, clock: systemClock, masterCheckFreshMs: 600_000 };
    const target = new SshTarget(parseTargetName('fbtest'), settings);
    await target.connect();
    const afterConnect = checks();
    for (let i = 0; i < 3; i++) {
      const proc = await target.exec('echo ok');
      for await (const _ of proc.stdout) void _;
      expect((await proc.done).code).toBe(0);
    }
    expect(checks()).toBe(afterConnect);
    await target.close();
    await target.connect();
    expect(checks()).toBeGreaterThan(afterConnect);
    await target.close();
  });

  it('never accepts an unknown host key silently: shows its fingerprint and needs the exact one accepted', async () => {
    h = await targetHarness({ trusted: false });
    h.targets.add('fbtest');
    const status = await h.targets.connect('fbtest');
    expect(status.state).toBe('host-key-unknown');
    expect(status.message).toMatch(/not known yet/);
    // Nothing was written anywhere by the attempt.
    expect(fs.readFileSync(h.sshd.knownHosts, 'utf8')).toBe('');
    expect(fs.existsSync(h.targets.knownHostsFile)).toBe(false);
    const offer = await h.targets.offerHostKey('fbtest');
    expect(offer.keys.map((k) => k.fingerprint)).toContain(hostFingerprint(h));
    await expect(h.targets.acceptHostKey('fbtest', 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')).rejects.toThrow(/does not offer a host key with fingerprint/);
    expect(fs.existsSync(h.targets.knownHostsFile)).toBe(false);
    await h.targets.acceptHostKey('fbtest', hostFingerprint(h));
    expect(fs.readFileSync(h.targets.knownHostsFile, 'utf8')).toMatch(new RegExp(`^\\[127\\.0\\.0\\.1\\]:${h.sshd.port} ssh-ed25519 `));
    expect(await h.targets.connect('fbtest')).toMatchObject({ state: 'connected', hostKeyFingerprint: hostFingerprint(h) });
  });

  it('refuses a changed host key with a clear message, and will not accept the new one over the old', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    expect((await h.targets.connect('fbtest')).state).toBe('connected');
    await h.sshd.changeHostKey();
    const status = await h.targets.connect('fbtest', { force: true });
    expect(status.state).toBe('host-key-changed');
    expect(status.message).toMatch(/host key of fbtest has changed .*refuses to connect/);
    expect(status.message).toContain(hostFingerprint(h));
    await expect(h.targets.acceptHostKey('fbtest', hostFingerprint(h))).rejects.toThrow(/different host key on record.*refused/);
    // Work on the target is refused too, naming the reason.
    await expect(h.remote.collectSnapshot(h.incidentId, 'fbtest')).rejects.toThrow(/has changed/);
  });

  it('reports an unreachable host with its time and backs off instead of hammering it', async () => {
    h = await targetHarness();
    h.targets.add(`${h.sshd.user}@127.0.0.1:1`);
    const name = `${h.sshd.user}@127.0.0.1:1`;
    const status = await h.targets.connect(name);
    expect(status.state).toBe('unreachable');
    expect(status.message).toMatch(/refused/i);
    expect(status.retryAt).not.toBeNull();
    // Within the backoff a second attempt fails at once with the same reason.
    await expect(h.targets.ssh(name).connect()).rejects.toThrow(/refused/i);
  });

  it('refuses hosts that would be read as ssh options or contain shell syntax', () => {
    return (async () => {
      h = await targetHarness();
      expect(() => h!.targets.add('-oProxyCommand=touch /tmp/fb-pwned')).toThrow(/starts with "-"/);
      expect(() => h!.targets.add('fbtest;id')).toThrow(/not an ssh alias/);
      expect(() => h!.targets.add('fb test')).toThrow(/spaces/);
      expect(h!.targets.list()).toEqual([]);
    })();
  });

  it('records affected targets of an incident on the timeline', async () => {
    h = await targetHarness();
    h.targets.add('fbtest');
    h.targets.addToIncident(h.incidentId, 'fbtest');
    expect(h.targets.incidentTargets(h.incidentId)).toEqual(['fbtest']);
    expect(() => h!.targets.addToIncident(h!.incidentId, 'nope')).toThrow(/target nope is not in the profile/);
    h.targets.removeFromIncident(h.incidentId, 'fbtest');
    expect(h.targets.incidentTargets(h.incidentId)).toEqual([]);
    const kinds = h.timeline.list(h.incidentId).map((e) => [e.kind, e.data.target]);
    expect(kinds).toEqual([
      ['incident.target-added', 'fbtest'],
      ['incident.target-removed', 'fbtest'],
    ]);
  });
});
