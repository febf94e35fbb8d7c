import { z } from 'zod';
import { channel, noInput } from '../channel-def';
import { incidentIdSchema } from '../schemas';

// Team mode (issue 16, docs/team.md): what the Team screen and the incident view offer, the
// same operations as `firebreak team …`, through the same TeamSync service.

/** The sync's state, as `firebreak team status` and the header indicator show it. */
export interface TeamStatus {
  readonly joined: boolean;
  readonly team: string | null;
  /** The Redis URL as stored: user name kept, password never (it lives in the secret store). */
  readonly url: string | null;
  readonly connected: boolean;
  /** Local entries of shared incidents not yet in Redis. */
  readonly unpushed: number;
  /** Remote entries seen in Redis but not yet read (capped at 1000 per incident). */
  readonly behind: number;
  readonly offlineSince: string | null;
  readonly lastError: string | null;
  readonly shared: number;
  readonly quarantined: number;
}

/** The Team screen's view: the sync's state and who this device is in the team. */
export interface TeamSyncView extends TeamStatus {
  /** Whether this device is approved in the team (as of the last sync round); false while it waits. */
  readonly approved: boolean;
  readonly deviceId: string;
  readonly deviceName: string;
  readonly fingerprint: string | null;
  /** Why this profile cannot sign (its stored key does not match), or null. */
  readonly keyProblem: string | null;
}

export type TeamDeviceState = 'self' | 'pending' | 'approved' | 'revoked';

export interface TeamDeviceView {
  readonly deviceId: string;
  readonly name: string;
  readonly fingerprint: string | null;
  readonly state: TeamDeviceState;
  readonly addedAt: string;
}

export interface TeamQuarantineView {
  readonly incidentUid: string;
  readonly deviceId: string;
  readonly deviceSeq: number;
  readonly reason: string;
  readonly receivedAt: string;
}

export interface TeamJoinResult {
  /** True for the team's first device, which trusts itself; later devices wait for approval. */
  readonly founder: boolean;
  readonly approved: boolean;
}

const deviceIdSchema = z.string().regex(/^[0-9a-f-]{36}$/, { error: 'must be a device id (a UUID, as the device list shows it)' });

export const teamJoinSchema = z.strictObject({
  url: z
    .string()
    .trim()
    .min(1, { error: 'must not be empty' })
    .max(2000)
    .regex(/^rediss?:\/\//i, { error: 'must start with redis:// or rediss:// (redis[s]://host:port[/db])' }),
  team: z
    .string()
    .trim()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, { error: 'must be 1–64 letters, digits, dot, dash or underscore' }),
  /** PEM file of the CA that signed the Redis server's certificate (rediss:// only). */
  caFile: z.string().trim().min(1).max(4096).optional(),
  /** ACL user; the URL's own user name when absent. */
  user: z.string().min(1).max(256).optional(),
  /** Stored in the secret store only; never returned by any channel. */
  password: z.string().min(1).max(4096).optional(),
});

export const teamChannels = {
  'team.status': channel<TeamSyncView>()(noInput),
  'team.join': channel<TeamJoinResult>()(teamJoinSchema),
  'team.leave': channel<void>()(noInput),
  'team.devices': channel<TeamDeviceView[]>()(noInput),
  /** Approves a device whose key has exactly this fingerprint (the one the confirm showed). */
  'team.approve': channel<{ readonly deviceId: string }>()(
    z.strictObject({ deviceId: deviceIdSchema, fingerprint: z.string().min(1, { error: 'must not be empty' }).max(200) }),
  ),
  'team.quarantine': channel<TeamQuarantineView[]>()(noInput),
  'team.share': channel<{ readonly uid: string }>()(z.strictObject({ incidentId: incidentIdSchema })),
  'team.unshare': channel<void>()(z.strictObject({ incidentId: incidentIdSchema })),
} as const;
