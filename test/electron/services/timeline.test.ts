import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../electron/services/db/open';
import { GENESIS_HASH, entryHash, entryHashWithData } from '../../../electron/services/timeline';
import { canonicalJson } from '../../../electron/services/canonical-json';
import { createFixture, type Fixture } from './fixtures';

describe('TimelineService', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.cleanup());

  const newIncident = () => f.services.incidents.create({ title: 'DB down', severity: 'critical' });

  it('chains every entry to the one before it', () => {
    const incident = newIncident();
    f.clock.advance(1000);
    f.services.incidents.addNote(incident.id, 'first');
    f.clock.advance(1000);
    f.services.incidents.addNote(incident.id, 'second');
    const entries = f.services.timeline.list(incident.id);
    expect(entries.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(entries[0]!.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < entries.length; i++) expect(entries[i]!.prevHash).toBe(entries[i - 1]!.hash);
    const { id: _id, prevHash, hash, ...body } = entries[2]!;
    expect(entryHash(prevHash, body)).toBe(hash);
    expect(entries[1]).toMatchObject({ actor: 'alice', host: 'laptop-1', at: '2026-11-23T09:00:01.000Z', kind: 'note' });
  });

  it('iterates the entries of one incident and the asked kinds only, in chain order', () => {
    const incident = newIncident();
    const other = newIncident();
    f.services.incidents.addNote(incident.id, 'first');
    f.services.incidents.addNote(other.id, 'elsewhere');
    f.services.timeline.append({ incidentId: incident.id, kind: 'risk.linked', data: { risk: 'R1' } });
    f.services.incidents.addNote(incident.id, 'second');
    const picked = [...f.services.timeline.iterateKinds(incident.id, ['note', 'risk.linked'])];
    expect(picked.map((e) => [e.seq, e.kind])).toEqual([[2, 'note'], [3, 'risk.linked'], [4, 'note']]);
    expect(picked.every((e) => e.incidentId === incident.id)).toBe(true);
    expect([...f.services.timeline.iterateKinds(incident.id, [])]).toEqual([]);
  });

  it('hashes an entry the same way when the check already has its canonical data', () => {
    const strings = ['', 'alice', 'ノート "quoted" \\ back\nslash', '\u2028 line sep', '😀 emoji', 'laptop-1'];
    const datas = [{}, { text: 'x' }, { b: 1, a: [3, { z: null, y: 'ü' }], c: { '': true } }, { n: -0.5, big: 1e21, unicode: '\u0000' }];
    let n = 0;
    for (const actor of strings.slice(0, 3))
      for (const host of strings.slice(2))
        for (const data of datas)
          for (const corrects of [null, 7, undefined]) {
            const entry = { incidentId: 3, seq: 41 + n, at: '2026-11-23T09:00:01.000Z', actor, host, kind: n % 2 ? 'note' : 'evidence.collected', data, corrects } as Parameters<typeof entryHash>[1];
            const { data: d, ...body } = entry;
            expect(entryHashWithData('ab'.repeat(32), body, canonicalJson(d)), JSON.stringify(entry)).toBe(entryHash('ab'.repeat(32), entry));
            n++;
          }
    expect(n).toBe(3 * 4 * 4 * 3);
  });

  it('keeps times from running backwards when the wall clock does', () => {
    const incident = newIncident();
    f.clock.advance(-60_000);
    const entry = f.services.incidents.addNote(incident.id, 'clock jumped back');
    expect(entry.at).toBe(incident.detectedAt);
    expect(entry.seq).toBe(2);
  });

  it('refuses UPDATE and DELETE through SQL', () => {
    const incident = newIncident();
    expect(() => f.services.db.prepare("UPDATE timeline SET data = '{}' WHERE incident_id = ?").run(incident.id)).toThrow(/append-only/);
    expect(() => f.services.db.prepare('DELETE FROM timeline WHERE incident_id = ?').run(incident.id)).toThrow(/append-only/);
  });

  it('verifies an intact log', () => {
    const a = newIncident();
    const b = newIncident();
    f.services.incidents.addNote(a.id, 'a note');
    f.services.incidents.addNote(b.id, 'b note');
    expect(f.services.timeline.verify()).toMatchObject({ ok: true, incidentsChecked: 2, entriesChecked: 4, failures: [] });
    expect(f.services.timeline.verify(a.id)).toMatchObject({ ok: true, entriesChecked: 2 });
  });

  it('names the first entry whose bytes were changed directly in the database file', () => {
    const incident = newIncident();
    f.services.incidents.addNote(incident.id, 'restarted the primary at 09:14');
    f.services.incidents.addNote(incident.id, 'later note');
    f.services.close();

    // Flip one byte of the note inside the file itself, bypassing SQLite and its triggers.
    const file = path.join(f.home, DATABASE_FILE);
    expect(fs.existsSync(`${file}-wal`) && fs.statSync(`${file}-wal`).size > 0).toBe(false);
    const bytes = fs.readFileSync(file);
    const at = bytes.indexOf(Buffer.from('09:14'));
    expect(at).toBeGreaterThan(0);
    bytes[at + 4] = '5'.charCodeAt(0);
    fs.writeFileSync(file, bytes);

    const reopened = f.reopen();
    const result = reopened.timeline.verify();
    expect(result.ok).toBe(false);
    expect(result.failures).toHaveLength(1);
    expect(result.failures[0]).toMatchObject({ incidentId: incident.id, seq: 2 });
    expect(result.failures[0]!.reason).toMatch(/changed after it was written/);
  });

  it('detects an entry removed behind the triggers’ back', () => {
    const incident = newIncident();
    f.services.incidents.addNote(incident.id, 'one');
    f.services.incidents.addNote(incident.id, 'two');
    f.services.close();
    const db = new Database(path.join(f.home, DATABASE_FILE));
    db.exec('DROP TRIGGER timeline_no_delete');
    db.prepare('DELETE FROM timeline WHERE seq = 2').run();
    db.close();
    const result = f.reopen().timeline.verify(incident.id);
    expect(result.ok).toBe(false);
    expect(result.failures[0]).toMatchObject({ seq: 3, reason: expect.stringMatching(/sequence gap/) });
  });

  it('reads and verifies in one pass: every readable entry is given, and the verification names what was changed', () => {
    const incident = newIncident();
    f.services.timeline.appendMany(Array.from({ length: 12_000 }, (_, n) => ({ incidentId: incident.id, kind: 'note', data: { text: `note ${n}` } })));
    const intact = f.services.timeline.readVerified(incident.id);
    expect(() => intact.verification()).toThrow(/read every entry/);
    const seqs = [...intact.entries].map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: 12_001 }, (_, i) => i + 1));
    expect(intact.verification()).toMatchObject({ ok: true, entriesChecked: 12_001 });
    f.services.close();
    const db = new Database(path.join(f.home, DATABASE_FILE));
    db.exec('DROP TRIGGER timeline_no_update');
    db.prepare(`UPDATE timeline SET data = '{"text":"rewritten"}' WHERE seq = 7000`).run();
    db.prepare(`UPDATE timeline SET data = 'not json' WHERE seq = 9000`).run();
    db.close();
    const tampered = f.reopen().timeline.readVerified(incident.id);
    const entries = [...tampered.entries];
    // The unreadable row is left out; the changed one is still shown, and the chain says where it broke.
    expect(entries).toHaveLength(12_000);
    expect(entries.find((e) => e.seq === 7000)?.data.text).toBe('rewritten');
    expect(tampered.verification().ok).toBe(false);
    expect(tampered.verification().failures[0]).toMatchObject({ seq: 7000, reason: expect.stringMatching(/changed after it was written/) });
  });

  it('appends a batch in one transaction with a continuous chain', () => {
    const incident = newIncident();
    const entries = f.services.timeline.appendMany(
      Array.from({ length: 500 }, (_, i) => ({ incidentId: incident.id, kind: 'alert.raised', data: { i } })),
    );
    expect(entries.at(-1)!.seq).toBe(501);
    expect(f.services.timeline.verify(incident.id).ok).toBe(true);
  });

  it('stays a single chain when two processes append at once', () => {
    const incident = newIncident();
    const other = f.reopen();
    for (let i = 0; i < 20; i++) {
      f.services.incidents.addNote(incident.id, `app ${i}`);
      other.incidents.addNote(incident.id, `cli ${i}`);
    }
    const entries = f.services.timeline.list(incident.id);
    expect(entries).toHaveLength(41);
    expect(new Set(entries.map((e) => e.actor))).toEqual(new Set(['alice', 'bob']));
    expect(other.timeline.verify().ok).toBe(true);
  });
});
