import type { Services } from '../services';
import type { HandlersFor } from './types';
import type { incidentChannels } from '../../shared/channels/incidents';
import type { AppInfo } from '../../shared/domain';
import { CloseGuard } from '../services/closing/guard';

export function createIncidentHandlers(services: Services, transport: AppInfo['transport']): HandlersFor<typeof incidentChannels> {
  const { incidents, timeline, timelinePages } = services;
  const guard = new CloseGuard({ db: services.db, incidents, runbooks: services.runbooks, terminals: services.terminals.service });
  // The responder is whoever runs this console (the top bar's user@host) unless someone else is named.
  const me = `${services.identity.actor}@${services.identity.host}`;
  return {
    'app.info': () => services.info(transport),

    'incidents.list': (input) => incidents.list(input ?? {}),
    'incidents.page': ({ offset, limit, ...filter }) => incidents.page(filter, offset, limit),
    'incidents.get': ({ id }) => incidents.get(id),
    'incidents.create': (input) => incidents.create({ ...input, responder: input.responder?.trim() ? input.responder : me }),
    'incidents.update': ({ id, patch }) => incidents.update(id, patch),
    'incidents.transition': (input) => guard.transition(input),
    'incidents.closeCheck': ({ id, to }) => guard.check(id, to),
    'incidents.reopen': ({ id, reason }) => incidents.reopen(id, reason),
    'incidents.setSeverity': ({ id, severity, reason }) => incidents.setSeverity(id, severity, reason),
    'incidents.pauseSla': ({ id, reason }) => incidents.pauseSla(id, reason),
    'incidents.resumeSla': ({ id }) => incidents.resumeSla(id),

    'timeline.list': ({ incidentId, afterSeq }) => {
      incidents.get(incidentId);
      return timeline.list(incidentId, afterSeq);
    },
    'timeline.page': (input) => {
      incidents.get(input.incidentId);
      return timelinePages.page(input);
    },
    'timeline.facets': ({ incidentId }) => {
      incidents.get(incidentId);
      return timelinePages.facets(incidentId);
    },
    'timeline.addNote': ({ incidentId, text }) => incidents.addNote(incidentId, text),
    'timeline.correct': ({ incidentId, entryId, text }) => incidents.correct(incidentId, entryId, text),
    // Page by page with the event loop free between pages: a 1,000,000-entry profile keeps
    // the host answering, and the UI shows how far it got.
    'timeline.verify': async (input) => {
      await services.anchors.ready();
      const incidentId = input?.incidentId ?? null;
      if (incidentId !== null) incidents.get(incidentId);
      return timeline.verifyStreaming(input?.incidentId, (p) => services.events.emit('timeline.verifyProgress', { incidentId, ...p }));
    },
  };
}
