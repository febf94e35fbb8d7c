import { z } from 'zod';

// What travels through Redis. Everything read back is parsed with these schemas first: bad
// data gets a clear error naming the field and goes to quarantine, never into the local log.

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 hex digits');
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/, 'expected a UUID');

/** One entry of a shared incident's stream: the device body and its signed link. */
export const wireEntrySchema = z.object({
  incident: uuid,
  device: uuid,
  deviceSeq: z.number().int().positive(),
  devicePrev: hex64,
  deviceHash: hex64,
  signature: z.string().regex(/^[A-Za-z0-9+/]+={0,2}$/, 'expected base64').max(200),
  at: z.iso.datetime({ offset: true }),
  actor: z.string().max(200),
  host: z.string().max(200),
  kind: z.string().min(1).max(100),
  data: z.record(z.string(), z.unknown()),
  corrects: z.string().max(200).nullable(),
});
export type WireEntry = z.infer<typeof wireEntrySchema>;

/** A device as registered in the team: its key, and who approved it with what signature. */
export const wireDeviceSchema = z.object({
  publicKey: z.string().regex(/^[A-Za-z0-9_-]{43}$/, 'expected a base64url Ed25519 key'),
  name: z.string().max(200),
  approvedBy: uuid.nullable(),
  approval: z.string().max(200).nullable(),
});
export type WireDevice = z.infer<typeof wireDeviceSchema>;

/** A shared incident's header, enough to open it on a laptop that has not seen it. */
export const wireIncidentSchema = z.object({
  title: z.string().min(1).max(500),
  severity: z.enum(['critical', 'high', 'medium', 'low']),
  detectedAt: z.iso.datetime({ offset: true }),
  sharedBy: uuid,
  shared: z.boolean(),
});
export type WireIncident = z.infer<typeof wireIncidentSchema>;

/** What a member signs to approve a device (bound to the team, the device and its key). */
export function approvalText(team: string, deviceId: string, publicKey: string): string {
  return `firebreak-team-approval:v1:${team}:${deviceId}:${publicKey}`;
}

export const keys = (team: string) => {
  const p = `firebreak:${team}:`;
  return {
    founder: `${p}founder`,
    devices: `${p}devices`,
    incidents: `${p}incidents`,
    stream: (uid: string) => `${p}inc:${uid}`,
    highWater: (uid: string) => `${p}inc:${uid}:hw`,
  };
};

/**
 * Idempotent push: an entry is added only if it is its device's next one in that stream
 * (KEYS[1] stream, KEYS[2] per-device high-water hash; ARGV device, seq, entry JSON).
 * 0 = already there (a retry), 1 = added, -1 = out of order (the caller re-reads the mark).
 */
export const PUSH_SCRIPT = `
local hw = tonumber(redis.call('HGET', KEYS[2], ARGV[1]) or '0')
local seq = tonumber(ARGV[2])
if seq <= hw then return 0 end
if seq ~= hw + 1 then return -1 end
redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])
redis.call('HSET', KEYS[2], ARGV[1], seq)
return 1
`;

/** One line for a zod failure: the field and what was wrong. */
export function issueText(error: z.ZodError): string {
  const issue = error.issues[0]!;
  return `${issue.path.map(String).join('.') || '(entry)'}: ${issue.message}`;
}
