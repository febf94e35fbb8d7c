import type { metricsChannels } from '../../shared/channels/metrics';
import type { Services } from '../services';
import { saveQueryEvidence } from '../services/metrics/evidence';
import type { HandlersFor } from './types';

export function createMetricsHandlers(services: Services): HandlersFor<typeof metricsChannels> {
  const { metrics } = services;
  return {
    'metrics.sources': () => metrics.sources(),
    'metrics.addSource': (source) => metrics.addSource(source),
    'metrics.removeSource': ({ name }) => metrics.removeSource(name),
    'metrics.signals': (input) => metrics.signals(input?.fresh ? { fresh: true } : {}),
    'metrics.history': (input) => metrics.historyView(input?.sinceMs),
    'metrics.query': (request) => metrics.query(request),
    'metrics.saveQuery': async ({ incidentId, ...request }) => {
      services.incidents.get(incidentId);
      return saveQueryEvidence(services.evidence, incidentId, await metrics.query(request));
    },
  };
}
