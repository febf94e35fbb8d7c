import type { IsoTime } from './domain';
import type { Severity } from './severity';

// Plain data types of reports, metrics and timeline export, shared by the main side and
// the renderer (issue 7).

export const REPORT_FORMATS = ['md', 'html'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];
export const SAVE_FORMATS = ['md', 'html', 'pdf'] as const;
export type SaveFormat = (typeof SAVE_FORMATS)[number];
export const PAPERS = ['A4', 'Letter'] as const;
export type Paper = (typeof PAPERS)[number];
export const EXPORT_FORMATS = ['csv', 'json'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

export interface ReportTemplateInfo {
  /** File name without `.md`; what `--template` and the picker use. */
  readonly name: string;
  readonly description: string;
  readonly source: 'built-in' | 'user';
  readonly path: string;
  /** A user template that replaces the built-in one of the same name. */
  readonly overridesBuiltIn: boolean;
}

export interface RedactionSummary {
  readonly applied: boolean;
  /** Secrets replaced in this report's text (each place it was printed). */
  readonly matches: number;
  /** Distinct secrets per pattern name (built-in names, or `user:N`). */
  readonly byPattern: Readonly<Record<string, number>>;
}

export interface RenderedReport {
  readonly incidentId: number;
  readonly template: string;
  readonly format: ReportFormat;
  readonly text: string;
  readonly redaction: RedactionSummary;
  /** `INC-0007-postmortem.html`: a name for downloads and the default save path. */
  readonly fileName: string;
}

export interface SavedReport {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly format: SaveFormat;
  readonly redaction: RedactionSummary;
}

export type SlaOutcomeState = 'met' | 'breached' | 'running';

export interface SlaOutcome {
  readonly state: SlaOutcomeState;
  readonly targetMs: number;
  readonly elapsedMs: number;
  /** How far past the target (0 unless breached). */
  readonly overByMs: number;
}

export interface IncidentMetrics {
  readonly incidentId: number;
  readonly ref: string;
  readonly title: string;
  readonly severity: Severity;
  readonly status: string;
  readonly detectedAt: IsoTime;
  readonly timeToAcknowledgeMs: number | null;
  readonly timeToMitigateMs: number | null;
  readonly timeToResolveMs: number | null;
  readonly response: SlaOutcome;
  readonly recovery: SlaOutcome;
  /** breached if either clock breached; met when both stopped within target; running otherwise. */
  readonly sla: SlaOutcomeState;
  /** Detection to the first escalation recorded (issue 17); null when never escalated. */
  readonly timeToFirstEscalationMs: number | null;
  readonly updatesSent: number;
  /** Stakeholder updates sent within the severity's cadence. */
  readonly updatesOnTime: number;
}

export interface CommunicationStats {
  /** Incidents escalated at least once. */
  readonly escalated: number;
  readonly meanTimeToFirstEscalationMs: number | null;
  readonly updatesSent: number;
  readonly updatesOnTime: number;
  /** updatesOnTime / updatesSent; null when none was sent. */
  readonly onTimeRate: number | null;
}

export interface RollbackStats {
  /** Rollback runbook runs started (runbook id `rollback`). */
  readonly runs: number;
  readonly succeeded: number;
  readonly failed: number;
  readonly unfinished: number;
  /** succeeded / (succeeded + failed); null when none finished. */
  readonly successRate: number | null;
}

export interface MetricsSummary {
  readonly since: IsoTime | null;
  readonly until: IsoTime | null;
  readonly computedAt: IsoTime;
  readonly incidents: number;
  /** Mean time to acknowledge, over incidents acknowledged (ms). */
  readonly mttaMs: number | null;
  /** Mean time to mitigate, over incidents mitigated (ms). */
  readonly mttmMs: number | null;
  /** Mean time to resolve, over incidents resolved (ms). */
  readonly mttrMs: number | null;
  readonly bySeverity: Readonly<Record<Severity, number>>;
  readonly sla: { readonly met: number; readonly breached: number; readonly running: number; readonly complianceRate: number | null };
  readonly rollbacks: RollbackStats;
  readonly communications: CommunicationStats;
  readonly perIncident: readonly IncidentMetrics[];
}

export interface TimelineExportFilter {
  readonly kinds?: readonly string[];
  readonly since?: IsoTime;
  readonly until?: IsoTime;
}

export interface TimelineExport {
  readonly format: ExportFormat;
  readonly text: string;
  readonly entries: number;
  /** SHA-256 of `text` (UTF-8), so a copy can be checked. */
  readonly sha256: string;
  readonly fileName: string;
}
