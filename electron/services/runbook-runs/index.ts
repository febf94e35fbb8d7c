// Runbook runs on incidents and the incident-owned terminals their steps run in.
export { RunbookRunService, summarizeRunbook, type RunbookRunDeps } from './service';
export { RunExecutor, confirmationWords, terminalServiceError } from './executor';
export { IncidentTerminals, type IncidentTerminalsDeps } from './incident-terminals';
export { RunbookSettingsStore } from './settings';
export { EvidenceTranscriptSink, FileTranscriptSink, type TranscriptEvidenceStore } from './transcript-sink';
export { runbookRunMigration } from './migration';
export { incidentDir, secretRef } from './variables';
