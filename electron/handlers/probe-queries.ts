import type { probeQueryChannels } from '../../shared/channels/probe-queries';
import type { Services } from '../services';
import { runProbeQuery } from '../services/probes/query';
import type { HandlersFor } from './types';

export function createProbeQueryHandlers(services: Services): HandlersFor<typeof probeQueryChannels> {
  return {
    'probes.query': async ({ incidentId, ...request }) => {
      services.incidents.get(incidentId);
      await services.evidence.ready();
      return runProbeQuery(
        { config: () => services.monitor.probeConfig(), secrets: services.secrets, evidence: services.evidence, clock: services.clock },
        { incidentId, ...request },
      );
    },
  };
}
