import type { terminalChannels } from '../../shared/channels/terminals';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createTerminalHandlers(services: Services): HandlersFor<typeof terminalChannels> {
  const { terminals } = services;
  return {
    'terminals.create': (input) => terminals.create(input),
    'terminals.write': ({ id, data }) => {
      terminals.call((t) => t.write(id, data));
      return null;
    },
    'terminals.resize': ({ id, cols, rows }) => {
      terminals.call((t) => t.resize(id, cols, rows));
      return null;
    },
    'terminals.ack': ({ id, charCount }) => {
      // A late ack for a terminal that has just ended is harmless: ack() ignores unknown ids.
      terminals.service.ack(id, charCount);
      return null;
    },
    'terminals.kill': ({ id }) => terminals.kill(id),
    'terminals.list': (input) => terminals.service.list(input?.incidentId),
  };
}
