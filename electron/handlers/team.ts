import type { teamChannels } from '../../shared/channels/team';
import type { Services } from '../services';
import { conflict, invalidInput, notFound, ServiceError } from '../services/errors';
import { formatIncidentRef } from '../services/incidents';
import { TeamError } from '../services/team';
import type { HandlersFor } from './types';

/**
 * The Team screen's channels: the same TeamSync calls as `firebreak team …`. A TeamError is a
 * message for the user (not found, not approved, already joined), so it crosses as a conflict.
 */
async function userFacing<T>(work: () => T | Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof TeamError) throw conflict(error.message);
    throw error;
  }
}

/** Puts the form's ACL user and password into the URL, where TeamSync takes them from (and moves the password to the secret store). */
export function joinUrl(url: string, user: string | undefined, password: string | undefined): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    throw invalidInput('url', `not a Redis URL: ${url} (expected redis[s]://host:port[/db])`);
  }
  if (user !== undefined) {
    if (u.username) throw invalidInput('user', 'given twice: in the URL and in the user field');
    u.username = encodeURIComponent(user);
  }
  if (password !== undefined) {
    if (u.password) throw invalidInput('password', 'given twice: in the URL and in the password field');
    u.password = encodeURIComponent(password);
  }
  return u.toString();
}

function withoutPassword(url: string): string {
  const u = new URL(url);
  u.password = '';
  return u.toString();
}

export function createTeamHandlers(services: Services): HandlersFor<typeof teamChannels> {
  const { team, devices, incidents } = services;
  return {
    'team.status': async () => {
      await devices.ready();
      const status = await team.status();
      const self = devices.self();
      return { ...status, approved: status.joined && team.approved, deviceId: self.deviceId, deviceName: self.name, fingerprint: self.fingerprint, keyProblem: devices.unavailable ?? null };
    },
    'team.join': ({ url, team: name, caFile, user, password }) =>
      userFacing(async () => {
        const full = joinUrl(url, user, password);
        let result;
        try {
          result = await team.join(full, name, caFile);
        } catch (error) {
          if (error instanceof TeamError || error instanceof ServiceError) throw error;
          // Refused connection, wrong ACL password, TLS: Redis's own words, said as the join's failure.
          throw conflict(`could not join through ${withoutPassword(full)}: ${(error as Error).message}`);
        }
        // The app and serve run the loops; a team joined from the UI starts them at once.
        team.start();
        return result;
      }),
    'team.leave': () => userFacing(() => team.leave()),
    'team.devices': async () => {
      await devices.ready();
      return devices.list().map(({ deviceId, name, fingerprint, state, addedAt }) => ({ deviceId, name, fingerprint, state, addedAt }));
    },
    'team.approve': ({ deviceId, fingerprint }) =>
      userFacing(async () => {
        if (deviceId === devices.deviceId) throw conflict('this is this laptop; another member approves it');
        return { deviceId: await team.approve(deviceId, fingerprint) };
      }),
    'team.quarantine': () => team.quarantine(),
    'team.share': ({ incidentId }) =>
      userFacing(async () => {
        incidents.get(incidentId);
        return { uid: await team.share(incidentId) };
      }),
    'team.unshare': ({ incidentId }) =>
      userFacing(() => {
        if (!incidents.get(incidentId).sharedUid) throw notFound(`a share of ${formatIncidentRef(incidentId)}`);
        team.unshare(incidentId);
      }),
  };
}
