import type { escalationChannels } from '../../shared/channels/escalation';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createEscalationHandlers(services: Services): HandlersFor<typeof escalationChannels> {
  const { contacts, rotation, escalation, updates, clock } = services;
  return {
    'contacts.list': () => contacts.list(),
    'contacts.add': (input) => contacts.add(input),
    'contacts.remove': ({ name }) => contacts.remove(name),
    'contacts.import': ({ format, text, source }) => contacts.import(format, text, source),
    'contacts.export': ({ format }) => contacts.export(format),

    'oncall.now': (input) => rotation.at(input?.at ? Date.parse(input.at) : clock.now()),
    'oncall.shifts': () => rotation.shifts(),
    'oncall.import': ({ format, text, source }) => (format === 'csv' ? rotation.importCsv(text, source) : rotation.importIcs(text, source)),
    'oncall.overrides': () => rotation.overrides(),
    'oncall.addOverride': (input) => rotation.addOverride(input),
    'oncall.removeOverride': ({ id }) => rotation.removeOverride(id),

    'escalation.state': ({ incidentId }) => {
      // Looking at an incident runs its triggers first, so a due suggestion is never missed.
      escalation.check(incidentId);
      return escalation.state(incidentId);
    },
    'escalation.levels': () => escalation.levels(),
    'escalation.escalate': (input) => escalation.escalate(input),
    'escalation.acknowledge': ({ incidentId, entryId }) => escalation.acknowledge(incidentId, entryId),
    'escalation.policy': () => escalation.policy(),
    'escalation.setCadence': ({ severity, minutes }) => escalation.setUpdateCadence(severity, minutes),

    'updates.draft': ({ incidentId, language }) => updates.draft(incidentId, language),
    'updates.record': (input) => updates.record(input),
    'updates.save': (input) => updates.save(input),
  };
}
