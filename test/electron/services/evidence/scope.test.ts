import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseMountinfo, pseudoReason, WalkScope } from '../../../../electron/services/evidence/scope';
import { harness, write, type Harness } from './helpers';

// Issue 15: collecting `/` walked into /proc, /sys, /dev and Firebreak's own profile.
const mountinfo = (mounts: ReadonlyArray<[string, string]>): string =>
  mounts.map(([point, type], i) => `${20 + i} 1 0:${i} / ${point.replace(/ /g, '\\040')} rw,relatime shared:${i} - ${type} none rw`).join('\n') + '\n';

describe('walk scope', () => {
  it('reads mount points and types from mountinfo, escapes included', () => {
    expect(parseMountinfo(mountinfo([['/', 'overlay'], ['/mnt/my disk', 'ext4'], ['/sys/fs/cgroup', 'cgroup2']]))).toEqual([
      { mountPoint: '/', fsType: 'overlay' },
      { mountPoint: '/mnt/my disk', fsType: 'ext4' },
      { mountPoint: '/sys/fs/cgroup', fsType: 'cgroup2' },
    ]);
  });

  it('leaves out pseudo filesystems and tmpfs under /run, not overlay or other tmpfs', () => {
    expect(pseudoReason({ mountPoint: '/proc', fsType: 'proc' })).toBe('proc filesystem');
    expect(pseudoReason({ mountPoint: '/sys/fs/cgroup', fsType: 'cgroup2' })).toBe('cgroup2 filesystem');
    expect(pseudoReason({ mountPoint: '/run/user/1000', fsType: 'tmpfs' })).toBe('tmpfs under /run');
    expect(pseudoReason({ mountPoint: '/tmp', fsType: 'tmpfs' })).toBeUndefined();
    expect(pseudoReason({ mountPoint: '/', fsType: 'overlay' })).toBeUndefined();
    const scope = new WalkScope({ platform: 'linux', profile: '/home/op/.firebreak', mountinfo: mountinfo([['/srv/debug', 'debugfs']]) });
    expect(scope.excluded('/proc/1')).toBe('pseudo filesystem (/proc)');
    expect(scope.excluded('/srv/debug/x')).toBe('debugfs filesystem (/srv/debug)');
    expect(scope.excluded('/home/op/.firebreak/incidents')).toBe("Firebreak's own profile (/home/op/.firebreak)");
    expect(scope.excluded('/home/op')).toBeUndefined();
    expect(scope.excluded('/procfoo')).toBeUndefined();
  });
});

describe('collecting a folder does not walk pseudo filesystems or the profile', () => {
  let h: Harness;
  let pseudo: string;
  afterEach(() => {
    h.cleanup();
    fs.rmSync(pseudo, { recursive: true, force: true });
  });

  it('collects the folder around the profile without the profile; a pseudo mount and /proc globs are skipped, a named /proc file is read', async () => {
    pseudo = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-pseudo-'));
    write(path.join(pseudo, 'kernel', 'state'), 'x\n');
    h = harness({ mountinfo: mountinfo([['/', 'overlay'], [pseudo, 'sysfs']]) });
    write(path.join(h.src, 'app.log'), 'ERROR x\n');
    // h.dir holds both src/ and home/ (the profile, with its database).
    const around = await h.evidence.collectFiles(h.incidentId, { paths: [h.dir, pseudo, `${pseudo}/**/*`, '/proc/self/*'] });
    expect(around.artifacts.map((a) => [a.name, a.status])).toEqual([[path.join(h.src, 'app.log').slice(1), 'ok']]);
    expect(around.collection.status).toBe('complete');
    const skipped = h.timeline.list(h.incidentId).find((e) => e.kind === 'evidence.collected' && (e.data as { final?: boolean }).final);
    expect((skipped?.data as { totals: { skipped: number } }).totals.skipped).toBe(4);

    const named = await h.evidence.collectFiles(h.incidentId, { paths: ['/proc/self/status'] });
    expect(named.artifacts.map((a) => [a.name, a.status])).toEqual([['proc/self/status', 'ok']]);
    expect(named.artifacts[0]!.size).toBeGreaterThan(0);
  });
});
