import type { ArtifactRecord, ArtifactStatus } from './evidence';

// Paging of one incident's evidence artifacts for the Evidence tab (issue 19): 10,000
// artifacts never cross the contract at once. No zod here (the renderer imports this);
// the input schema is in shared/channels/evidence.ts.

export const ARTIFACT_PAGE_MAX = 500;

export interface ArtifactFilter {
  /** Case-insensitive part of the name or source path, or the start of the SHA-256. */
  readonly text?: string | undefined;
  /** An ArtifactStatus; another word matches nothing. */
  readonly status?: string | undefined;
  readonly collector?: string | undefined;
  /** Retracted artifacts are hidden unless this is set (then listed, struck through, with the reason). */
  readonly includeRetracted?: boolean | undefined;
}

export interface ArtifactPage {
  /** Newest first: artifacts with an id below the cursor that match, after `skip`. */
  readonly artifacts: readonly ArtifactRecord[];
  /** How many artifacts below the cursor match. */
  readonly matched: number;
  /** The incident's newest artifact id when read (0 for none): a fresh list's cursor is headId + 1. */
  readonly headId: number;
  /** Every artifact of the incident, whatever the filter. */
  readonly total: number;
  /** How many of them are retracted (the "show retracted" box says so). */
  readonly retracted: number;
  /** What the filter box offers, when asked for (`facets: true`). */
  readonly facets?: { readonly statuses: readonly ArtifactStatus[]; readonly collectors: readonly string[] };
}
