import type { TimelineEntry } from './domain';

// Paging of one incident's timeline (issue 19). A long incident never crosses the contract
// whole: the renderer asks for the rows it shows, newest first, and gets appended entries
// pushed as `timeline.appended` events. No zod here: the renderer imports this module;
// the input schema is in shared/channels/incidents.ts.

/** Most rows one call returns; a screen shows ~20, a page fetched ahead ~200. */
export const TIMELINE_PAGE_MAX = 500;

/** What the filter box narrows the timeline to; every part is optional and they combine (AND). */
export interface TimelineFilter {
  /** Case-insensitive substring of the entry's content (its data), kind, actor or host. */
  readonly text?: string | undefined;
  readonly kind?: string | undefined;
  readonly actor?: string | undefined;
  readonly host?: string | undefined;
}

export interface TimelinePage {
  /** Newest first: the entries below the cursor that match, after `skip`. */
  readonly entries: readonly TimelineEntry[];
  /** How many entries below the cursor match the filter (the list's length at this cursor). */
  readonly matched: number;
  /** The incident's newest seq when the page was read (0 for none): the cursor for a fresh list is headSeq + 1. */
  readonly headSeq: number;
  /** For each entry of the page that was corrected: the seqs of its corrections. */
  readonly correctedBy: Readonly<Record<number, readonly number[]>>;
}

/** What the filter box offers: the kinds, actors and hosts that occur in this incident. */
export interface TimelineFacets {
  readonly kinds: readonly string[];
  readonly actors: readonly string[];
  readonly hosts: readonly string[];
}

export function isEmptyFilter(filter: TimelineFilter | undefined): boolean {
  return !filter || (!filter.text?.trim() && !filter.kind && !filter.actor && !filter.host);
}

/**
 * The same test the service makes in SQL, for entries pushed to a filtered list.
 * (SQLite's LIKE folds ASCII case only; entries whose non-ASCII letters differ in case
 * may match here and not there, which only matters for a pushed entry.)
 */
export function matchesTimelineFilter(entry: TimelineEntry, filter: TimelineFilter | undefined): boolean {
  if (!filter) return true;
  if (filter.kind && entry.kind !== filter.kind) return false;
  if (filter.actor && entry.actor !== filter.actor) return false;
  if (filter.host && entry.host !== filter.host) return false;
  const text = filter.text?.trim().toLowerCase();
  if (!text) return true;
  return [JSON.stringify(entry.data), entry.kind, entry.actor, entry.host].some((s) => s.toLowerCase().includes(text));
}
