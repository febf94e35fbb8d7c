import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { createServices, type Services } from '../../../../electron/services';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import { keys } from '../../../../electron/services/team/wire';
import { tempHome } from '../../../support/temp-home';
import { redisAvailable, startRedis, type RedisHandle } from '../probes/support/redis-server';
import { useCliHarness } from '../../cli/support';

// Issue 16 (b)–(d): profiles on one real redis-server on a random loopback port. Every round
// is driven by syncOnce(), so nothing here depends on timing.

const run = redisAvailable() ? describe : describe.skip;

run('team sync through Redis Streams', () => {
  let redis: RedisHandle;
  let url: string;
  let teamNo = 0;
  let team: string;
  const open: { services: Services; cleanup: () => void }[] = [];

  beforeAll(async () => {
    redis = await startRedis();
    url = `redis://127.0.0.1:${redis.port}`;
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const o of open.splice(0)) {
      await o.services.team.stop();
      o.services.close();
      o.cleanup();
    }
  });

  function laptop(actor: string, start = '2026-11-23T09:00:00.000Z') {
    const home = tempHome();
    const clock = new ManualClock(Date.parse(start));
    const secrets = new MemorySecretStore();
    const services = createServices({ home: home.dir, clock, identity: { actor, host: `${actor}-laptop` }, secrets });
    open.push({ services, cleanup: home.cleanup });
    return { services, clock, secrets };
  }

  /** Two laptops in a fresh team: A founded it, B joined and was approved by A. */
  async function pair() {
    team = `t${++teamNo}`;
    const a = laptop('alice');
    const b = laptop('bob');
    expect(await a.services.team.join(url, team)).toEqual({ approved: true, founder: true });
    expect(await b.services.team.join(url, team)).toEqual({ approved: false, founder: false });
    await a.services.team.approve(b.services.devices.deviceId.slice(0, 8));
    return { a, b };
  }

  const notes = (s: Services, id: number) =>
    s.timeline
      .list(id)
      .filter((e) => e.kind === 'note')
      .map((e) => `${e.actor}: ${e.data.text}`);

  /** The merged timeline as every laptop must see it: by time, then device, then device seq. */
  function merged(s: Services, id: number): string[] {
    return s.db
      .prepare<[number], { at: string; device_id: string; device_seq: number; kind: string; data: string }>(
        'SELECT t.at, d.device_id, d.device_seq, t.kind, t.data FROM timeline t JOIN device_entries d ON d.entry_id = t.id WHERE t.incident_id = ? ORDER BY t.at, d.device_id, d.device_seq',
      )
      .all(id)
      .map((r) => `${r.at} ${r.device_id}:${r.device_seq} ${r.kind} ${r.data}`);
  }

  it('shares an incident: its entries and a note written on either laptop reach the other', async () => {
    const { a, b } = await pair();
    const incident = a.services.incidents.create({ title: 'API down', severity: 'high' });
    a.services.incidents.addNote(incident.id, 'restarting api-1');
    const uid = await a.services.team.share(incident.id);
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const onB = b.services.db.prepare<[string], { id: number; title: string }>('SELECT id, title FROM incidents WHERE uid = ?').get(uid)!;
    expect(onB.title).toBe('API down');
    expect(notes(b.services, onB.id)).toEqual(['alice: restarting api-1']);

    b.services.incidents.addNote(onB.id, 'db replica lagging');
    await b.services.team.syncOnce();
    await a.services.team.syncOnce();
    expect(notes(a.services, incident.id)).toEqual(['alice: restarting api-1', 'bob: db replica lagging']);
    expect(merged(a.services, incident.id)).toEqual(merged(b.services, onB.id));
    // Both laptops' logs still verify: the incident chain, and every device chain with its signatures.
    for (const s of [a.services, b.services]) {
      expect(s.timeline.verify().ok).toBe(true);
      expect(s.devices.verify()).toMatchObject({ ok: true, chainsChecked: 2 });
    }
  });

  it('pushes idempotently and ignores a duplicate delivery', async () => {
    const { a, b } = await pair();
    const incident = a.services.incidents.create({ title: 'Disk full', severity: 'low' });
    const uid = await a.services.team.share(incident.id);
    a.services.incidents.addNote(incident.id, 'one');
    expect((await a.services.team.syncOnce()).pushed).toBe(2);
    expect((await a.services.team.syncOnce()).pushed).toBe(0);
    // The same entry delivered again, as a retried XADD from another client would.
    const raw = new Redis({ port: redis.port, host: '127.0.0.1' });
    const [, fields] = ((await raw.xrange(keys(team).stream(uid), '-', '+', 'COUNT', 1)) as [string, string[]][])[0]!;
    await raw.xadd(keys(team).stream(uid), '*', ...fields!);
    raw.disconnect();
    const round = await b.services.team.syncOnce();
    expect(round).toMatchObject({ merged: 2, quarantined: 0 });
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!;
    expect(b.services.timeline.list(onB.id)).toHaveLength(2);
  });

  it('quarantines entries of an unapproved device until a member approves it', async () => {
    team = `t${++teamNo}`;
    const a = laptop('alice');
    const c = laptop('carol');
    await a.services.team.join(url, team);
    await c.services.team.join(url, team);
    const incident = a.services.incidents.create({ title: 'Login errors', severity: 'critical' });
    const uid = await a.services.team.share(incident.id);
    await a.services.team.syncOnce();
    await c.services.team.syncOnce();
    const onC = c.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!;
    c.services.incidents.addNote(onC.id, 'from an unapproved laptop');
    await c.services.team.syncOnce();
    expect(await a.services.team.syncOnce()).toMatchObject({ merged: 0, quarantined: 1 });
    expect(a.services.team.quarantine()[0]!.reason).toMatch(/comes from a device that is not approved/);
    expect(notes(a.services, incident.id)).toEqual([]);
    expect(a.services.devices.list().find((d) => d.deviceId === c.services.devices.deviceId)?.state).toBe('pending');

    await a.services.team.approve(c.services.devices.deviceId);
    await a.services.team.syncOnce();
    expect(notes(a.services, incident.id)).toEqual(['carol: from an unapproved laptop']);
    expect(a.services.team.quarantine()).toEqual([]);
  });

  it('quarantines a forged entry and malformed data without touching the local log', async () => {
    const { a, b } = await pair();
    const incident = a.services.incidents.create({ title: 'Queue stuck', severity: 'medium' });
    const uid = await a.services.team.share(incident.id);
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const raw = new Redis({ port: redis.port, host: '127.0.0.1' });
    const [, fields] = ((await raw.xrange(keys(team).stream(uid), '-', '+', 'COUNT', 1)) as [string, string[]][])[0]!;
    const genuine = JSON.parse(fields![1]!) as Record<string, unknown>;
    // Alice's next entry, written by someone without her key.
    await raw.xadd(keys(team).stream(uid), '*', 'e', JSON.stringify({ ...genuine, deviceSeq: 2, devicePrev: genuine.deviceHash, kind: 'note', data: { text: 'all clear, stop work' } }));
    await raw.xadd(keys(team).stream(uid), '*', 'e', '{"device": 42}');
    await raw.xadd(keys(team).stream(uid), '*', 'e', 'not json at all');
    raw.disconnect();
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!;
    const before = b.services.timeline.list(onB.id).length;
    expect(await b.services.team.syncOnce()).toMatchObject({ merged: 0, quarantined: 3 });
    expect(b.services.team.quarantine().map((q) => q.reason)).toEqual([
      expect.stringMatching(/^forged entry [0-9a-f-]+:2: its content does not match its hash$/),
      'malformed entry: incident: Invalid input: expected string, received undefined',
      'malformed entry: not JSON',
    ]);
    expect(b.services.timeline.list(onB.id)).toHaveLength(before);
    expect(b.services.timeline.verify().ok).toBe(true);
    expect(b.services.devices.verify().ok).toBe(true);
  });

  it('converges after a partition: Redis stops, both keep writing, Redis comes back', async () => {
    const { a, b } = await pair();
    const incident = a.services.incidents.create({ title: 'Partition', severity: 'high' });
    const uid = await a.services.team.share(incident.id);
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;

    // Redis restarts empty on the same port (no AOF here): everything must be pushed again.
    const port = redis.port;
    await redis.stop();
    for (let i = 0; i < 5; i++) {
      a.clock.advance(1000);
      b.clock.advance(1000);
      a.services.incidents.addNote(incident.id, `a${i}`); // local writes do not wait for the network
      b.services.incidents.addNote(onB, `b${i}`);
    }
    await expect(a.services.team.syncOnce()).rejects.toThrow();
    redis = await startRedis([], port);
    await a.services.team.stop();
    await b.services.team.stop();
    // A fresh Redis has lost the team: the founder re-registers through a fresh join.
    for (const s of [a.services, b.services]) s.db.prepare('DELETE FROM team_config').run();
    await a.services.team.join(url, team);
    await b.services.team.join(url, team);
    await a.services.team.approve(b.services.devices.deviceId);
    await a.services.team.share(incident.id);
    for (let round = 0; round < 2; round++) {
      await a.services.team.syncOnce();
      await b.services.team.syncOnce();
    }
    expect(notes(a.services, incident.id).sort()).toEqual(['alice: a0', 'alice: a1', 'alice: a2', 'alice: a3', 'alice: a4', 'bob: b0', 'bob: b1', 'bob: b2', 'bob: b3', 'bob: b4']);
    expect(merged(a.services, incident.id)).toEqual(merged(b.services, onB));
  });

  it('survives a Redis restart with AOF: both keep writing while it is down, nothing is re-joined or duplicated', async () => {
    const dir = tempHome();
    const aof = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir.dir]);
    const saved = url;
    url = `redis://127.0.0.1:${aof.port}`;
    try {
      const { a, b } = await pair();
      const incident = a.services.incidents.create({ title: 'AOF', severity: 'high' });
      const uid = await a.services.team.share(incident.id);
      await a.services.team.syncOnce();
      await b.services.team.syncOnce();
      const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;
      await aof.stop();
      a.services.incidents.addNote(incident.id, 'a while down');
      b.services.incidents.addNote(onB, 'b while down');
      const again = await startRedis(['--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir.dir], aof.port);
      try {
        for (let round = 0; round < 2; round++) {
          await a.services.team.syncOnce().catch(() => a.services.team.syncOnce());
          await b.services.team.syncOnce().catch(() => b.services.team.syncOnce());
        }
        expect(notes(a.services, incident.id).sort()).toEqual(['alice: a while down', 'bob: b while down']);
        expect(merged(a.services, incident.id)).toEqual(merged(b.services, onB));
        expect(a.services.team.quarantine()).toEqual([]);
      } finally {
        await again.stop();
      }
    } finally {
      url = saved;
      dir.cleanup();
    }
  });

  it('merges concurrent status, severity and field changes the same way on both laptops', async () => {
    const { a, b } = await pair();
    const incident = a.services.incidents.create({ title: 'Payments slow', severity: 'medium' });
    const uid = await a.services.team.share(incident.id);
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;
    // Offline from each other: alice acknowledges and raises severity; bob, a minute later, goes
    // straight to investigating (with a reason), sets another severity and retitles.
    a.clock.set('2026-11-23T09:05:00.000Z');
    a.services.incidents.transition({ id: incident.id, to: 'acknowledged' });
    a.services.incidents.setSeverity(incident.id, 'critical');
    a.services.incidents.update(incident.id, { title: 'Payments down' });
    b.clock.set('2026-11-23T09:06:00.000Z');
    b.services.incidents.transition({ id: onB, to: 'investigating', reason: 'paged directly' });
    b.services.incidents.setSeverity(onB, 'high');
    b.services.incidents.update(onB, { title: 'Payments: card gateway down' });
    for (let round = 0; round < 2; round++) {
      await a.services.team.syncOnce();
      await b.services.team.syncOnce();
    }
    const row = (s: Services, id: number) =>
      s.db.prepare<[number], Record<string, unknown>>('SELECT status, severity, title, acknowledged_at, investigating_at FROM incidents WHERE id = ?').get(id);
    expect(row(a.services, incident.id)).toEqual({
      status: 'investigating',
      severity: 'high',
      title: 'Payments: card gateway down',
      acknowledged_at: '2026-11-23T09:05:00.000Z',
      investigating_at: '2026-11-23T09:06:00.000Z',
    });
    expect(row(b.services, onB)).toEqual(row(a.services, incident.id));
    // Both values stay on the timeline.
    expect(a.services.timeline.list(incident.id).filter((e) => e.kind === 'severity.changed').map((e) => e.data.to)).toEqual(['critical', 'high']);
  });

  it('joins as a Redis ACL user; the password goes to the secret store, never the database', async () => {
    const admin = new Redis({ port: redis.port, host: '127.0.0.1' });
    await admin.call('ACL', 'SETUSER', 'responder', 'on', '>s3cret-pass', '~firebreak:*', '+@all');
    admin.disconnect();
    team = `t${++teamNo}`;
    const a = laptop('alice');
    const wrong = a.services.team.join(`redis://responder:wrong@127.0.0.1:${redis.port}`, team);
    await expect(wrong).rejects.toThrow(/WRONGPASS|invalid username-password/);
    expect(a.services.team.config()).toBeUndefined();
    await a.services.team.join(`redis://responder:s3cret-pass@127.0.0.1:${redis.port}`, team);
    expect(a.services.team.config()!.url).toBe(`redis://responder@127.0.0.1:${redis.port}`);
    expect(await a.secrets.get('firebreak.team.redis')).toBe('s3cret-pass');
    const incident = a.services.incidents.create({ title: 'ACL', severity: 'low' });
    await a.services.team.share(incident.id);
    expect((await a.services.team.syncOnce()).pushed).toBe(1);
  });

  it('keeps a laptop clock 10 minutes off as its own times, and orders by them', async () => {
    const { a, b } = await pair();
    b.clock.set('2026-11-23T09:10:00.000Z'); // bob's laptop runs 10 minutes fast
    const incident = a.services.incidents.create({ title: 'Clock skew', severity: 'low' });
    const uid = await a.services.team.share(incident.id);
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;
    b.services.incidents.addNote(onB, 'skewed');
    await b.services.team.syncOnce();
    await a.services.team.syncOnce();
    const note = a.services.timeline.list(incident.id).find((e) => e.kind === 'note')!;
    // The signed time is bob's, as written: a receiver cannot change it without breaking the signature.
    expect(note.at).toBe('2026-11-23T09:10:00.000Z');
    expect(merged(a.services, incident.id)).toEqual(merged(b.services, onB));
  });

  it('catches up 10,000 entries written while offline', async () => {
    const { a, b } = await pair();
    const incident = a.services.incidents.create({ title: 'Backlog', severity: 'low' });
    const uid = await a.services.team.share(incident.id);
    a.services.timeline.appendMany(Array.from({ length: 9_999 }, (_, i) => ({ incidentId: incident.id, kind: 'note', data: { text: `n${i}` } })));
    await a.services.devices.ready();
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    const onB = b.services.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)!.id;
    expect(b.services.timeline.list(onB)).toHaveLength(10_000);
    expect(b.services.devices.verify(onB)).toMatchObject({ ok: true, entriesChecked: 10_000 });
  }, 120_000);
});

run('firebreak team (CLI)', () => {
  let redis: RedisHandle;
  const harness = useCliHarness();
  const { cli } = harness;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });

  it('joins, shares, reports status and refuses bad input with a clear message', async () => {
    const bad = await cli('team', 'join', 'http://127.0.0.1:1', '--team', 'x');
    expect(bad.code).not.toBe(0);
    expect(harness.errors.join('\n')).toMatch(/must start with redis:\/\/, rediss:\/\/ or redis\+sentinel:\/\//);
    const joined = await cli('team', 'join', `redis://127.0.0.1:${redis.port}`, '--team', 'cli');
    expect(joined).toMatchObject({ code: 0, out: expect.stringMatching(/as its first device .*trusted by itself/) });
    await cli('incident', 'new', '--title', 'API down', '--severity', 'high');
    const shared = await cli('team', 'share', '1');
    expect(shared.out).toMatch(/^Shared INC-0001 · [0-9a-f]{8} .*Pushed 1 entries\.$/);
    const status = JSON.parse((await cli('team', 'status', '--json')).out) as Record<string, unknown>;
    expect(status).toMatchObject({ joined: true, team: 'cli', connected: true, shared: 1, unpushed: 0, behind: 0, quarantined: 0 });
    expect((await cli('timeline', 'verify')).code).toBe(0);
  });
});
