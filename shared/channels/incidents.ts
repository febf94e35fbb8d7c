import { z } from 'zod';
import { channel, event, noInput } from '../channel-def';
import type { CloseReadiness } from '../closing';
import type { AppInfo, ChainVerification, ChainVerifyProgress, IncidentView, TimelineEntry } from '../domain';
import {
  createIncidentSchema,
  incidentIdSchema,
  listIncidentsSchema,
  noteSchema,
  severitySchema,
  statusSchema,
  transitionSchema,
  updateIncidentSchema,
} from '../schemas';
import { INCIDENT_PAGE_MAX, type IncidentPage } from '../incident-page';
import { TIMELINE_PAGE_MAX, type TimelineFacets, type TimelineFilter, type TimelinePage } from '../timeline-page';

const filterText = (max: number) => z.string().max(max, { error: `must be at most ${max} characters` }).optional();

export const timelineFilterSchema = z.strictObject({
  text: filterText(200),
  kind: filterText(100),
  actor: filterText(200),
  host: filterText(200),
}) satisfies z.ZodType<TimelineFilter>;

/** One page of one incident's timeline, newest first (see shared/timeline-page.ts). */
export const timelinePageSchema = z.strictObject({
  incidentId: incidentIdSchema,
  filter: timelineFilterSchema.optional(),
  /**
   * The cursor: only entries with a seq below this one. Paging by seq (not by position)
   * keeps a page the same while entries are appended; omitted = from the newest entry.
   */
  beforeSeq: z.number().int().positive().optional(),
  /** Matching entries below the cursor to pass over first: a jump (the scrollbar dragged far down). */
  skip: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(TIMELINE_PAGE_MAX, { error: `must be at most ${TIMELINE_PAGE_MAX}` }),
});

/** One page of the incident list, most urgent first, filtered like incidents.list (see shared/incident-page.ts). */
export const incidentPageSchema = z.strictObject({
  status: z.array(statusSchema).optional(),
  severity: z.array(severitySchema).optional(),
  query: z.string().max(200, { error: 'must be at most 200 characters' }).optional(),
  openOnly: z.boolean().optional(),
  offset: z.number().int().nonnegative(),
  limit: z.number().int().min(1).max(INCIDENT_PAGE_MAX, { error: `must be at most ${INCIDENT_PAGE_MAX}` }),
});

export const incidentChannels = {
  'app.info': channel<AppInfo>()(noInput),

  'incidents.list': channel<IncidentView[]>()(listIncidentsSchema),
  /** The UI's read of the list: one page in urgency order, so 10,000 incidents never cross at once. */
  'incidents.page': channel<IncidentPage>()(incidentPageSchema),
  'incidents.get': channel<IncidentView>()(z.strictObject({ id: incidentIdSchema })),
  'incidents.create': channel<IncidentView>()(createIncidentSchema),
  'incidents.update': channel<IncidentView>()(updateIncidentSchema),
  'incidents.transition': channel<IncidentView>()(transitionSchema),
  /** What resolving or closing would leave undone; the transition refuses it without a reason. */
  'incidents.closeCheck': channel<CloseReadiness>()(z.strictObject({ id: incidentIdSchema, to: statusSchema })),
  /** A resolved or closed incident back to investigating, as an explicit `status.reopened` entry. */
  'incidents.reopen': channel<IncidentView>()(
    z.strictObject({ id: incidentIdSchema, reason: z.string().trim().min(1, { error: 'must not be empty' }).max(2000) }),
  ),
  'incidents.setSeverity': channel<IncidentView>()(
    z.strictObject({ id: incidentIdSchema, severity: severitySchema, reason: z.string().max(2000).optional() }),
  ),
  'incidents.pauseSla': channel<IncidentView>()(
    z.strictObject({ id: incidentIdSchema, reason: z.string().trim().min(1, { error: 'must not be empty' }).max(2000) }),
  ),
  'incidents.resumeSla': channel<IncidentView>()(z.strictObject({ id: incidentIdSchema })),

  'timeline.list': channel<TimelineEntry[]>()(
    z.strictObject({ incidentId: incidentIdSchema, afterSeq: z.number().int().nonnegative().optional() }),
  ),
  /** The UI's read: one page, newest first, from a seq cursor (see shared/timeline-page.ts). */
  'timeline.page': channel<TimelinePage>()(timelinePageSchema),
  'timeline.facets': channel<TimelineFacets>()(z.strictObject({ incidentId: incidentIdSchema })),
  'timeline.addNote': channel<TimelineEntry>()(noteSchema),
  'timeline.correct': channel<TimelineEntry>()(noteSchema.extend({ entryId: z.number().int().positive() })),
  'timeline.verify': channel<ChainVerification>()(z.strictObject({ incidentId: incidentIdSchema.optional() }).optional()),
} as const;

export const incidentEvents = {
  'incidents.changed': event<{ readonly incident: IncidentView }>(),
  'timeline.appended': event<{ readonly entry: TimelineEntry }>(),
  /** While `timeline.verify` runs, after each page it checked (incidentId null: every chain). */
  'timeline.verifyProgress': event<ChainVerifyProgress & { readonly incidentId: number | null }>(),
} as const;
