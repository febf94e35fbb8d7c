import { z } from 'zod';
import { channel, event, noInput } from '../channel-def';
import type { AppInfo, ChainVerification, IncidentView, TimelineEntry } from '../domain';
import {
  createIncidentSchema,
  incidentIdSchema,
  listIncidentsSchema,
  noteSchema,
  severitySchema,
  transitionSchema,
  updateIncidentSchema,
} from '../schemas';
import { timelinePageSchema, type TimelineFacets, type TimelinePage } from '../timeline-page';

export const incidentChannels = {
  'app.info': channel<AppInfo>()(noInput),

  'incidents.list': channel<IncidentView[]>()(listIncidentsSchema),
  'incidents.get': channel<IncidentView>()(z.strictObject({ id: incidentIdSchema })),
  'incidents.create': channel<IncidentView>()(createIncidentSchema),
  'incidents.update': channel<IncidentView>()(updateIncidentSchema),
  'incidents.transition': channel<IncidentView>()(transitionSchema),
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
} as const;
