import type { ChainFailure, ChainHead, ChainVerification, ChainVerifyProgress, TimelineEntry } from '../../shared/domain';
import type { AnchorSet } from './anchors';
import { canonicalJson } from './canonical-json';
import type { Db } from './db/open';
import { entryHashWithData, GENESIS_HASH, toEntry, type TimelineRow } from './timeline';

/** Where the anchors come from: the profile's file, or nothing (a backup checked on its own). */
export interface AnchorSource {
  /** Why anchors cannot be checked, if they cannot. */
  readonly unavailable: string | undefined;
  read(): AnchorSet;
}

/** Rows per page: one page is in memory at a time, so a 1,000,000-entry profile streams. */
const PAGE = 5000;

/** Parses a row, or undefined when its data is not JSON (a failure the check names). */
function parsed(row: TimelineRow): TimelineEntry | undefined {
  try {
    return toEntry(row);
  } catch {
    return undefined;
  }
}

function checkRow(row: TimelineRow, entry: TimelineEntry | undefined, expectedPrev: string, expectedSeq: number): string | undefined {
  if (row.seq !== expectedSeq) return `sequence gap: expected entry ${expectedSeq}, found ${row.seq}`;
  if (row.prev_hash !== expectedPrev) return 'prev_hash does not match the hash of the entry before it';
  if (!entry) return 'data is not valid JSON';
  const { id: _id, prevHash, hash: _hash, data, ...body } = entry;
  const canonicalData = canonicalJson(data);
  if (entryHashWithData(prevHash, body, canonicalData) !== row.hash) return 'content does not match its hash (the entry was changed after it was written)';
  if (canonicalData !== row.data) return 'data is not stored in canonical form (the entry was changed after it was written)';
  return undefined;
}

const short = (hash: string) => `${hash.slice(0, 12)}…`;
const ref = (id: number) => `INC-${String(id).padStart(4, '0')}`;

/**
 * Recomputes every chain (or one incident's) page by page, yielding progress after each
 * page, and compares what it finds with the anchors: an anchored entry with another hash
 * (the chain was rewritten), entries after the head that are gone, whole incidents gone.
 */
export function* verifyChains(
  db: Db,
  incidentId: number | undefined,
  anchors: AnchorSource | undefined,
  /** Gets every readable entry, checked or not, in chain order: a report reads and verifies in one pass. */
  onEntry?: (entry: TimelineEntry) => void,
): Generator<ChainVerifyProgress, ChainVerification> {
  const failures: ChainFailure[] = [];
  const heads: ChainHead[] = [];
  const broken = new Set<number>();
  const anchored = anchors && !anchors.unavailable ? anchors.read() : undefined;
  const entriesTotal =
    incidentId === undefined
      ? db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM timeline').get()!.n
      : db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM timeline WHERE incident_id = ?').get(incidentId)!.n;
  const page =
    incidentId === undefined
      ? db.prepare<[number, number, number], TimelineRow>('SELECT * FROM timeline WHERE (incident_id, seq) > (?, ?) ORDER BY incident_id, seq LIMIT ?')
      : db.prepare<[number, number, number], TimelineRow>('SELECT * FROM timeline WHERE incident_id = ? AND seq > ? ORDER BY seq LIMIT ?');

  let entriesChecked = 0;
  let current: ChainHead | undefined;
  let expectedPrev = GENESIS_HASH;
  let expectedSeq = 1;
  const fail = (failure: ChainFailure) => {
    if (broken.has(failure.incidentId)) return;
    broken.add(failure.incidentId);
    failures.push(failure);
  };
  const endChain = (head: ChainHead) => {
    heads.push(head);
    const bySeq = anchored?.heads.get(head.incidentId);
    if (!bySeq) return;
    const [top, topHashes] = [...bySeq.entries()].reduce((a, b) => (b[0] > a[0] ? b : a));
    if (top > head.seq) {
      // Reported even when the chain broke earlier: what is missing must be named too.
      failures.push({
        incidentId: head.incidentId,
        entryId: 0,
        seq: head.seq + 1,
        reason: `${top === head.seq + 1 ? `entry #${top} is` : `entries #${head.seq + 1}–#${top} are`} missing: the chain ends at #${head.seq} but #${top} (${short(topHashes[0]!.hash)}) was anchored at ${topHashes[0]!.at}`,
      });
      broken.add(head.incidentId);
    }
  };

  let cursor: [number, number] = incidentId === undefined ? [0, 0] : [incidentId, 0];
  for (;;) {
    const rows = page.all(cursor[0], cursor[1], PAGE);
    for (const row of rows) {
      if (row.incident_id !== current?.incidentId) {
        if (current) endChain(current);
        expectedPrev = GENESIS_HASH;
        expectedSeq = 1;
      }
      current = { incidentId: row.incident_id, seq: row.seq, hash: row.hash };
      entriesChecked++;
      const entry = parsed(row);
      if (entry) onEntry?.(entry);
      if (broken.has(row.incident_id)) continue;
      const reason = checkRow(row, entry, expectedPrev, expectedSeq);
      if (reason) {
        fail({ incidentId: row.incident_id, entryId: row.id, seq: row.seq, reason });
        continue;
      }
      const wanted = anchored?.heads.get(row.incident_id)?.get(row.seq);
      const other = wanted?.find((a) => a.hash !== row.hash);
      if (other) {
        fail({
          incidentId: row.incident_id,
          entryId: row.id,
          seq: row.seq,
          reason: `entry #${row.seq} is not the one anchored at ${other.at} (anchored ${short(other.hash)}, found ${short(row.hash)}): the chain was cut and written again`,
        });
        continue;
      }
      expectedPrev = row.hash;
      expectedSeq = row.seq + 1;
    }
    const last = rows.at(-1);
    if (!last || rows.length < PAGE) break;
    cursor = incidentId === undefined ? [last.incident_id, last.seq] : [incidentId, last.seq];
    yield { entriesChecked, entriesTotal };
  }
  if (current) endChain(current);
  yield { entriesChecked, entriesTotal };

  let note: string;
  if (!anchors) note = 'no anchors for this database';
  else if (!anchored) note = `anchors not checked: ${anchors.unavailable}`;
  else {
    const seen = new Set(heads.map((h) => h.incidentId));
    const hasIncident = db.prepare<[number], { id: number }>('SELECT id FROM incidents WHERE id = ?');
    for (const [id, bySeq] of anchored.heads) {
      if (seen.has(id) || (incidentId !== undefined && id !== incidentId)) continue;
      const [top, hashes] = [...bySeq.entries()].reduce((a, b) => (b[0] > a[0] ? b : a));
      const record = hasIncident.get(id) ? '' : ' and so is its incident record';
      failures.push({ incidentId: id, entryId: 0, seq: 1, reason: `all ${top} entries are missing${record}: #${top} (${short(hashes[0]!.hash)}) was anchored at ${hashes[0]!.at}` });
    }
    if (incidentId === undefined && anchored.incidents) {
      const { n, max } = db.prepare<[], { n: number; max: number }>('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS max FROM incidents').get()!;
      const a = anchored.incidents;
      if (n < a.count || max < a.maxId) {
        failures.push({
          incidentId: 0,
          entryId: 0,
          seq: 0,
          reason: `incidents are missing: ${a.count} (up to ${ref(a.maxId)}) were anchored at ${a.at}, ${n} (up to ${ref(max)}) found`,
        });
      }
    }
    for (const problem of anchored.problems) failures.push({ incidentId: 0, entryId: 0, seq: 0, reason: problem });
    const count = [...anchored.heads.values()].length;
    note = `${count} anchored chain${count === 1 ? '' : 's'} compared${anchored.foreign ? `; ${anchored.foreign} anchor lines signed by another key store were not trusted` : ''}`;
  }
  return {
    ok: failures.length === 0,
    incidentsChecked: heads.length,
    entriesChecked,
    failures,
    heads,
    anchors: { checked: anchored !== undefined, note },
  };
}

/** Runs the verification to its end in one go (reports, restore's check of a backup). */
export function verifyNow(db: Db, incidentId: number | undefined, anchors: AnchorSource | undefined): ChainVerification {
  const steps = verifyChains(db, incidentId, anchors);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
  }
}

/** An incident's entries read and verified in the same pass; the verification is there once the entries have all been read. */
export interface VerifiedEntries {
  readonly entries: Iterable<TimelineEntry>;
  verification(): ChainVerification;
}

/**
 * One incident's entries in chain order, each row read and parsed once for both the reader
 * and the chain check (a report needs both). A page of rows is in memory at a time and no
 * statement stays open between pages, so the reader may query the database as it goes.
 */
export function verifiedEntries(db: Db, incidentId: number, anchors: AnchorSource | undefined): VerifiedEntries {
  const page: TimelineEntry[] = [];
  const steps = verifyChains(db, incidentId, anchors, (entry) => page.push(entry));
  let result: ChainVerification | undefined;
  function* entries(): Generator<TimelineEntry> {
    for (;;) {
      const step = steps.next();
      const rows = page.splice(0);
      yield* rows;
      if (step.done) {
        result = step.value;
        return;
      }
    }
  }
  return {
    entries: entries(),
    verification() {
      if (!result) throw new Error('verifiedEntries: read every entry before asking for the verification');
      return result;
    },
  };
}

/**
 * Runs it a page at a time, giving the event loop a turn between pages so the app and the
 * browser host stay responsive (and progress events reach the UI) during a long check.
 */
export async function verifyStreaming(
  db: Db,
  incidentId: number | undefined,
  anchors: AnchorSource | undefined,
  onProgress?: (progress: ChainVerifyProgress) => void,
): Promise<ChainVerification> {
  const steps = verifyChains(db, incidentId, anchors);
  for (;;) {
    const step = steps.next();
    if (step.done) return step.value;
    onProgress?.(step.value);
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}
