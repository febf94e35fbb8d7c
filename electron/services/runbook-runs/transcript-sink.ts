import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { TranscriptSink } from '../terminals';

/**
 * Stores command transcripts content-addressed under
 * `<home>/incidents/<id>/evidence/sha256/ab/cdef…`, the same layout as the evidence
 * service's ContentStore, read-only once written. Used until the evidence service's
 * `storeTranscript` (with custody records) is wired in its place.
 */
export class FileTranscriptSink implements TranscriptSink {
  constructor(private readonly home: string) {}

  incidentDir(incidentId: number): string {
    return path.join(this.home, 'incidents', String(incidentId));
  }

  async store(incidentId: number, _name: string, content: Buffer): Promise<{ sha256: string; path: string }> {
    const sha256 = createHash('sha256').update(content).digest('hex');
    const root = path.join(this.incidentDir(incidentId), 'evidence');
    const target = path.join(root, 'sha256', sha256.slice(0, 2), sha256.slice(2));
    const existing = await fs.stat(target).catch(() => undefined);
    if (existing?.isFile()) return { sha256, path: target };
    await fs.mkdir(path.dirname(target), { recursive: true });
    await fs.mkdir(path.join(root, 'tmp'), { recursive: true });
    // Write then rename: a crash never leaves a partial blob under its final name.
    const temp = path.join(root, 'tmp', `${process.pid}-${randomBytes(6).toString('hex')}.part`);
    await fs.writeFile(temp, content, { mode: 0o444 });
    await fs.rename(temp, target);
    return { sha256, path: target };
  }
}

/** The part of the evidence service (electron/services/evidence) a transcript needs. */
export interface TranscriptEvidenceStore {
  storeTranscript(
    incidentId: number,
    request: { name: string; data: Buffer; producer: string; params?: Readonly<Record<string, unknown>>; mediaType?: string },
  ): Promise<{ artifacts: readonly { sha256: string | null }[] }>;
}

/**
 * Transcripts through the evidence service, so each one also gets a custody record. Its
 * blobs use the same `<incident>/evidence/sha256/ab/cdef…` layout as FileTranscriptSink.
 */
export class EvidenceTranscriptSink implements TranscriptSink {
  constructor(
    private readonly evidence: TranscriptEvidenceStore,
    private readonly home: string,
  ) {}

  async store(incidentId: number, name: string, content: Buffer): Promise<{ sha256: string; path: string }> {
    const result = await this.evidence.storeTranscript(incidentId, { name, data: content, producer: 'runbook terminal' });
    const sha256 = result.artifacts[0]?.sha256;
    if (!sha256) throw new Error(`the evidence store did not keep transcript ${name}`);
    return { sha256, path: path.join(this.home, 'incidents', String(incidentId), 'evidence', 'sha256', sha256.slice(0, 2), sha256.slice(2)) };
  }
}
