import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { describe, expect, it } from 'vitest';
import type { Services } from '../../../../electron/services';
import { blobKeys } from '../../../../electron/services/team/blobs';
import { tempHome } from '../../../support/temp-home';
import { useCliHarness } from '../../cli/support';
import { redisAvailable } from '../probes/support/redis-server';
import { useTeamLaptops } from './support/team-laptops';

// Issue 16, evidence: blobs stay on the capturing laptop unless pushed (with a size cap); another
// laptop fetches one on demand and keeps it only if it hashes to the custody record's sha256.

const run = redisAvailable() ? describe : describe.skip;

run('team evidence blobs', () => {
  const laptops = useTeamLaptops();
  let teamNo = 0;
  const laptop = (actor: string) => laptops.laptop(actor);

  async function setup() {
    const team = `e${++teamNo}`;
    const a = laptop('alice');
    const b = laptop('bob');
    await a.services.team.join(laptops.url, team);
    await b.services.team.join(laptops.url, team);
    await a.services.team.approve(b.services.devices.deviceId);
    const id = a.services.incidents.create({ title: 'Evidence', severity: 'high' }).id;
    // Collected outside the profile (collections never walk Firebreak's own folder).
    const src = tempHome();
    laptops.afterTest(src.cleanup);
    fs.writeFileSync(path.join(src.dir, 'small.log'), 'GET /checkout 502\n'.repeat(100));
    fs.writeFileSync(path.join(src.dir, 'big.log'), Buffer.alloc(3 << 20, 'x'));
    await a.services.evidence.collectFiles(id, { paths: [path.join(src.dir, 'small.log'), path.join(src.dir, 'big.log')] });
    const uid = await a.services.team.share(id);
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;
    const artifacts = a.services.db.prepare<[number], { id: number; name: string; sha256: string; size: number }>('SELECT id, name, sha256, size FROM evidence_artifacts WHERE incident_id = ? ORDER BY id').all(id);
    return { team, a, b, id, uid, onB, artifacts };
  }

  it('pushes blobs under the cap, and another laptop fetches one verified against its hash', async () => {
    const { a, b, id, onB, artifacts } = await setup();
    const small = artifacts.find((x) => x.name.endsWith('small.log'))!;
    const big = artifacts.find((x) => x.name.endsWith('big.log'))!;
    // The custody record (with the hash) reached bob through the timeline; the bytes did not.
    const custody = b.services.timeline.list(onB).filter((e) => e.kind === 'evidence.collected').flatMap((e) => e.data.artifacts as { sha256: string }[]);
    expect(custody.map((c) => c.sha256).sort()).toEqual([small.sha256, big.sha256].sort());
    await expect(b.services.team.fetchEvidence(onB, small.sha256)).rejects.toThrow(/has not been pushed to the team/);

    const result = await a.services.team.pushEvidence(id, [], 1 << 20);
    expect(result.pushed).toEqual([{ artifactId: small.id, sha256: small.sha256, size: small.size }]);
    expect(result.skipped).toEqual([{ artifactId: big.id, name: big.name, reason: `${3 << 20} bytes is over the cap of ${1 << 20} bytes per blob (--max-mib)` }]);
    expect((await b.services.team.pushedEvidence(onB)).map((p) => p.sha256)).toEqual([small.sha256]);

    const fetched = await b.services.team.fetchEvidence(onB, small.sha256);
    expect(fs.readFileSync(fetched.path, 'utf8')).toBe('GET /checkout 502\n'.repeat(100));
    expect(fetched.path).toContain(path.join('incidents', String(onB), 'team-evidence'));
    // Pushing again stores nothing twice.
    expect((await a.services.team.pushEvidence(id, [small.id])).pushed).toHaveLength(1);
  });

  it('refuses a blob whose bytes in Redis do not match its hash, and stores nothing', async () => {
    const { team, a, b, id, uid, onB, artifacts } = await setup();
    const small = artifacts.find((x) => x.name.endsWith('small.log'))!;
    await a.services.team.pushEvidence(id, [small.id]);
    const raw = new Redis({ port: laptops.redis.port, host: '127.0.0.1' });
    await raw.set(blobKeys(team, uid).blob(small.sha256), 'tampered');
    raw.disconnect();
    await expect(b.services.team.fetchEvidence(onB, small.sha256)).rejects.toThrow(new RegExp(`blob ${small.sha256} from Redis does not match its hash .*nothing was stored`));
    const dir = path.join(b.services.db.name, '..', 'incidents', String(onB), 'team-evidence', 'sha256');
    expect(fs.existsSync(dir) ? fs.readdirSync(dir, { recursive: true }).filter((f) => String(f).length > 2) : []).toEqual([]);
  });

  describe('CLI', () => {
    const h = useCliHarness();
    it('team push-evidence refuses bad input clearly', async () => {
      await h.cli('incident', 'new', '--title', 'x', '--severity', 'low');
      await h.cli('team', 'push-evidence', '1', 'abc');
      expect(h.errors.join('\n')).toMatch(/not an artifact id: abc/);
      await h.cli('team', 'push-evidence', '1', '--max-mib', '0');
      expect(h.errors.join('\n')).toMatch(/--max-mib must be a positive number \(got 0\)/);
      await h.cli('team', 'push-evidence', '1');
      expect(h.errors.join('\n')).toMatch(/not in a team/);
    });
  });
});
