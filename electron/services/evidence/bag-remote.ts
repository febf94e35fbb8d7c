import { z } from 'zod';
import { REMOTE_EVIDENCE_FILE } from './bagit';
import type { IntegrityFailure, RemoteEvidenceItem } from './types';

// bag-info/remote-evidence.json (team mode, docs/team.md): evidence recorded on the bag's
// timeline whose bytes live on another laptop. Read back strictly: a malformed list excuses nothing.

const itemSchema = z.object({
  entrySeq: z.number().int().positive(),
  artifactId: z.number().int(),
  name: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/).nullable(),
  size: z.number().int().nonnegative().nullable(),
  deviceId: z.string().min(1),
  deviceName: z.string(),
  collectedBy: z.string(),
});

export function parseRemoteEvidence(data: Buffer): { items: RemoteEvidenceItem[]; failures: IntegrityFailure[] } {
  let raw: unknown;
  try {
    raw = JSON.parse(data.toString('utf8'));
  } catch (error) {
    return { items: [], failures: [{ file: REMOTE_EVIDENCE_FILE, kind: 'format', message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` }] };
  }
  const parsed = z.array(itemSchema).safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { items: [], failures: [{ file: REMOTE_EVIDENCE_FILE, kind: 'format', message: `item ${issue.path.map(String).join('.')}: ${issue.message}` }] };
  }
  return { items: parsed.data, failures: [] };
}
