import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ANCHORS_FILE, TimelineAnchors } from '../../../electron/services/anchors';
import { MemorySecretStore } from '../../../electron/services/probes/secret-store';
import { TimelineService } from '../../../electron/services/timeline';
import { DATABASE_FILE } from '../../../electron/services/db/open';
import { useCliHarness } from '../cli/support';
import { createFixture } from './fixtures';

// Issue 18: with the triggers dropped, a truncated timeline still chained and verified as
// intact. The anchors outside the database name what is missing.

describe('timeline verify against the anchors', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  /** Two incidents: INC-0001 with 6 entries, INC-0002 with 2. */
  async function seed(): Promise<void> {
    await cli('incident', 'new', '--title', 'API down', '--severity', 'high');
    for (const n of [2, 3, 4, 5, 6]) await cli('note', '1', `note ${n}`);
    await cli('incident', 'new', '--title', 'Disk full', '--severity', 'low');
    await cli('note', '2', 'rotated logs');
    const ok = await cli('timeline', 'verify');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/Timeline intact: 8 entries in 2 incident chains verified\.\nAnchors: 2 anchored chains compared\./);
  }

  /** What an attacker with the database file does: drop the triggers, then delete. */
  function tamper(sql: string): void {
    const db = new Database(path.join(harness.home, DATABASE_FILE));
    db.exec('DROP TRIGGER IF EXISTS timeline_no_delete; DROP TRIGGER IF EXISTS timeline_no_update;');
    db.pragma('foreign_keys = OFF');
    db.exec(sql);
    db.close();
  }

  it('names the deleted last entry of an incident', async () => {
    await seed();
    tamper('DELETE FROM timeline WHERE incident_id = 1 AND seq = 6');
    const bad = await cli('timeline', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/TAMPERED[\s\S]*INC-0001 from entry #6: entry #6 is missing: the chain ends at #5 but #6 \([0-9a-f]{12}…\) was anchored at /);
    expect((await cli('timeline', 'verify', '1')).code).toBe(1);
    expect((await cli('timeline', 'verify', '2')).code).toBe(0);
  });

  it('names the deleted last entry even after a new note took its place', async () => {
    await seed();
    tamper('DELETE FROM timeline WHERE incident_id = 1 AND seq = 6');
    expect((await cli('note', '1', 'a new sixth entry')).code).toBe(0);
    const bad = await cli('timeline', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/INC-0001 entry #6 \(id \d+\): entry #6 is not the one anchored at .*: the chain was cut and written again/);
  });

  it('names every entry deleted after #3', async () => {
    await seed();
    tamper('DELETE FROM timeline WHERE incident_id = 1 AND seq > 3');
    const bad = await cli('timeline', 'verify', '1');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/INC-0001 from entry #4: entries #4–#6 are missing: the chain ends at #3/);
  });

  it('names a whole incident deleted, with its entries only or with its incident row too', async () => {
    await seed();
    tamper('DELETE FROM timeline WHERE incident_id = 2');
    let bad = await cli('timeline', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/INC-0002 from entry #1: all 2 entries are missing: #2 \([0-9a-f]{12}…\) was anchored at/);
    expect(bad.out).not.toMatch(/incident record/);

    tamper('DELETE FROM incidents WHERE id = 2');
    bad = await cli('timeline', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/all 2 entries are missing and so is its incident record/);
    expect(bad.out).toMatch(/incidents are missing: 2 \(up to INC-0002\) were anchored at .*, 1 \(up to INC-0001\) found/);
  });

  it('refuses anchors edited by hand (their MAC no longer matches)', async () => {
    await seed();
    const file = path.join(harness.home, ANCHORS_FILE);
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const last = JSON.parse(lines.at(-1)!) as { seq: number };
    lines[lines.length - 1] = JSON.stringify({ ...last, seq: last.seq - 1 });
    fs.writeFileSync(file, `${lines.join('\n')}\n`);
    const bad = await cli('timeline', 'verify');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(new RegExp(`${ANCHORS_FILE} line ${lines.length} does not match its MAC`));
  });

  it('prints every chain head with --heads', async () => {
    await seed();
    expect((await cli('timeline', 'verify', '--heads')).out).toMatch(/Chain heads:\n {2}INC-0001 #6 [0-9a-f]{64}\n {2}INC-0002 #2 [0-9a-f]{64}$/);
  });
});

describe('anchors file compaction', () => {
  it('stays near the heads of the chains, keeps proof of a rewrite, and still detects truncation', async () => {
    const f = createFixture();
    const dir = path.join(f.home, 'small');
    try {
      const anchors = new TimelineAnchors({ home: dir, db: f.services.db, clock: f.clock, secrets: new MemorySecretStore(), compactBytes: 4096 });
      await anchors.ready();
      const timeline = new TimelineService(f.services.db, f.clock, { actor: 'a', host: 'h' }, undefined, anchors);
      const { id } = f.services.incidents.create({ title: 'Long', severity: 'low' });
      const other = f.services.incidents.create({ title: 'Other', severity: 'low' }).id;
      timeline.append({ incidentId: other, kind: 'note', data: { text: 'x' } });
      for (let i = 0; i < 100; i++) timeline.append({ incidentId: id, kind: 'note', data: { text: `n${i}` } });
      const file = path.join(dir, ANCHORS_FILE);
      expect(fs.statSync(file).size).toBeLessThan(4096 + 512);
      expect(timeline.verify()).toMatchObject({ ok: true, entriesChecked: 103 });

      // Cut the chain and write it again: the conflicting anchors survive later compactions.
      const db = new Database(path.join(f.home, DATABASE_FILE));
      db.exec('DROP TRIGGER timeline_no_delete');
      db.prepare('DELETE FROM timeline WHERE incident_id = ? AND seq > 95').run(id);
      db.close();
      expect(timeline.verify(id).failures[0]!.reason).toMatch(/entries #96–#101 are missing/);
      for (let i = 0; i < 60; i++) timeline.append({ incidentId: id, kind: 'note', data: { text: `again ${i}` } });
      const result = timeline.verify();
      expect(result.ok).toBe(false);
      expect(result.failures.map((x) => x.reason)).toEqual([expect.stringMatching(/entry #(9[6-9]|10[01]) is not the one anchored at .*: the chain was cut and written again/)]);
      expect(fs.statSync(file).size).toBeLessThan(4096 + 512);
    } finally {
      f.cleanup();
    }
  });
});
