import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../electron/dispatch';
import { CORRECTIONS_OF_PAGE_SQL } from '../../../electron/services/timeline-pages';
import { createHandlers } from '../../../electron/handlers';
import type { AppendRequest } from '../../../electron/services/timeline';
import { matchesTimelineFilter } from '../../../shared/timeline-page';
import { createFixture, type Fixture } from './fixtures';

describe('TimelinePages', () => {
  let f: Fixture;
  let incidentId: number;
  beforeEach(() => {
    f = createFixture();
    incidentId = f.services.incidents.create({ title: 'Checkout down', severity: 'high' }).id;
  });
  afterEach(() => f.cleanup());

  /** Entries 2..n+1 after incident.created: every 10th an alert, every 7th a note mentioning redis. */
  const seed = (n: number) => {
    const requests: AppendRequest[] = [];
    for (let i = 0; i < n; i++) {
      const seq = i + 2;
      requests.push(
        seq % 10 === 0
          ? { incidentId, kind: 'alert.raised', data: { subject: 'cpu', to: 'warning', value: seq } }
          : seq % 7 === 0
            ? { incidentId, kind: 'note', data: { text: `Redis_${seq} restarted` } }
            : { incidentId, kind: 'command.finished', data: { command: `uptime #${seq}` } },
      );
    }
    f.services.timeline.appendMany(requests);
  };
  const pages = () => f.services.timelinePages;
  const seqs = (entries: readonly { seq: number }[]) => entries.map((e) => e.seq);

  it('gives the newest page first and the older ones from a seq cursor', () => {
    seed(999);
    const first = pages().page({ incidentId, limit: 5 });
    expect(first.headSeq).toBe(1000);
    expect(first.matched).toBe(1000);
    expect(seqs(first.entries)).toEqual([1000, 999, 998, 997, 996]);
    const second = pages().page({ incidentId, limit: 5, beforeSeq: first.entries.at(-1)!.seq });
    expect(seqs(second.entries)).toEqual([995, 994, 993, 992, 991]);
    // The oldest page in one jump, without reading what lies between.
    const oldest = pages().page({ incidentId, limit: 5, beforeSeq: 1001, skip: 997 });
    expect(seqs(oldest.entries)).toEqual([3, 2, 1]);
    expect(oldest.entries.at(-1)!.kind).toBe('incident.created');
  });

  it('keeps every page the same while entries are appended (cursor by seq, not offset)', () => {
    seed(199);
    const cursor = pages().page({ incidentId, limit: 20 }).headSeq + 1;
    const before = [0, 20, 40, 180].map((skip) => pages().page({ incidentId, limit: 20, beforeSeq: cursor, skip }));
    const filteredBefore = pages().page({ incidentId, limit: 5, beforeSeq: cursor, skip: 3, filter: { kind: 'note' } });

    seed(50); // another responder, an alert burst: appended above the cursor
    f.services.incidents.addNote(incidentId, 'Redis_x is back');

    const after = [0, 20, 40, 180].map((skip) => pages().page({ incidentId, limit: 20, beforeSeq: cursor, skip }));
    expect(after.map((p) => seqs(p.entries))).toEqual(before.map((p) => seqs(p.entries)));
    expect(after.map((p) => p.matched)).toEqual(before.map((p) => p.matched));
    expect(after[0]!.headSeq).toBe(251);
    const filteredAfter = pages().page({ incidentId, limit: 5, beforeSeq: cursor, skip: 3, filter: { kind: 'note' } });
    expect(filteredAfter.entries).toEqual(filteredBefore.entries);
    expect(filteredAfter.matched).toBe(filteredBefore.matched);

    // A fresh list (no cursor) starts at the new head and sees the appended entries.
    const fresh = pages().page({ incidentId, limit: 2 });
    expect(seqs(fresh.entries)).toEqual([251, 250]);
    expect(fresh.entries[0]!.data).toEqual({ text: 'Redis_x is back' });
  });

  it('filters by kind, actor, host and text, the same way for stored and pushed entries', () => {
    seed(99);
    const other = f.reopen(); // bob@laptop-2
    other.incidents.addNote(incidentId, 'From the second laptop: 50% packet loss');

    const notes = pages().page({ incidentId, limit: 500, filter: { kind: 'note' } });
    expect(notes.entries.every((e) => e.kind === 'note')).toBe(true);
    expect(notes.matched).toBe(notes.entries.length);
    expect(notes.matched).toBe(1 + [...Array(99).keys()].map((i) => i + 2).filter((s) => s % 7 === 0 && s % 10 !== 0).length);

    const bob = pages().page({ incidentId, limit: 10, filter: { actor: 'bob', host: 'laptop-2' } });
    expect(bob.entries.map((e) => e.data.text)).toEqual(['From the second laptop: 50% packet loss']);

    // Text is case-insensitive and literal: % and _ are not wildcards.
    const redis = pages().page({ incidentId, limit: 500, filter: { text: 'REDIS_' } });
    expect(redis.matched).toBeGreaterThan(0);
    expect(redis.entries.every((e) => String(e.data.text).includes('Redis_'))).toBe(true);
    expect(pages().page({ incidentId, limit: 5, filter: { text: '50%' } }).matched).toBe(1);
    expect(pages().page({ incidentId, limit: 5, filter: { text: '5_%' } }).matched).toBe(0);

    // The renderer's test for pushed entries agrees with the SQL on every entry.
    const all = f.services.timeline.list(incidentId);
    for (const filter of [{ kind: 'note' }, { text: 'redis_' }, { text: '50%' }, { actor: 'bob' }, { text: 'alert', kind: 'alert.raised' }]) {
      const stored = pages().page({ incidentId, limit: 500, filter });
      expect(seqs(stored.entries), JSON.stringify(filter)).toEqual(seqs(all.filter((e) => matchesTimelineFilter(e, filter)).reverse()));
    }
  });

  it('names the corrections of the entries on a page, and the facets of the incident', () => {
    seed(9);
    const note = f.services.incidents.addNote(incidentId, 'redis-1 restarted');
    f.services.incidents.correct(incidentId, note.id, 'it was redis-2');
    f.services.incidents.correct(incidentId, note.id, 'and redis-3');
    const page = pages().page({ incidentId, limit: 3 });
    expect(page.correctedBy).toEqual({ [note.id]: [12, 13] });
    expect(pages().facets(incidentId)).toEqual({
      kinds: ['alert.raised', 'command.finished', 'correction', 'incident.created', 'note'],
      actors: ['alice'],
      hosts: ['laptop-1'],
    });
  });

  it('finds a page\'s corrections through the (incident_id, kind) index, not by reading the whole chain', () => {
    const plan = f.services.db
      .prepare<[number, string], { detail: string }>(`EXPLAIN QUERY PLAN ${CORRECTIONS_OF_PAGE_SQL}`)
      .all(incidentId, '[1]')
      .map((r) => r.detail)
      .join(' | ');
    expect(plan).toContain('USING INDEX timeline_kind (incident_id=? AND kind=?)');
  });

  it('answers bad requests through the contract with the field named', async () => {
    const dispatch = createDispatch(createHandlers(f.services, 'websocket'));
    const tooMany = await dispatch('timeline.page', { incidentId, limit: 50_000 });
    expect(tooMany).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(tooMany.ok ? '' : tooMany.error.message).toContain('limit');
    const missing = await dispatch('timeline.page', { incidentId: 99, limit: 10 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const ok = await dispatch('timeline.page', { incidentId, limit: 1 });
    expect(ok).toMatchObject({ ok: true, value: { headSeq: 1, matched: 1 } });
  });
});
