import type { IncidentView } from './domain';

// Paging of the incident list (issue 19). With thousands of incidents the list never crosses
// the contract whole: the renderer asks for the rows it shows, in the service's urgency order
// (shared/urgency.ts), filtered by the service. No zod here: the renderer imports this module;
// the input schema is in shared/channels/incidents.ts.

/** Most rows one call returns; a screen shows ~15, a page fetched ahead ~100. */
export const INCIDENT_PAGE_MAX = 500;

export interface IncidentPage {
  /** Most urgent first: the matching incidents from `offset`, at most `limit` of them. */
  readonly incidents: readonly IncidentView[];
  readonly offset: number;
  /** How many incidents match the filter (the list's length). */
  readonly matched: number;
  /** How many incidents the profile holds, matching or not. */
  readonly total: number;
}
