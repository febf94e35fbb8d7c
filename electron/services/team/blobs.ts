import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type Redis from 'ioredis';
import { z } from 'zod';
import type { Db } from '../db/open';
import { ContentStore } from '../evidence/cas';
import { TeamError } from './redis-url';

// Evidence blobs in team mode. Artifact metadata, hashes and custody travel as timeline entries;
// a blob stays on the laptop that captured it unless someone pushes it (`team push-evidence`),
// under a size cap. Pushed blobs live in Redis by content (`blob:SHA256`, team-keyed), listed per
// incident (`inc:UID:blobs`); another laptop fetches one on demand and keeps it only if its bytes
// hash to what was asked for.

/** Default cap per pushed blob: evidence bigger than this stays on its laptop. */
export const DEFAULT_BLOB_CAP = 50 << 20;

export const blobKeys = (team: string, uid: string) => ({
  blob: (sha256: string) => `firebreak:${team}:blob:${sha256}`,
  listing: `firebreak:${team}:inc:${uid}:blobs`,
});

const listingSchema = z.object({ name: z.string().max(4096), size: z.number().int().nonnegative(), device: z.string().max(64), pushedAt: z.string().max(64) });
export type PushedBlob = z.infer<typeof listingSchema> & { readonly sha256: string };

export interface BlobPushResult {
  readonly pushed: { readonly artifactId: number; readonly sha256: string; readonly size: number }[];
  readonly skipped: { readonly artifactId: number; readonly name: string; readonly reason: string }[];
}

interface ArtifactRow {
  id: number;
  name: string;
  sha256: string | null;
  size: number | null;
}

/** Pushes the blobs of an incident's artifacts (all, or the ids given) up to `cap` bytes each. */
export async function pushBlobs(
  o: { db: Db; client: Redis; team: string; uid: string; incidentId: number; deviceId: string; now: string; blobPath: (sha256: string) => string },
  artifactIds: readonly number[],
  cap: number,
): Promise<BlobPushResult> {
  const rows = o.db.prepare<[number], ArtifactRow>('SELECT id, name, sha256, size FROM evidence_artifacts WHERE incident_id = ? ORDER BY id').all(o.incidentId);
  const wanted = artifactIds.length ? rows.filter((r) => artifactIds.includes(r.id)) : rows;
  const missing = artifactIds.filter((id) => !rows.some((r) => r.id === id));
  if (missing.length) throw new TeamError(`no artifact ${missing.join(', ')} in incident ${o.incidentId}`);
  const k = blobKeys(o.team, o.uid);
  const result: BlobPushResult = { pushed: [], skipped: [] };
  for (const row of wanted) {
    const skip = (reason: string) => result.skipped.push({ artifactId: row.id, name: row.name, reason });
    if (!row.sha256) {
      skip('no content stored (metadata only)');
      continue;
    }
    const file = o.blobPath(row.sha256);
    let size: number;
    try {
      size = fs.statSync(file).size;
    } catch {
      skip(`its blob is not on this laptop (${file})`);
      continue;
    }
    if (size > cap) {
      skip(`${size} bytes is over the cap of ${cap} bytes per blob (--max-mib)`);
      continue;
    }
    // Content-addressed and NX: pushing twice, or two laptops pushing the same bytes, stores one copy.
    await o.client.set(k.blob(row.sha256), fs.readFileSync(file), 'NX');
    await o.client.hset(k.listing, row.sha256, JSON.stringify({ name: row.name, size, device: o.deviceId, pushedAt: o.now }));
    result.pushed.push({ artifactId: row.id, sha256: row.sha256, size });
  }
  return result;
}

/** What has been pushed for an incident; malformed listing rows are left out. */
export async function listBlobs(client: Redis, team: string, uid: string): Promise<PushedBlob[]> {
  const all = await client.hgetall(blobKeys(team, uid).listing);
  const out: PushedBlob[] = [];
  for (const [sha256, text] of Object.entries(all)) {
    if (!/^[0-9a-f]{64}$/.test(sha256)) continue;
    try {
      const parsed = listingSchema.safeParse(JSON.parse(text));
      if (parsed.success) out.push({ sha256, ...parsed.data });
    } catch {
      // not JSON: skipped like any bad data from Redis
    }
  }
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

/**
 * Fetches one pushed blob into `<home>/incidents/ID/team-evidence` (apart from the incident's own
 * evidence store, whose orphan sweep would remove a blob no local artifact names) after checking
 * its bytes against the hash asked for; a mismatch stores nothing.
 */
export async function fetchBlob(o: { client: Redis; team: string; uid: string; root: string }, sha256: string): Promise<{ path: string; size: number }> {
  if (!/^[0-9a-f]{64}$/.test(sha256)) throw new TeamError(`not a sha256 digest: ${sha256}`);
  const store = new ContentStore(o.root);
  const target = store.pathFor(sha256);
  if (fs.existsSync(target)) return { path: target, size: fs.statSync(target).size };
  const bytes = await o.client.getBuffer(blobKeys(o.team, o.uid).blob(sha256));
  if (bytes === null) throw new TeamError(`blob ${sha256} has not been pushed to the team (its laptop runs team push-evidence)`);
  const actual = crypto.createHash('sha256').update(bytes).digest('hex');
  if (actual !== sha256) throw new TeamError(`blob ${sha256} from Redis does not match its hash (got ${actual}); nothing was stored`);
  const temp = await store.tempPath();
  fs.writeFileSync(temp, bytes, { mode: 0o444 });
  const fd = fs.openSync(temp, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  const { path: stored } = await store.commit(temp, sha256);
  await store.barrier();
  return { path: path.resolve(stored), size: bytes.length };
}
