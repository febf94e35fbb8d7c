import { compileUserPattern, type UserPattern } from '../../../shared/user-pattern';
import fs from 'node:fs';
import type { TimelineService } from '../timeline';
import { invalidInput } from '../errors';
import { writeBag, type BagExportOptions, type BagExportResult } from './bagit';
import { verifyBag, type BagVerificationReport } from './bag-verify';
import { fsRead } from './cas';
import { hashRange } from './digest';
import { LineSearch, type LineHit } from './scan/search';
import { levelRank } from './scan/levels';
import type { LogLevel } from '../../../shared/evidence';
import type { EvidenceService } from './service';
import type { ArtifactChunk, BagTimelineSummary, IntegrityFailure, RemoteEvidenceItem, SearchMatch, VerificationReport } from './types';

export type { ArtifactChunk, SearchMatch } from './types';

export interface ReadArtifactRequest {
  readonly offset?: number;
  /** At most 8 MiB per call; the UI pages. */
  readonly length?: number;
}

const MAX_READ = 8 << 20;
const MAX_MATCH_TEXT = 2000;

const toRecord = (row: Record<string, unknown>): Record<string, unknown> => {
  // snake_case columns → the camelCase shape of shared/domain's Incident; JSON columns parsed.
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) {
    const key = k.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    out[key] = (k === 'services' || k === 'tags') && typeof v === 'string' ? (JSON.parse(v) as unknown) : v;
  }
  return out;
};

/**
 * The custody-logged operations on collected evidence: viewing, searching, verifying the
 * live store, exporting a BagIt bag and verifying one. Each writes its timeline entry
 * (`evidence.viewed`, `evidence.verified`, `evidence.exported`).
 */
export class EvidenceArchive {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly timeline: TimelineService,
    private readonly softwareAgent = 'Firebreak',
    /** Team mode: the incident's evidence held by other laptops (team/remote-evidence.ts). */
    private readonly remoteEvidence: (incidentId: number) => readonly RemoteEvidenceItem[] = () => [],
  ) {}

  async readArtifact(id: number, request: ReadArtifactRequest = {}): Promise<ArtifactChunk> {
    const artifact = this.evidence.getArtifact(id);
    const blob = this.evidence.blobPath(artifact);
    if (!blob || artifact.size === null) throw invalidInput('id', `artifact ${id} has no stored content (${artifact.status})`);
    const offset = Math.max(0, request.offset ?? 0);
    const length = Math.min(MAX_READ, Math.max(0, request.length ?? 1 << 20), Math.max(0, artifact.size - offset));
    const handle = await fs.promises.open(blob, 'r');
    const buffer = Buffer.alloc(length);
    try {
      let got = 0;
      while (got < length) {
        const n = await fsRead(handle.fd, buffer.subarray(got), length - got, offset + got);
        if (n === 0) break;
        got += n;
      }
    } finally {
      await handle.close();
    }
    this.evidence.custody(artifact.incidentId, 'evidence.viewed', { artifactId: id, name: artifact.name, sha256: artifact.sha256, offset, length });
    return {
      artifact,
      offset,
      totalSize: artifact.size,
      eof: offset + length >= artifact.size,
      encoding: artifact.binary ? 'base64' : 'utf8',
      content: buffer.toString(artifact.binary ? 'base64' : 'utf8'),
    };
  }

  /** Lines of a text artifact matching `pattern`, streamed from the store (one custody entry). */
  async searchArtifact(id: number, pattern: string, options: { ignoreCase?: boolean; level?: LogLevel; maxMatches?: number } = {}): Promise<{ matches: SearchMatch[]; truncated: boolean }> {
    const artifact = this.evidence.getArtifact(id);
    const blob = this.evidence.blobPath(artifact);
    if (!blob) throw invalidInput('id', `artifact ${id} has no stored content`);
    let regexp: UserPattern;
    try {
      regexp = compileUserPattern(pattern, { ignoreCase: options.ignoreCase === true });
    } catch (error) {
      throw invalidInput('pattern', error instanceof Error ? error.message : String(error));
    }
    const max = options.maxMatches ?? 1000;
    const matches: SearchMatch[] = [];
    // The same byte scan as collect --grep (scan/search.ts): lines without a required literal are only counted.
    const search = new LineSearch(regexp, options.level === undefined ? undefined : levelRank(options.level));
    let truncated = false;
    const take = (hits: Iterable<LineHit>): boolean => {
      for (const hit of hits) {
        if (matches.length >= max) return (truncated = true);
        matches.push({ line: hit.line, offset: hit.offset, text: hit.text.slice(0, MAX_MATCH_TEXT) });
      }
      return false;
    };
    for await (const chunk of fs.createReadStream(blob, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) if (take(search.push(chunk))) break;
    if (!truncated) take(search.flush());
    this.evidence.custody(artifact.incidentId, 'evidence.viewed', { artifactId: id, name: artifact.name, sha256: artifact.sha256, search: pattern, ...(options.level !== undefined ? { level: options.level } : {}), matches: matches.length });
    return { matches, truncated };
  }

  /**
   * Re-hashes every stored blob of the incident and checks it against its artifact row and
   * against the custody entries on the timeline (and the timeline's own hash chain).
   */
  async verifyStore(incidentId: number): Promise<VerificationReport> {
    const failures: IntegrityFailure[] = [];
    const custody = new Map<number, { sha256: unknown; size: unknown }>();
    for (const entry of this.timeline.iterate(incidentId)) {
      if (entry.kind !== 'evidence.collected') continue;
      const list = entry.data.artifacts;
      if (!Array.isArray(list)) continue;
      for (const a of list as Array<Record<string, unknown>>) if (typeof a.id === 'number') custody.set(a.id, { sha256: a.sha256, size: a.size });
    }
    for (const f of this.timeline.verify(incidentId).failures) failures.push({ file: `timeline entry ${f.seq}`, kind: 'custody', message: f.reason });
    const hashed = new Map<string, { sha256: string; size: number } | Error>();
    let filesChecked = 0;
    let bytesChecked = 0;
    for (const a of this.evidence.repo.iterateArtifacts(incidentId)) {
      const c = custody.get(a.id);
      if (!c) failures.push({ file: a.name, kind: 'custody', message: 'no evidence.collected timeline entry records this artifact', artifactId: a.id });
      else if (c.sha256 !== a.sha256 || c.size !== a.size)
        failures.push({ file: a.name, kind: 'custody', message: 'artifact row differs from its custody entry', expected: String(c.sha256), actual: String(a.sha256), artifactId: a.id });
      const blob = this.evidence.blobPath(a);
      if (!blob || !a.sha256) continue;
      let result = hashed.get(a.sha256);
      if (!result) {
        try {
          const d = await hashRange(blob, ['sha256']);
          result = { sha256: d.digests.sha256!, size: d.size };
          filesChecked++;
          bytesChecked += d.size;
        } catch (error) {
          result = error instanceof Error ? error : new Error(String(error));
        }
        hashed.set(a.sha256, result);
      }
      if (result instanceof Error) failures.push({ file: blob, kind: 'missing', message: `${a.name}: stored blob cannot be read (${result.message})`, artifactId: a.id });
      else if (result.sha256 !== a.sha256)
        failures.push({ file: blob, kind: 'checksum', message: `${a.name}: stored bytes do not match the hash taken at collection`, algorithm: 'sha256', expected: a.sha256, actual: result.sha256, artifactId: a.id });
      else if (result.size !== a.size) failures.push({ file: blob, kind: 'size', message: `${a.name}: size ${result.size}, recorded ${a.size}`, artifactId: a.id });
    }
    const report: VerificationReport = { ok: failures.length === 0, target: `incident ${incidentId} evidence store`, filesChecked, bytesChecked, failures };
    this.evidence.custody(incidentId, 'evidence.verified', { target: 'store', ok: report.ok, filesChecked, bytesChecked, failureCount: failures.length, failures: failures.slice(0, 50) });
    return report;
  }

  async exportBag(incidentId: number, options: BagExportOptions, exportedBy: string): Promise<BagExportResult> {
    const incident = this.evidence.repo.incidentRow(incidentId);
    if (!incident) throw invalidInput('incidentId', `incident ${incidentId} does not exist`);
    const result = await writeBag(
      {
        incidentId,
        incident: toRecord(incident),
        timeline: this.timeline.iterate(incidentId),
        artifacts: this.evidence.listArtifacts(incidentId),
        blobPath: (a) => this.evidence.blobPath(a),
        exportedAt: Date.parse(this.evidence.nowIso()),
        exportedBy,
        softwareAgent: this.softwareAgent,
        remoteEvidence: this.remoteEvidence(incidentId),
      },
      options,
    );
    this.evidence.custody(incidentId, 'evidence.exported', {
      path: result.path,
      format: result.format,
      payloadOxum: result.payloadOxum,
      tagManifestSha256: result.tagManifestSha256,
      timelineHead: result.timelineHead,
      includeRetracted: options.includeRetracted === true,
      warnings: result.warnings.slice(0, 50),
    });
    return result;
  }

  /**
   * Verifies a bag; if it names an incident of this profile, the result goes on that timeline.
   * A bag of this profile's own chain is also held against it: its head must be an entry of
   * the live chain and one that an export recorded (a bag whose last entries were deleted,
   * with bag-info.txt and every manifest rewritten, still ends at a head never exported).
   */
  async verifyBag(target: string): Promise<BagVerificationReport> {
    let report = await verifyBag(target);
    const id = Number(report.bagInfo['Firebreak-Incident-Id']?.[0]);
    if (Number.isInteger(id) && this.evidence.repo.incidentExists(id)) {
      const anchored = report.timeline ? this.checkAgainstLive(id, report.timeline) : [];
      if (anchored.length) report = { ...report, ok: false, failures: [...report.failures, ...anchored] };
      this.evidence.custody(id, 'evidence.verified', { target: 'bag', path: target, ok: report.ok, filesChecked: report.filesChecked, failureCount: report.failures.length, failures: report.failures.slice(0, 50) });
    }
    return report;
  }

  private checkAgainstLive(incidentId: number, bag: BagTimelineSummary): IntegrityFailure[] {
    const live = new Map<number, string>();
    let firstAt: string | undefined;
    const exported: Array<{ seq: unknown; hash: unknown }> = [];
    for (const e of this.timeline.iterate(incidentId)) {
      live.set(e.seq, e.hash);
      if (e.seq === 1) firstAt = e.at;
      const head = e.kind === 'evidence.exported' ? (e.data.timelineHead as { seq: unknown; hash: unknown } | null | undefined) : undefined;
      if (head) exported.push(head);
    }
    // Another profile's incident with the same number began at another moment: nothing to
    // compare. (A forger who also rewrites the first entry's time escapes this check; the
    // bag's own chain and head checks still apply, see bag-timeline.ts.)
    if (live.get(1) !== bag.firstHash && firstAt !== bag.firstAt) return [];
    const at = `entry ${bag.entries} (${bag.headHash.slice(0, 12)}…)`;
    if (live.get(bag.entries) !== bag.headHash) {
      return [{ file: 'data/timeline.json', kind: 'custody', message: `the bag's timeline ends at ${at}, which is not on this profile's timeline of incident ${incidentId}` }];
    }
    if (exported.length > 0 && !exported.some((h) => h.seq === bag.entries && h.hash === bag.headHash)) {
      return [{ file: 'data/timeline.json', kind: 'custody', message: `the bag's timeline ends at ${at}, but no export of incident ${incidentId} recorded that head: entries were removed from the end` }];
    }
    return [];
  }
}
