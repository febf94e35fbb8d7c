import type { TimelineEntry } from '../../../shared/domain';
import { entryHash, GENESIS_HASH } from '../timeline';
import { REMOTE_EVIDENCE_FILE, timelineCsv } from './bagit';
import type { BagTimelineSummary, IntegrityFailure, RemoteEvidenceItem } from './types';

// What a Firebreak bag says about itself beyond BagIt. Manifests only prove that files match
// manifests, and anyone can recompute those; so a Firebreak bag is also checked against its
// own hash chain (data/timeline.json), against the head written into bag-info.txt at
// export, and each evidence file against the hash its capture entry recorded in that chain.

export const TIMELINE_FILE = 'data/timeline.json';
export const ARTIFACTS_FILE = 'data/evidence/artifacts.json';
export const TIMELINE_CSV_FILE = 'data/timeline.csv';
export const HEAD_HASH_FIELD = 'Firebreak-Timeline-Head-Hash';
export const HEAD_SEQ_FIELD = 'Firebreak-Timeline-Entries';

export interface BagTimelineInput {
  readonly bagInfo: Readonly<Record<string, string[]>>;
  /** The bytes of data/timeline.json, or undefined when the bag has none. */
  readonly timeline: Buffer | undefined;
  readonly artifacts: Buffer | undefined;
  readonly csv: Buffer | undefined;
  /** The sha256 of every payload file as hashed during this verification. */
  readonly sha256: ReadonlyMap<string, string>;
  /** Team mode: evidence the bag lists as held by other laptops (bag-info/remote-evidence.json). */
  readonly remote?: readonly RemoteEvidenceItem[];
}

const isString = (v: unknown): v is string => typeof v === 'string';

function parseJson(file: string, data: Buffer, failures: IntegrityFailure[]): unknown {
  try {
    return JSON.parse(data.toString('utf8')) as unknown;
  } catch (error) {
    failures.push({ file, kind: 'format', message: `not valid JSON (${error instanceof Error ? error.message : String(error)})` });
    return undefined;
  }
}

/** Recomputes the chain; the summary when every entry links and hashes, else undefined. */
function checkChain(list: unknown, incidentId: number | undefined, failures: IntegrityFailure[]): { summary: BagTimelineSummary; entries: TimelineEntry[] } | undefined {
  if (!Array.isArray(list) || list.length === 0) {
    failures.push({ file: TIMELINE_FILE, kind: 'format', message: 'is not a list of timeline entries' });
    return undefined;
  }
  let prev = GENESIS_HASH;
  const entries: TimelineEntry[] = [];
  for (const [index, raw] of list.entries()) {
    const e = raw as Partial<TimelineEntry> | null;
    const at = `entry ${index + 1}`;
    if (!e || typeof e !== 'object' || typeof e.seq !== 'number' || !isString(e.hash) || !isString(e.prevHash) || !isString(e.at) || !isString(e.kind) || typeof e.data !== 'object' || e.data === null) {
      failures.push({ file: TIMELINE_FILE, kind: 'custody', message: `${at}: not a timeline entry (seq, at, kind, data, prevHash, hash)` });
      return undefined;
    }
    const problem =
      e.seq !== index + 1
        ? `sequence gap: expected entry ${index + 1}, found ${e.seq}`
        : incidentId !== undefined && e.incidentId !== incidentId
          ? `belongs to incident ${String(e.incidentId)}, the bag is incident ${incidentId}`
          : e.prevHash !== prev
            ? 'prev_hash does not match the hash of the entry before it'
            : entryHash(prev, { incidentId: e.incidentId!, seq: e.seq, at: e.at, actor: e.actor!, host: e.host!, kind: e.kind, data: e.data, corrects: e.corrects ?? null }) !== e.hash
              ? 'content does not match its hash (the entry was changed after it was written)'
              : undefined;
    if (problem) {
      failures.push({ file: TIMELINE_FILE, kind: 'custody', message: `entry ${e.seq}: ${problem}` });
      return undefined;
    }
    prev = e.hash;
    entries.push(e as TimelineEntry);
  }
  const head = entries[entries.length - 1]!;
  return { summary: { entries: head.seq, firstHash: entries[0]!.hash, firstAt: entries[0]!.at, headHash: head.hash }, entries };
}

/**
 * Checks a Firebreak bag's timeline and evidence custody. Returns the failures and, when the
 * chain itself is sound, its summary (the caller compares it with the live profile).
 */
export function checkBagTimeline(input: BagTimelineInput): { failures: IntegrityFailure[]; timeline?: BagTimelineSummary } {
  const failures: IntegrityFailure[] = [];
  const idText = input.bagInfo['Firebreak-Incident-Id']?.[0];
  const incidentId = idText !== undefined && /^\d+$/.test(idText) ? Number(idText) : undefined;
  if (!input.timeline) {
    failures.push({ file: TIMELINE_FILE, kind: 'missing', message: 'a Firebreak bag holds its timeline; this one has none' });
    return { failures };
  }
  const chain = checkChain(parseJson(TIMELINE_FILE, input.timeline, failures), incidentId, failures);
  if (!chain) return { failures };
  const { summary, entries } = chain;

  // The head written at export: an entry deleted from the end leaves a sound but shorter chain.
  const headHash = input.bagInfo[HEAD_HASH_FIELD]?.[0];
  const headSeq = input.bagInfo[HEAD_SEQ_FIELD]?.[0];
  if (headHash === undefined) failures.push({ file: 'bag-info.txt', kind: 'custody', message: `${HEAD_HASH_FIELD} is missing: the timeline's head cannot be checked` });
  else if (headHash !== summary.headHash || headSeq !== String(summary.entries)) {
    failures.push({
      file: TIMELINE_FILE,
      kind: 'custody',
      message: `the timeline ends at entry ${summary.entries} (${summary.headHash.slice(0, 12)}…), bag-info.txt says entry ${headSeq ?? '?'} (${headHash.slice(0, 12)}…): entries were removed or replaced`,
      expected: headHash,
      actual: summary.headHash,
    });
  }

  // The spreadsheet copy is derived from the chain, so it must say exactly the same.
  if (input.csv && !input.csv.equals(timelineCsv(entries))) failures.push({ file: TIMELINE_CSV_FILE, kind: 'custody', message: `does not match ${TIMELINE_FILE} (the two were exported from the same entries)` });

  // Each evidence file against the hash recorded when it was captured.
  // Evidence collected on another laptop is recorded here but held there: each item the bag
  // lists as remote must be an artifact its timeline records, with the same hash, and is then
  // "not here" instead of missing. (Its id is the other laptop's, so it is keyed by entry too.)
  const remote = new Set<string>();
  for (const r of input.remote ?? []) {
    const entry = entries[r.entrySeq - 1];
    const recorded = entry?.kind === 'evidence.collected' && Array.isArray(entry.data.artifacts) ? (entry.data.artifacts as Array<Record<string, unknown>>).find((a) => a.id === r.artifactId) : undefined;
    if (!recorded || recorded.sha256 !== r.sha256) {
      failures.push({ file: REMOTE_EVIDENCE_FILE, kind: 'custody', message: `lists artifact ${r.artifactId} of entry ${r.entrySeq} (${r.name}), which the bag's timeline does not record${recorded ? ' with that sha256' : ''}`, artifactId: r.artifactId });
      continue;
    }
    remote.add(`${r.entrySeq}:${r.artifactId}`);
  }
  const custody = new Map<number, { sha256: unknown; size: unknown }>();
  // A retracted artifact may be left out of the bag: its retraction is on the (hash-chained) timeline.
  const retracted = new Set<number>();
  for (const e of entries) {
    if (e.kind === 'evidence.retracted' && typeof e.data.artifactId === 'number') retracted.add(e.data.artifactId);
    if (e.kind !== 'evidence.collected' || !Array.isArray(e.data.artifacts)) continue;
    for (const a of e.data.artifacts as Array<Record<string, unknown>>) if (typeof a.id === 'number' && !remote.has(`${e.seq}:${a.id}`)) custody.set(a.id, { sha256: a.sha256, size: a.size });
  }
  if (!input.artifacts) {
    if (custody.size > 0) failures.push({ file: ARTIFACTS_FILE, kind: 'missing', message: `the timeline records ${custody.size} artifacts; the bag has no artifact list` });
    return { failures, timeline: summary };
  }
  const listing = parseJson(ARTIFACTS_FILE, input.artifacts, failures);
  if (!Array.isArray(listing)) {
    if (listing !== undefined) failures.push({ file: ARTIFACTS_FILE, kind: 'format', message: 'is not a list of artifacts' });
    return { failures, timeline: summary };
  }
  const claimed = new Set<string>();
  const listed = new Set<number>();
  for (const raw of listing as Array<Record<string, unknown>>) {
    const id = raw?.id;
    if (typeof id !== 'number') {
      failures.push({ file: ARTIFACTS_FILE, kind: 'format', message: 'an artifact without an id' });
      continue;
    }
    listed.add(id);
    const recorded = custody.get(id);
    const bagPath = raw.bagPath;
    if (!recorded) {
      failures.push({ file: isString(bagPath) ? bagPath : ARTIFACTS_FILE, kind: 'custody', message: `artifact ${id} has no evidence.collected entry in the bag's timeline`, artifactId: id });
      continue;
    }
    if (!isString(bagPath)) {
      if (isString(recorded.sha256) && !retracted.has(id)) failures.push({ file: ARTIFACTS_FILE, kind: 'missing', message: `artifact ${id} was stored at collection but is not in the bag`, artifactId: id });
      continue;
    }
    claimed.add(bagPath);
    const actual = input.sha256.get(bagPath);
    if (actual === undefined) continue; // reported by the manifest check as missing
    if (actual !== recorded.sha256) {
      failures.push({ file: bagPath, kind: 'custody', message: `does not match the sha256 its capture entry recorded (artifact ${id})`, algorithm: 'sha256', expected: String(recorded.sha256), actual, artifactId: id });
    }
  }
  for (const [id, recorded] of custody) {
    if (!listed.has(id) && isString(recorded.sha256) && !retracted.has(id)) failures.push({ file: ARTIFACTS_FILE, kind: 'missing', message: `artifact ${id}, recorded on the timeline, is not in the artifact list`, artifactId: id });
  }
  for (const rel of input.sha256.keys()) {
    if (rel.startsWith('data/evidence/') && rel !== ARTIFACTS_FILE && !claimed.has(rel)) failures.push({ file: rel, kind: 'custody', message: 'no artifact of the timeline names this file' });
  }
  return { failures, timeline: summary };
}
