import type { monitorChannels } from '../../shared/channels/monitor';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createMonitorHandlers(services: Services): HandlersFor<typeof monitorChannels> {
  const { monitor, secrets } = services;
  return {
    'monitor.alerts': () => monitor.alerts(),
    'monitor.setAlertTarget': ({ incidentId }) => monitor.setAlertTarget(incidentId),
    'monitor.alertHistory': (query) => monitor.alertHistory.page(query),

    'gauges.recent': (input) => monitor.recent(input?.sinceMs),
    'gauges.history': ({ incidentId, ...query }) => monitor.historyRows(incidentId, query),
    'gauges.rules': () => monitor.rules(),
    'gauges.setRules': (rules) => monitor.setRules(rules),
    'gauges.refreshProcesses': () => monitor.gauges.refreshProcesses(),

    'probes.config': () => monitor.probesView(),
    'probes.setConfig': ({ config }) => monitor.setProbeConfig(config),
    'probes.run': (input) => monitor.runProbes(input?.name),
    'probes.setSecret': async ({ ref, value }) => {
      await secrets.set(ref, value);
      return { ref, set: true } as const;
    },
    'probes.deleteSecret': async ({ ref }) => {
      await secrets.delete(ref);
      return { ref, set: false } as const;
    },
    'probes.export': () => monitor.exportProbes(),
    'probes.import': ({ document }) => monitor.importProbes(document),
  };
}
