import type { StateCreator } from 'zustand';
import type { TeamDeviceView, TeamJoinResult, TeamQuarantineView, TeamSyncView } from '../../../shared/channels/team';
import { api, errorMessage } from '../api';
import type { AppState } from './store';

/** What the Team screen's join form sends; the password goes to the main side's secret store and is never read back. */
export interface TeamJoinForm {
  readonly url: string;
  readonly team: string;
  readonly caFile?: string;
  readonly user?: string;
  readonly password?: string;
}

/**
 * Team mode (issue 16): this laptop's sync state and identity, the team's devices and the
 * quarantined remote entries, read through the same TeamSync service as `firebreak team`.
 */
export interface TeamSlice {
  teamStatus: TeamSyncView | undefined;
  teamDevices: readonly TeamDeviceView[];
  teamQuarantine: readonly TeamQuarantineView[];
  teamError: string | undefined;
  loadTeam(): Promise<void>;
  /** The join's outcome, or undefined when it failed (teamError says why). */
  joinTeam(form: TeamJoinForm): Promise<TeamJoinResult | undefined>;
  leaveTeam(): Promise<void>;
  approveDevice(deviceId: string, fingerprint: string): Promise<boolean>;
  shareIncident(incidentId: number): Promise<void>;
  unshareIncident(incidentId: number): Promise<void>;
}

export const createTeamSlice: StateCreator<AppState, [], [], TeamSlice> = (set, get) => {
  const fail = (error: unknown) => set({ teamError: errorMessage(error) });
  return {
    teamStatus: undefined,
    teamDevices: [],
    teamQuarantine: [],
    teamError: undefined,
    loadTeam: async () => {
      try {
        const [teamStatus, teamDevices, teamQuarantine] = await Promise.all([api.team.status(), api.team.devices(), api.team.quarantine()]);
        set({ teamStatus, teamDevices, teamQuarantine });
      } catch (error) {
        fail(error);
      }
    },
    joinTeam: async (form) => {
      try {
        const result = await api.team.join(form);
        set({ teamError: undefined });
        await get().loadTeam();
        return result;
      } catch (error) {
        fail(error);
        return undefined;
      }
    },
    leaveTeam: async () => {
      try {
        await api.team.leave();
        set({ teamError: undefined });
        await get().loadTeam();
      } catch (error) {
        fail(error);
      }
    },
    approveDevice: async (deviceId, fingerprint) => {
      try {
        await api.team.approve({ deviceId, fingerprint });
        set({ teamError: undefined });
        await get().loadTeam();
        return true;
      } catch (error) {
        fail(error);
        return false;
      }
    },
    shareIncident: async (incidentId) => {
      try {
        await api.team.share({ incidentId });
        get().upsertIncident(await api.incidents.get({ id: incidentId }));
      } catch (error) {
        get().notify('error', errorMessage(error));
      }
    },
    unshareIncident: async (incidentId) => {
      try {
        await api.team.unshare({ incidentId });
        get().upsertIncident(await api.incidents.get({ id: incidentId }));
      } catch (error) {
        get().notify('error', errorMessage(error));
      }
    },
  };
};
