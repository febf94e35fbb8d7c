import Database from 'better-sqlite3';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { createServices, type Services } from '../../../../electron/services';
import { DATABASE_FILE } from '../../../../electron/services/db/open';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import { DEVICE_KEY_REF, SIGN_CHUNK } from '../../../../electron/services/team';
import { tempHome } from '../../../support/temp-home';
import { useCliHarness } from '../../cli/support';

// Issue 16 (a): every entry joins its device's signed chain; the per-incident chain, its
// triggers and `timeline verify` stay as they were.

describe('device identity and per-device chains', () => {
  const open: { services: Services; cleanup?: () => void }[] = [];
  afterEach(() => {
    for (const o of open.splice(0)) {
      o.services.close();
      o.cleanup?.();
    }
  });

  function profile(secrets = new MemorySecretStore()) {
    const home = tempHome();
    const clock = new ManualClock(Date.parse('2026-11-23T09:00:00.000Z'));
    const services = createServices({ home: home.dir, clock, identity: { actor: 'alice', host: 'laptop-1' }, secrets });
    open.push({ services, cleanup: home.cleanup });
    return { services, clock, home: home.dir, secrets };
  }

  function newIncident(services: Services, title = 'API down') {
    return services.incidents.create({ title, severity: 'high' });
  }

  it('gives the profile a device id and an Ed25519 key kept in the secret store, once', async () => {
    const { services, secrets, home } = profile();
    await services.devices.ready();
    const self = services.devices.self();
    expect(self.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(self.state).toBe('self');
    expect(self.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(await secrets.get(DEVICE_KEY_REF)).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    // A second process on the same profile finds the same identity.
    const again = createServices({ home, clock: new ManualClock(0), identity: { actor: 'bob', host: 'x' }, secrets });
    open.push({ services: again });
    await again.devices.ready();
    expect(again.devices.self()).toEqual(self);
  });

  it('gives every incident a UUID beside its number', () => {
    const { services } = profile();
    const a = newIncident(services);
    const b = newIncident(services, 'Disk full');
    const uidA = services.devices.incidentUid(a.id);
    expect(uidA).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(services.devices.incidentUid(b.id)).not.toBe(uidA);
  });

  it('signs every entry and chains it per device; entries appended before the key loaded are signed when it arrives', async () => {
    const { services } = profile();
    // Appended synchronously, before the asynchronous key load has finished.
    const incident = newIncident(services);
    services.timeline.append({ incidentId: incident.id, kind: 'note', data: { text: 'first' } });
    await services.devices.ready();
    services.timeline.append({ incidentId: incident.id, kind: 'note', data: { text: 'second' } });
    // Signed off the append path, in the next turn of the event loop.
    await new Promise<void>((resolve) => setImmediate(resolve));
    const rows = services.db
      .prepare<[], { device_seq: number; signature: string | null }>('SELECT device_seq, signature FROM device_entries ORDER BY entry_id')
      .all();
    expect(rows.length).toBe(services.timeline.list(incident.id).length);
    expect(rows.map((r) => r.device_seq)).toEqual(rows.map((_, i) => i + 1));
    expect(rows.every((r) => r.signature !== null)).toBe(true);
    const v = services.devices.verify();
    expect(v).toMatchObject({ ok: true, chainsChecked: 1, entriesChecked: rows.length, legacyEntries: 0 });
    expect(services.timeline.verify().ok).toBe(true);
  });

  it('signs many pending entries in chunks, letting requests through between them', async () => {
    // The key arrives only when the test says so, after 2,600 entries were appended unsigned.
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    class GatedSecretStore extends MemorySecretStore {
      override async get(ref: string): Promise<string | null> {
        await gate;
        return super.get(ref);
      }
    }
    const { services } = profile(new GatedSecretStore());
    const incident = newIncident(services);
    const total = 2_600;
    services.db.transaction(() => {
      for (let i = 1; i < total; i++) services.timeline.append({ incidentId: incident.id, kind: 'note', data: { text: `note ${i}` } });
    })();
    const unsigned = services.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM device_entries WHERE signature IS NULL');
    expect(unsigned.get()!.n).toBe(total);

    // A request on every turn of the event loop until signing is done: what each one saw.
    const seen: number[] = [];
    let done = false;
    const ready = services.devices.ready().then(() => (done = true));
    const poll = async () => {
      while (!done) {
        expect(services.incidents.get(incident.id).id).toBe(incident.id);
        seen.push(unsigned.get()!.n);
        await new Promise<void>((resolve) => setImmediate(resolve));
      }
    };
    release();
    await Promise.all([ready, poll()]);

    expect(unsigned.get()!.n).toBe(0);
    expect(services.devices.signedChunks).toBe(Math.ceil(total / SIGN_CHUNK));
    expect(services.devices.signedChunks).toBeGreaterThanOrEqual(3);
    // Requests ran while some entries were signed and others not, at every step between chunks.
    const between = [...new Set(seen.filter((n) => n > 0 && n < total))];
    expect(between.length).toBeGreaterThanOrEqual(Math.ceil(total / SIGN_CHUNK) - 1);
    expect(between.length).toBeGreaterThanOrEqual(2);
    expect(between.every((n) => (total - n) % SIGN_CHUNK === 0)).toBe(true);
    expect(services.devices.verify()).toMatchObject({ ok: true, entriesChecked: total });
  });

  it('signs appends off the append path, and never gives a rolled-back link\'s signature to the row that reuses its id', async () => {
    const { services } = profile();
    const incident = newIncident(services);
    await services.devices.ready();
    expect(() =>
      services.db.transaction(() => {
        services.timeline.append({ incidentId: incident.id, kind: 'note', data: { text: 'rolled back' } });
        throw new Error('abort');
      })(),
    ).toThrow('abort');
    const kept = services.timeline.append({ incidentId: incident.id, kind: 'note', data: { text: 'kept' } });
    const signature = services.db.prepare<[number], { signature: string | null }>('SELECT signature FROM device_entries WHERE entry_id = ?');
    expect(signature.get(kept.id)!.signature).toBeNull();
    await new Promise<void>((resolve) => setImmediate(resolve));
    expect(signature.get(kept.id)!.signature).not.toBeNull();
    expect(services.devices.verify()).toMatchObject({ ok: true, entriesChecked: 2 });
  });

  it('refuses to change or delete a device chain entry, but lets a missing signature be added once', async () => {
    const { services } = profile();
    const incident = newIncident(services);
    await services.devices.ready();
    const id = services.timeline.list(incident.id)[0]!.id;
    expect(() => services.db.prepare('DELETE FROM device_entries WHERE entry_id = ?').run(id)).toThrow(/append-only/);
    expect(() => services.db.prepare("UPDATE device_entries SET device_hash = 'x' WHERE entry_id = ?").run(id)).toThrow(/append-only/);
    expect(() => services.db.prepare("UPDATE device_entries SET signature = 'x' WHERE entry_id = ?").run(id)).toThrow(/append-only/);
  });
});

describe('timeline verify checks every device chain', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  async function seed(): Promise<void> {
    await cli('incident', 'new', '--title', 'API down', '--severity', 'high');
    for (const n of [2, 3, 4, 5]) await cli('note', '1', `note ${n}`);
    const ok = await cli('timeline', 'verify');
    expect(ok.out).toMatch(/Device chains intact: 5 signed entries in 1 device chains verified\./);
    expect(ok.code).toBe(0);
  }

  /** What an attacker with the database file does: drop the triggers, then edit. */
  function tamper(sql: string): void {
    const db = new Database(path.join(harness.home, DATABASE_FILE));
    db.exec(`DROP TRIGGER IF EXISTS timeline_no_delete; DROP TRIGGER IF EXISTS timeline_no_update;
             DROP TRIGGER IF EXISTS device_entries_no_delete; DROP TRIGGER IF EXISTS device_entries_sign_once;`);
    db.pragma('foreign_keys = OFF');
    db.exec(sql);
    db.close();
  }

  it('names a forged entry: content and both hashes rewritten, but not re-signed', async () => {
    await seed();
    // The attacker recomputes nothing they cannot: without the private key the signature stays the old one.
    const db = new Database(path.join(harness.home, DATABASE_FILE));
    const row = db.prepare<[], { entry_id: number; device_id: string }>('SELECT entry_id, device_id FROM device_entries WHERE device_seq = 3').get()!;
    db.close();
    const { deviceEntryHash } = await import('../../../../electron/services/team');
    const db2 = new Database(path.join(harness.home, DATABASE_FILE));
    const t = db2.prepare<[number], { at: string; actor: string; host: string; kind: string }>('SELECT at, actor, host, kind FROM timeline WHERE id = ?').get(row.entry_id)!;
    const uid = db2.prepare<[], { uid: string }>('SELECT uid FROM incidents WHERE id = 1').get()!.uid;
    const prev = db2.prepare<[number], { device_prev: string }>('SELECT device_prev FROM device_entries WHERE entry_id = ?').get(row.entry_id)!.device_prev;
    db2.close();
    const forged = deviceEntryHash(prev, { incident: uid, device: row.device_id, deviceSeq: 3, at: t.at, actor: t.actor, host: t.host, kind: t.kind, data: { text: 'all fine' }, corrects: null });
    tamper(`UPDATE timeline SET data = '{"text":"all fine"}' WHERE id = ${row.entry_id};
            UPDATE device_entries SET device_hash = '${forged}' WHERE entry_id = ${row.entry_id};`);
    const result = await cli('timeline', 'verify');
    expect(result.code).toBe(1);
    expect(result.out).toContain(`INC-0001 (entry id ${row.entry_id}): forged entry ${row.device_id}:3: the signature is not its device's`);
  });

  it('names a changed entry whose device hash was left alone', async () => {
    await seed();
    tamper(`UPDATE timeline SET data = '{"text":"edited"}' WHERE seq = 4`);
    const result = await cli('timeline', 'verify');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/forged entry [0-9a-f-]+:4: its content does not match the hash its device signed/);
  });

  it('names a gap in a device sequence (entries withheld)', async () => {
    await seed();
    tamper('DELETE FROM device_entries WHERE device_seq IN (2, 3)');
    const result = await cli('timeline', 'verify');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/gap in device [0-9a-f-]+'s chain: entries 2–3 are missing \(withheld or deleted\)/);
    expect(result.out).toMatch(/entry #2 is in no device chain/);
  });

  it('names a broken chain link', async () => {
    await seed();
    tamper(`UPDATE device_entries SET device_prev = '${'f'.repeat(64)}' WHERE device_seq = 5`);
    const result = await cli('timeline', 'verify');
    expect(result.code).toBe(1);
    expect(result.out).toMatch(/broken chain: entry [0-9a-f-]+:5 does not link to the hash of entry 4/);
  });

  it('lists this device with its fingerprint', async () => {
    await seed();
    const status = await cli('team', 'devices', '--json');
    const [self] = JSON.parse(status.out) as { state: string; fingerprint: string }[];
    expect(self).toMatchObject({ state: 'self', fingerprint: expect.stringMatching(/^SHA256:/) });
  });
});
