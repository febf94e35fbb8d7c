import type { metricsChannels } from '../../shared/channels/metrics';
import type { Services } from '../services';
import { invalidInput } from '../services/errors';
import { saveQueryEvidence } from '../services/metrics/evidence';
import type { HandlersFor } from './types';

export function createMetricsHandlers(services: Services): HandlersFor<typeof metricsChannels> {
  const { metrics } = services;
  return {
    'metrics.sources': () => metrics.sources(),
    'metrics.addSource': (source) => {
      // A source on a remote target is fetched through that target's SSH connection: it must exist.
      if (source.target && source.target !== 'local' && !services.targets.has(source.target)) {
        throw invalidInput('target', `unknown target ${source.target} (add it first: firebreak target add ${source.target})`);
      }
      return metrics.addSource(source);
    },
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
