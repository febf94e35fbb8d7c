import { LOCAL_TARGET } from '../../shared/targets';
import type { terminalChannels } from '../../shared/channels/terminals';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createTerminalHandlers(services: Services): HandlersFor<typeof terminalChannels> {
  const { terminals } = services;
  return {
    'terminals.create': async ({ target, ...input }) => {
      if (target === undefined || target === LOCAL_TARGET) return terminals.create(input);
      // ssh with a tty on the target's ControlMaster (it becomes the master if none is up,
      // so a password typed here serves the collectors and gauges too).
      const shell = await services.targets.ssh(target).shellCommand();
      return terminals.create({ ...input, remote: { ...shell, host: target } });
    },
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
    'terminals.list': (input) =>
      terminals.service.list(input?.incidentId).map((info) => {
        const host = terminals.hostOf(info.id);
        return host === null ? info : { ...info, host };
      }),
  };
}
