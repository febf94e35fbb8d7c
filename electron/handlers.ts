import type { ChannelName, ChannelOutput, ChannelParsed } from '../shared/contract';
import type { AppInfo } from '../shared/domain';
import type { Services } from './services';

export type Handlers = {
  readonly [K in ChannelName]: (input: ChannelParsed<K>) => ChannelOutput<K> | Promise<ChannelOutput<K>>;
};

/**
 * One handler per contract channel; inputs arrive already validated. The mapped type makes
 * a missing handler a compile error, so the contract and its implementation cannot drift.
 */
export function createHandlers(services: Services, transport: AppInfo['transport']): Handlers {
  const { incidents, timeline } = services;
  return {
    'app.info': () => services.info(transport),

    'incidents.list': (input) => incidents.list(input ?? {}),
    'incidents.get': ({ id }) => incidents.get(id),
    'incidents.create': (input) => incidents.create(input),
    'incidents.update': ({ id, patch }) => incidents.update(id, patch),
    'incidents.transition': (input) => incidents.transition(input),
    'incidents.setSeverity': ({ id, severity, reason }) => incidents.setSeverity(id, severity, reason),
    'incidents.pauseSla': ({ id, reason }) => incidents.pauseSla(id, reason),
    'incidents.resumeSla': ({ id }) => incidents.resumeSla(id),

    'timeline.list': ({ incidentId, afterSeq }) => {
      incidents.get(incidentId);
      return timeline.list(incidentId, afterSeq);
    },
    'timeline.addNote': ({ incidentId, text }) => incidents.addNote(incidentId, text),
    'timeline.correct': ({ incidentId, entryId, text }) => incidents.correct(incidentId, entryId, text),
    'timeline.verify': (input) => timeline.verify(input?.incidentId),
  };
}
