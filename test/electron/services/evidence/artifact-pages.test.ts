import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../fixtures';

describe('ArtifactPages', () => {
  let f: Fixture;
  let incidentId: number;
  beforeEach(() => {
    f = createFixture();
    incidentId = f.services.incidents.create({ title: 'Disk full', severity: 'high' }).id;
  });
  afterEach(() => f.cleanup());

  /** Custody rows as a collection writes them: every 5th unreadable, every 3rd from the snapshot collector. */
  const seed = (from: number, count: number) => {
    const db = f.services.db;
    const at = '2026-11-23T09:00:00.000Z';
    const collection = db
      .prepare(`INSERT INTO evidence_collections (incident_id, collector, status, started_at, actor, host, pid) VALUES (?, 'files', 'complete', ?, 'alice', 'laptop-1', 1)`)
      .run(incidentId, at).lastInsertRowid;
    const insert = db.prepare(
      `INSERT INTO evidence_artifacts (incident_id, collection_id, name, kind, status, sha256, size, source_path, collector, host, os_user, collected_at)
       VALUES (?, ?, ?, 'file', ?, ?, 10, ?, ?, 'laptop-1', 'alice', ?)`,
    );
    db.transaction(() => {
      for (let i = from; i < from + count; i++) {
        insert.run(incidentId, collection, `files/log_${i}.txt`, i % 5 === 0 ? 'unreadable' : 'ok', i.toString(16).padEnd(64, '0'), `/var/log/log_${i}.txt`, i % 3 === 0 ? 'snapshot' : 'files', at);
      }
    })();
  };
  const names = (p: { artifacts: readonly { name: string }[] }) => p.artifacts.map((a) => a.name);
  const pages = () => f.services.artifactPages;

  it('gives the newest artifacts first and keeps each page while a collection adds more', () => {
    seed(1, 1000);
    const first = pages().page({ incidentId, limit: 3, facets: true });
    expect(names(first)).toEqual(['files/log_1000.txt', 'files/log_999.txt', 'files/log_998.txt']);
    expect(first).toMatchObject({ matched: 1000, total: 1000, facets: { statuses: ['ok', 'unreadable'], collectors: ['files', 'snapshot'] } });
    const cursor = first.headId + 1;
    const deep = pages().page({ incidentId, limit: 3, beforeId: cursor, skip: 997 });
    expect(names(deep)).toEqual(['files/log_3.txt', 'files/log_2.txt', 'files/log_1.txt']);
    const filtered = pages().page({ incidentId, limit: 5, beforeId: cursor, skip: 10, filter: { status: 'unreadable' } });

    seed(1001, 500);

    expect(pages().page({ incidentId, limit: 3, beforeId: cursor, skip: 997 }).artifacts).toEqual(deep.artifacts);
    const again = pages().page({ incidentId, limit: 5, beforeId: cursor, skip: 10, filter: { status: 'unreadable' } });
    expect([again.artifacts, again.matched]).toEqual([filtered.artifacts, filtered.matched]);
    expect(pages().page({ incidentId, limit: 1 })).toMatchObject({ matched: 1500, total: 1500, artifacts: [{ name: 'files/log_1500.txt' }] });
  });

  it('filters by name or path, hash prefix, status and collector', () => {
    seed(1, 100);
    expect(names(pages().page({ incidentId, limit: 10, filter: { text: 'LOG_42' } }))).toEqual(['files/log_42.txt']);
    expect(pages().page({ incidentId, limit: 10, filter: { text: '/var/log/log_1' } }).matched).toBe(12);
    expect(names(pages().page({ incidentId, limit: 10, filter: { text: (42).toString(16).padEnd(20, '0').toUpperCase() } }))).toEqual(['files/log_42.txt']);
    expect(pages().page({ incidentId, limit: 10, filter: { text: '_' } }).matched).toBe(100); // literal, not a wildcard
    const both = pages().page({ incidentId, limit: 100, filter: { status: 'unreadable', collector: 'snapshot' } });
    expect(names(both)).toEqual(['files/log_90.txt', 'files/log_75.txt', 'files/log_60.txt', 'files/log_45.txt', 'files/log_30.txt', 'files/log_15.txt']);
  });
});
