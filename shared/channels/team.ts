import { channel, noInput } from '../channel-def';

// Team mode (issue 16, docs/team.md): the sync state the header's indicator shows.

export interface TeamSyncView {
  readonly joined: boolean;
  readonly team: string | null;
  readonly connected: boolean;
  /** Local entries of shared incidents not yet in Redis. */
  readonly unpushed: number;
  /** Remote entries in Redis not yet read. */
  readonly behind: number;
  readonly offlineSince: string | null;
  readonly lastError: string | null;
  readonly shared: number;
  readonly quarantined: number;
  readonly deviceId: string;
  readonly fingerprint: string | null;
}

export const teamChannels = {
  'team.status': channel<TeamSyncView>()(noInput),
} as const;
