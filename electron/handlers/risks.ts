import type { riskChannels } from '../../shared/channels/risks';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createRiskHandlers(services: Services): HandlersFor<typeof riskChannels> {
  const { risks } = services;
  return {
    'risks.list': () => risks.list(),
    'risks.get': ({ id }) => ({ ...risks.get(id), history: risks.history(id) }),
    'risks.link': ({ incidentId, risk, note }) => risks.link(incidentId, risk, note),
    'risks.unlink': ({ incidentId, risk, reason }) => risks.unlink(incidentId, risk, reason),
    'risks.rescore': (request) => risks.rescore(request),
    'risks.forIncident': ({ incidentId }) => {
      services.incidents.get(incidentId);
      return { risks: risks.forIncident(incidentId), proposals: risks.proposals(incidentId) };
    },
    'risks.history': (input) => risks.history(input?.risk),
  };
}
