import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../shared/domain';
import { KEEP_PAGES, TIMELINE_PAGE, timelineEntryAt, withTimelinePage, type TimelineView } from '../../../renderer/src/store/timeline-slice';

// A 100,000-entry snapshot (cursor 100,001), newest first: list row r is seq 100,000 − r.
const entry = (seq: number): TimelineEntry =>
  ({ id: seq, incidentId: 1, seq, at: '2026-11-23T09:00:00.000Z', actor: 'a', host: 'h', kind: 'note', data: { text: `n${seq}` }, corrects: null, prevHash: '', hash: '' }) as TimelineEntry;
const pageOf = (page: number) => Array.from({ length: TIMELINE_PAGE }, (_, i) => entry(100_000 - page * TIMELINE_PAGE - i));
const empty: TimelineView = {
  incidentId: 1,
  filter: {},
  generation: 1,
  loaded: true,
  cursor: 100_001,
  olderCount: 100_000,
  pages: {},
  newer: [],
  headSeq: 100_000,
  correctedBy: {},
  facets: { kinds: [], actors: [], hosts: [] },
};

describe('timeline pages arriving while the list scrolls', () => {
  it('leaves the pages already there as they were, so their rows are not drawn again', () => {
    const before = withTimelinePage(withTimelinePage(empty, 0, { entries: pageOf(0), correctedBy: {} }), 1, { entries: pageOf(1), correctedBy: {} });
    const after = withTimelinePage(before, 2, { entries: pageOf(2), correctedBy: {} });
    expect(after.pages[0]).toBe(before.pages[0]);
    expect(after.pages[1]).toBe(before.pages[1]);
    expect(after.correctedBy).toBe(before.correctedBy);
    expect(timelineEntryAt(after, 2 * TIMELINE_PAGE + 5)?.seq).toBe(100_000 - 2 * TIMELINE_PAGE - 5);
  });

  it('holds a bounded number of pages however far the list is swept', () => {
    let view = empty;
    for (let page = 0; page < 1000; page++) view = withTimelinePage(view, page, { entries: pageOf(page), correctedBy: {} });
    expect(Object.keys(view.pages).length).toBe(KEEP_PAGES + 1);
    expect(view.pages[999 - KEEP_PAGES]).toBeDefined();
    expect(timelineEntryAt(view, 0)).toBeUndefined();
  });

  it('adds the corrections a page names to those already known', () => {
    const first = withTimelinePage(empty, 0, { entries: pageOf(0), correctedBy: { 99_990: [100_001] } });
    const second = withTimelinePage(first, 1, { entries: pageOf(1), correctedBy: { 99_890: [100_002] } });
    expect(second.correctedBy).toEqual({ 99_990: [100_001], 99_890: [100_002] });
  });
});
