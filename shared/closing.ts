// What an incident still lacks before it is resolved or closed (issue 15): the operator sees
// the list and may go ahead anyway only with a reason, which the timeline keeps with the list.
import { assertNever } from './assert';
import type { IncidentStatus } from './lifecycle';

export const CLOSE_GAP_KINDS = ['responder', 'rootCause', 'pendingSteps', 'runningCommands', 'openTerminals', 'postmortem'] as const;
export type CloseGapKind = (typeof CLOSE_GAP_KINDS)[number];

/** Postmortem sections filled from notes ("Resolution: …"), as the report reads them. */
export const POSTMORTEM_FIELDS = ['resolution', 'prevention', 'lessons'] as const;
export type PostmortemField = (typeof POSTMORTEM_FIELDS)[number];

export interface CloseGap {
  readonly kind: CloseGapKind;
  /** How many (steps, commands, terminals, fields); 1 for responder and root cause. */
  readonly count: number;
  /** What exactly: "Runbook title › step text", "bash (pid 123)", a postmortem field name. */
  readonly items: readonly string[];
}

export interface CloseReadiness {
  readonly incidentId: number;
  readonly to: IncidentStatus;
  readonly gaps: readonly CloseGap[];
}

/** One line per gap, in English, for the CLI, errors and the timeline. */
export function describeGap(gap: CloseGap): string {
  const list = gap.items.length ? `: ${gap.items.join('; ')}` : '';
  switch (gap.kind) {
    case 'responder':
      return 'no responder';
    case 'rootCause':
      return 'no root cause (add a note "Root cause: …")';
    case 'pendingSteps':
      return `${gap.count} runbook step${gap.count === 1 ? '' : 's'} not done${list}`;
    case 'runningCommands':
      return `${gap.count} command${gap.count === 1 ? '' : 's'} still running${list}`;
    case 'openTerminals':
      return `${gap.count} terminal${gap.count === 1 ? '' : 's'} still open, closing ends ${gap.count === 1 ? 'it' : 'them'}${list}`;
    case 'postmortem':
      return `postmortem fields empty${list}`;
    default:
      return assertNever(gap.kind, 'close gap');
  }
}
