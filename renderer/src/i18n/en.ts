import type { DeepStrings } from './types';
import { enEvidence } from './en-evidence';
import { enMonitor } from './en-monitor';
import { enReports } from './en-reports';
import { enEscalation } from './en-escalation';
import { enRunbooks } from './en-runbooks';
import { enRisks } from './en-risks';
import { enClosing } from './en-closing';
import { enTargets } from './en-targets';
import { enProbeErrors } from './en-probe-errors';
import { enTeam } from './en-team';

// English UI strings. Every string the UI shows comes from here (ja.ts has the same keys),
// so nothing user-facing is hard-coded in components.
export const en = {
  ...enEvidence,
  ...enMonitor,
  ...enReports,
  ...enRunbooks,
  ...enEscalation,
  ...enRisks,
  ...enClosing,
  ...enTargets,
  ...enProbeErrors,
  ...enTeam,
  common: { loading: 'Loading…' },
  language: { label: 'Language', en: 'English', ja: '日本語' },
  tabs: { timeline: 'Timeline' },
  screens: { incidents: 'Incidents' },
  connection: { connecting: 'Connecting…', open: 'Connected', lost: 'Connection lost — reconnecting' },
  severity: {
    critical: { label: 'Critical', description: 'Total outage, data loss or a security breach' },
    high: { label: 'High', description: 'A major function is down or performance is severely degraded' },
    medium: { label: 'Medium', description: 'A partial outage or a minor performance drop' },
    low: { label: 'Low', description: 'A minor issue or a future risk' },
  },
  status: {
    detected: 'Detected',
    acknowledged: 'Acknowledged',
    investigating: 'Investigating',
    mitigated: 'Mitigated',
    resolved: 'Resolved',
    closed: 'Closed',
  },
  sla: {
    response: 'Initial response',
    recovery: 'Recovery',
    left: '{{time}} left',
    overBy: 'Over by {{time}}',
    met: 'Met',
    breachedBy: 'Missed by {{time}}',
    paused: 'paused',
    target: 'target {{time}}',
  },
  fields: {
    title: 'Title',
    severity: 'Severity',
    summary: 'Summary',
    impact: 'Impact',
    responder: 'Responder',
    services: 'Affected services',
    tags: 'Tags',
  },
  list: {
    title: 'Incidents',
    search: 'Search incidents ( / )',
    filterSeverity: 'Filter by severity',
    filterStatus: 'Filter by status',
    loadFailed: 'Could not load incidents: {{error}}',
    emptyTitle: 'No incidents yet',
    emptyBody: 'When something breaks, open an incident first: the clocks start and everything you do is recorded.',
    noMatch: 'No incidents match these filters.',
  },
  actions: {
    newIncident: 'New incident',
    cancel: 'Cancel',
    save: 'Save',
    to: {
      detected: 'Detected',
      acknowledged: 'Acknowledge',
      investigating: 'Start investigating',
      mitigated: 'Mark mitigated',
      resolved: 'Resolve',
      closed: 'Close (postmortem done)',
    },
    skipAhead: 'Skip ahead…',
    skipTarget: 'Move to…',
    skipping: 'This skips: {{statuses}}',
    skipReason: 'Why are these steps skipped?',
    skip: 'Move',
    pauseSla: 'Pause SLA',
    pauseReason: 'Why pause the SLA clocks?',
    pause: 'Pause',
    resumeSla: 'Resume SLA',
  },
  newIncident: {
    title: 'New incident',
    titlePlaceholder: 'What is broken, in a few words',
    summaryPlaceholder: 'What is happening and how it was noticed',
    impactPlaceholder: 'Who or what is affected',
    servicesPlaceholder: 'api, redis, neo4j (comma separated)',
    targets: 'respond within {{response}}, recover within {{recovery}}',
    submit: 'Open incident',
  },
  incident: {
    editDetails: 'Edit details',
    noSummary: 'No summary yet: what is happening, and how was it noticed?',
    noImpact: 'Impact not recorded yet: who or what is affected?',
    closedReadOnly: 'This incident is closed. Its record is read-only; notes can still be added.',
    notFound: 'This incident does not exist (it may be in another profile).',
  },
  timeline: {
    title: 'Timeline',
    verify: 'Verify integrity',
    intact: 'Hash chain intact ({{count}} entries)',
    broken: 'Tampering detected at entry #{{seq}}: {{reason}}',
    verifying: 'Verifying… {{checked}} / {{total}} entries',
    notePlaceholder: 'Add a note — what you saw, what you did (Ctrl+Enter)',
    addNote: 'Add note',
    correct: 'Correct',
    correctHint: 'Entries are never edited: a correction is a new entry that points at this one',
    correctPlaceholder: 'What should this entry have said?',
    addCorrection: 'Add correction',
    correctedBy: '(corrected by #{{seqs}})',
    skipped: '(skipped {{statuses}})',
    listLabel: 'Timeline entries, newest first ({{count, number}}). Arrow keys, Page Up/Down, Home (newest), End (oldest)',
    noMatch: 'No entries match the filter.',
    filter: {
      text: 'Filter the timeline: text, command, host…',
      anyKind: 'Any kind',
      anyActor: 'Anyone',
      anyHost: 'Any host',
      clear: 'Clear filter',
      entries: '{{count, number}} entries',
      matching: '{{count, number}} matching entries',
    },
    kind: {
      created: 'Incident opened: {{title}} ({{severity}})',
      status: 'Status {{from}} → {{to}}',
      severity: 'Severity {{from}} → {{to}}',
      updated: 'Details changed: {{fields}}',
      correction: 'Correction to #{{seq}}: {{text}}',
      slaPaused: 'SLA clocks paused: {{reason}}',
      slaResumed: 'SLA clocks resumed after {{time}}',
      slaBreached: '{{clock}} target breached',
    },
  },
  welcome: {
    title: 'Firebreak is ready',
    pick: 'Pick an incident',
    body: 'An offline console for the middle of an outage: open an incident, follow its clocks, and keep a tamper-evident record of everything.',
    keyNew: 'new incident',
    keySearch: 'search',
    keyNote: 'add a note',
  },
};

// Every language's bundle has this shape: the English keys with string leaves.
export type Messages = DeepStrings<typeof en>;
