import type { reportChannels } from '../../shared/channels/reports';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createReportHandlers(services: Services): HandlersFor<typeof reportChannels> {
  const { reports } = services;
  return {
    'reports.templates': () => reports.templates(),
    'reports.render': (input) => reports.render(input),
    'reports.save': (input) => reports.save(input),
    'reports.defaultPath': ({ incidentId, template, format }) => {
      services.incidents.get(incidentId);
      return reports.defaultPath(incidentId, template, format);
    },
    'metrics.summary': (input) => reports.metrics(input ?? {}),
    'timeline.export': (input) => reports.exportTimeline(input),
  };
}
