import type { teamChannels } from '../../shared/channels/team';
import type { Services } from '../services';
import type { HandlersFor } from './types';

export function createTeamHandlers(services: Services): HandlersFor<typeof teamChannels> {
  return {
    'team.status': async () => {
      const { url: _url, ...status } = await services.team.status();
      const self = services.devices.self();
      return { ...status, deviceId: self.deviceId, fingerprint: self.fingerprint };
    },
  };
}
