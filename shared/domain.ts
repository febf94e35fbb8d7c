import type { IncidentStatus } from './lifecycle';
import type { Severity } from './severity';

export type IsoTime = string;

export interface Incident {
  readonly id: number;
  readonly title: string;
  readonly severity: Severity;
  readonly status: IncidentStatus;
  readonly summary: string;
  readonly impact: string;
  readonly responder: string;
  readonly services: readonly string[];
  readonly tags: readonly string[];
  readonly detectedAt: IsoTime;
  readonly acknowledgedAt: IsoTime | null;
  readonly investigatingAt: IsoTime | null;
  readonly mitigatedAt: IsoTime | null;
  readonly resolvedAt: IsoTime | null;
  readonly closedAt: IsoTime | null;
  readonly createdAt: IsoTime;
  readonly updatedAt: IsoTime;
  /** The incident's global UUID while it is shared with a team (docs/team.md); absent or null when it is not. */
  readonly sharedUid?: string | null;
}

export interface SlaPause {
  readonly id: number;
  readonly startedAt: IsoTime;
  readonly endedAt: IsoTime | null;
  readonly reason: string;
}

/** An incident with what the UI needs to draw its SLA clocks without another round trip. */
export interface IncidentView extends Incident {
  readonly pauses: readonly SlaPause[];
  readonly timelineCount: number;
}

export interface TimelineEntry {
  /** Global, strictly increasing order of appends. */
  readonly id: number;
  readonly incidentId: number;
  /** 1-based position in the incident's own hash chain. */
  readonly seq: number;
  readonly at: IsoTime;
  readonly actor: string;
  readonly host: string;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
  /** The entry this one corrects, if it is a correction. */
  readonly corrects: number | null;
  readonly prevHash: string;
  readonly hash: string;
}

export interface ChainFailure {
  readonly incidentId: number;
  readonly entryId: number;
  readonly seq: number;
  readonly reason: string;
}

/** The last entry of one incident's chain: what reports, bags and backups print to anchor it. */
export interface ChainHead {
  readonly incidentId: number;
  readonly seq: number;
  readonly hash: string;
}

export interface ChainVerification {
  readonly ok: boolean;
  readonly incidentsChecked: number;
  readonly entriesChecked: number;
  /**
   * The first entry that does not match, per broken incident chain; and what the anchors
   * (docs/integrity.md) name as missing: entries after the head, whole incidents
   * (`entryId` 0 when the entry no longer exists).
   */
  readonly failures: readonly ChainFailure[];
  /** The head of every chain checked, as found. */
  readonly heads?: readonly ChainHead[];
  /** How the heads compared with the anchors kept outside the database: checked, or why not. */
  readonly anchors?: { readonly checked: boolean; readonly note: string };
}

/** Progress of a long verification, for the CLI's stderr and the UI. */
export interface ChainVerifyProgress {
  readonly entriesChecked: number;
  readonly entriesTotal: number;
}

export interface AppInfo {
  readonly version: string;
  readonly home: string;
  readonly databasePath: string;
  readonly user: string;
  readonly host: string;
  readonly platform: string;
  readonly transport: 'ipc' | 'websocket';
}

export type ErrorCode = 'invalid_input' | 'not_found' | 'conflict' | 'forbidden' | 'unknown_channel' | 'internal';

export interface ApiErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
}

export type Result<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ApiErrorBody };
