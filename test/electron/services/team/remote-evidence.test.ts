import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Services } from '../../../../electron/services';
import { REMOTE_EVIDENCE_FILE } from '../../../../electron/services/evidence/bagit';
import type { RemoteEvidenceItem } from '../../../../shared/evidence';
import { useCliHarness } from '../../cli/support';
import { redisAvailable } from '../probes/support/redis-server';
import { useTeamLaptops } from './support/team-laptops';

// Team mode (docs/team.md): evidence metadata, hashes and custody sync; blobs stay on the laptop
// that captured them. A bag exported on any laptop lists the evidence held elsewhere (hash and
// device) in bag-info/remote-evidence.json, and `firebreak verify` reports those items as
// "not here", not missing. Two profiles on one real redis-server on a random loopback port.

const sha256 = (text: string) => crypto.createHash('sha256').update(text).digest('hex');

describe.skipIf(!redisAvailable() && process.env.CI !== 'true')('remote evidence in bags (real redis-server)', () => {
  const harness = useCliHarness();
  let src: string;
  const laptops = useTeamLaptops();
  afterEach(() => {
    fs.rmSync(src, { recursive: true, force: true });
  });
  const laptop = (actor: string): Services => laptops.laptop(actor).services;

  /** Rewrites the tag manifest after a tag file was changed or removed, as someone editing a bag would. */
  function rehashTags(bag: string) {
    const lines = fs
      .readFileSync(path.join(bag, 'tagmanifest-sha256.txt'), 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((l) => l.slice(66))
      .filter((rel) => fs.existsSync(path.join(bag, rel)))
      .map((rel) => `${crypto.createHash('sha256').update(fs.readFileSync(path.join(bag, rel))).digest('hex')}  ${rel}\n`);
    fs.writeFileSync(path.join(bag, 'tagmanifest-sha256.txt'), lines.join(''));
  }

  it("lists Alice's evidence in Bob's bag with its hash and device, and verify reports it as not here", async () => {
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-remote-ev-'));
    fs.writeFileSync(path.join(src, 'api.log'), 'alice saw 502s\n');
    fs.writeFileSync(path.join(src, 'nginx.log'), 'upstream timed out\n');
    fs.writeFileSync(path.join(src, 'bob.log'), 'bob saw recovery\n');
    const a = laptop('alice');
    const b = laptop('bob');
    const url = laptops.url;
    await a.team.join(url, 'evidence');
    await b.team.join(url, 'evidence');
    await a.team.approve(b.devices.deviceId);
    const incident = a.incidents.create({ title: 'Checkout 502', severity: 'high' });
    await a.evidence.collectFiles(incident.id, { paths: [path.join(src, 'api.log'), path.join(src, 'nginx.log')] });
    await a.team.share(incident.id);
    await a.team.syncOnce();
    await b.team.syncOnce();
    const onB = b.incidents.list()[0]!.id;
    // Bob collects his own file too: his artifact id 1 is not Alice's artifact id 1.
    await b.evidence.collectFiles(onB, { paths: [path.join(src, 'bob.log')] });

    const bag = path.join(harness.home, 'bob-bag');
    await b.evidenceArchive.exportBag(onB, { out: bag }, 'bob');
    const listed = JSON.parse(fs.readFileSync(path.join(bag, REMOTE_EVIDENCE_FILE), 'utf8')) as RemoteEvidenceItem[];
    const base = (r: RemoteEvidenceItem) => path.basename(r.name);
    listed.sort((x, y) => base(x).localeCompare(base(y)));
    expect(listed.map((r) => ({ name: base(r), sha256: r.sha256, deviceId: r.deviceId, deviceName: r.deviceName, collectedBy: r.collectedBy }))).toEqual([
      { name: 'api.log', sha256: sha256('alice saw 502s\n'), deviceId: a.devices.deviceId, deviceName: 'alice-laptop', collectedBy: 'alice@alice-laptop' },
      { name: 'nginx.log', sha256: sha256('upstream timed out\n'), deviceId: a.devices.deviceId, deviceName: 'alice-laptop', collectedBy: 'alice@alice-laptop' },
    ]);
    expect(fs.readFileSync(path.join(bag, 'tagmanifest-sha256.txt'), 'utf8')).toContain(`  ${REMOTE_EVIDENCE_FILE}`);
    expect(fs.readFileSync(path.join(bag, 'bag-info.txt'), 'utf8')).toContain(`Firebreak-Remote-Evidence: 2 (${REMOTE_EVIDENCE_FILE})`);
    const here = fs.readdirSync(path.join(bag, 'data', 'evidence'), { recursive: true }).map(String);
    expect(here.some((f) => f.endsWith('bob.log'))).toBe(true);
    expect(here.some((f) => f.endsWith('api.log'))).toBe(false);

    const report = await b.evidenceArchive.verifyBag(bag);
    expect(report.failures).toEqual([]);
    expect(report.ok).toBe(true);
    expect(report.remote?.map(base).sort()).toEqual(['api.log', 'nginx.log']);
    const cli = await harness.cli('verify', bag);
    expect(cli.code).toBe(0);
    expect(cli.out).toMatch(/^OK .*bob-bag: \d+ files, .* verified; 2 remote items not here$/m);
    expect(cli.out).toContain(`  not here: ${listed[0]!.name} sha256 ${sha256('alice saw 502s\n')} (15 B) — on alice-laptop (device ${a.devices.deviceId}), collected by alice@alice-laptop`);

    // Alice's own bag lists Bob's file as remote and holds her two.
    await b.team.syncOnce();
    await a.team.syncOnce();
    const aliceBag = path.join(harness.home, 'alice-bag');
    await a.evidenceArchive.exportBag(incident.id, { out: aliceBag, format: 'dir' }, 'alice');
    const aliceReport = await a.evidenceArchive.verifyBag(aliceBag);
    expect(aliceReport.ok).toBe(true);
    expect(aliceReport.remote).toMatchObject([{ deviceId: b.devices.deviceId, deviceName: 'bob-laptop', sha256: sha256('bob saw recovery\n') }]);

    // A list that lies about a hash excuses nothing; without the list the items are missing.
    const forged = listed.map((r, i) => (i === 1 ? { ...r, sha256: sha256('something else') } : r));
    const nginx = listed[1]!;
    fs.writeFileSync(path.join(bag, REMOTE_EVIDENCE_FILE), JSON.stringify(forged));
    rehashTags(bag);
    const lying = await b.evidenceArchive.verifyBag(bag);
    expect(lying.ok).toBe(false);
    expect(lying.failures.map((f) => `${f.file}: ${f.message}`)).toContain(`${REMOTE_EVIDENCE_FILE}: lists artifact ${nginx.artifactId} of entry ${nginx.entrySeq} (${nginx.name}), which the bag's timeline does not record with that sha256`);
    fs.rmSync(path.join(bag, REMOTE_EVIDENCE_FILE));
    rehashTags(bag);
    const without = await b.evidenceArchive.verifyBag(bag);
    expect(without.ok).toBe(false);
    expect(without.failures.some((f) => f.kind === 'missing' && f.artifactId === Math.max(...listed.map((r) => r.artifactId)))).toBe(true);
  });
});
