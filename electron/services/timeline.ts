import { createHash } from 'node:crypto';
import type { ChainHead, ChainVerification, ChainVerifyProgress, TimelineEntry } from '../../shared/domain';
import { canonicalJson } from './canonical-json';
import { verifiedEntries, verifyNow, verifyStreaming, type AnchorSource, type VerifiedEntries } from './chain-verify';
import type { Clock } from './clock';
import type { Db } from './db/open';
import type { EventBus } from './events';
import type { Identity } from './identity';

export const GENESIS_HASH = '0'.repeat(64);

export interface AppendRequest {
  readonly incidentId: number;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly corrects?: number | null;
  /** Set only by team sync (team/sync.ts) for an entry written on another laptop and already verified. */
  readonly origin?: EntryOrigin;
}

/** Another laptop's entry: its own time and author, and its signed device link (opaque here). */
export interface EntryOrigin {
  readonly at: string;
  readonly actor: string;
  readonly host: string;
  readonly device: unknown;
}

/** A timeline row as stored (snake_case columns); exports read it as it is. */
export interface TimelineRow {
  id: number;
  incident_id: number;
  seq: number;
  at: string;
  actor: string;
  host: string;
  kind: string;
  data: string;
  corrects: number | null;
  prev_hash: string;
  hash: string;
}

/** The bytes that are hashed: everything about the entry except its storage id and hashes. */
export function entryHash(prevHash: string, entry: Omit<TimelineEntry, 'id' | 'prevHash' | 'hash'>): string {
  const body = canonicalJson({
    incidentId: entry.incidentId,
    seq: entry.seq,
    at: entry.at,
    actor: entry.actor,
    host: entry.host,
    kind: entry.kind,
    data: entry.data,
    corrects: entry.corrects,
  });
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

const json = JSON.stringify;

/**
 * The same hash as entryHash, given the data's canonical JSON, which the chain check computes
 * anyway: the body is the canonical JSON with its keys in sorted order and the data spliced in,
 * so the data (most of an entry) is serialised once per check instead of twice.
 */
export function entryHashWithData(prevHash: string, entry: Omit<TimelineEntry, 'id' | 'prevHash' | 'hash' | 'data'>, canonicalData: string): string {
  const { incidentId, seq, at, actor, host, kind, corrects } = entry;
  const plain = typeof at === 'string' && typeof actor === 'string' && typeof host === 'string' && typeof kind === 'string' && Number.isFinite(incidentId) && Number.isFinite(seq);
  if (!plain || (corrects !== null && corrects !== undefined && !Number.isFinite(corrects))) {
    return entryHash(prevHash, { ...entry, data: JSON.parse(canonicalData) as Record<string, unknown> });
  }
  const correctsPart = corrects === undefined ? '' : `"corrects":${json(corrects)},`;
  const body = `{"actor":${json(actor)},"at":${json(at)},${correctsPart}"data":${canonicalData},"host":${json(host)},"incidentId":${json(incidentId)},"kind":${json(kind)},"seq":${json(seq)}}`;
  return createHash('sha256').update(prevHash).update(body).digest('hex');
}

/** A stored row as the contract's entry (also for the UI's paged reads, timeline-pages.ts). */
export function toEntry(row: TimelineRow): TimelineEntry {
  return {
    id: row.id,
    incidentId: row.incident_id,
    seq: row.seq,
    at: row.at,
    actor: row.actor,
    host: row.host,
    kind: row.kind,
    data: JSON.parse(row.data) as Record<string, unknown>,
    corrects: row.corrects,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * The append-only, hash-chained timeline. Each incident has its own chain:
 * `hash = sha256(prev_hash || canonical JSON of the entry)`, the first entry chaining
 * from GENESIS_HASH. Triggers refuse UPDATE and DELETE; `verify` recomputes every chain.
 */
export class TimelineService {
  private readonly headStmt;
  private readonly insertStmt;
  private readonly listStmt;
  private readonly getStmt;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly identity: Identity,
    private readonly events?: EventBus,
    /** Chain heads kept outside the database (anchors.ts); absent for a backup checked on its own. */
    private readonly anchors?: AnchorSource & { record(heads: readonly ChainHead[]): void },
    /** Team mode's per-device signed chains (team/device-chain.ts), extended in the same transaction. */
    private readonly devices?: { onAppend(entry: TimelineEntry, origin?: EntryOrigin): void },
  ) {
    this.headStmt = db.prepare<[number], Pick<TimelineRow, 'seq' | 'hash' | 'at'>>(
      'SELECT seq, hash, at FROM timeline WHERE incident_id = ? ORDER BY seq DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO timeline (incident_id, seq, at, actor, host, kind, data, corrects, prev_hash, hash)
       VALUES (@incidentId, @seq, @at, @actor, @host, @kind, @data, @corrects, @prevHash, @hash)`,
    );
    this.listStmt = db.prepare<[number, number], TimelineRow>(
      'SELECT * FROM timeline WHERE incident_id = ? AND seq > ? ORDER BY seq',
    );
    this.getStmt = db.prepare<[number], TimelineRow>('SELECT * FROM timeline WHERE id = ?');
  }

  /**
   * Appends inside the caller's transaction and returns the entry without announcing it;
   * the caller emits once its transaction has committed (see `announce`).
   */
  appendInTransaction(request: AppendRequest): TimelineEntry {
    const head = this.headStmt.get(request.incidentId);
    const prevHash = head?.hash ?? GENESIS_HASH;
    const seq = (head?.seq ?? 0) + 1;
    // Times never run backwards within a chain, even if the wall clock does.
    const nowMs = this.clock.now();
    const at = request.origin?.at ?? (head && Date.parse(head.at) > nowMs ? head.at : new Date(nowMs).toISOString());
    const body = {
      incidentId: request.incidentId,
      seq,
      at,
      actor: request.origin?.actor ?? this.identity.actor,
      host: request.origin?.host ?? this.identity.host,
      kind: request.kind,
      data: request.data,
      corrects: request.corrects ?? null,
    };
    const hash = entryHash(prevHash, body);
    const result = this.insertStmt.run({ ...body, data: canonicalJson(request.data), prevHash, hash });
    const entry = { id: Number(result.lastInsertRowid), ...body, prevHash, hash };
    this.devices?.onAppend(entry, request.origin);
    return entry;
  }

  /** One durable append: its own IMMEDIATE transaction, announced after commit. */
  append(request: AppendRequest): TimelineEntry {
    const entry = this.db.transaction(() => this.appendInTransaction(request)).immediate();
    this.announce([entry]);
    return entry;
  }

  /** Many appends in one transaction (imports, bursts of alerts). */
  appendMany(requests: readonly AppendRequest[]): TimelineEntry[] {
    const entries = this.db.transaction(() => requests.map((r) => this.appendInTransaction(r))).immediate();
    this.announce(entries);
    return entries;
  }

  /** Called once the appending transaction has committed: anchors the new heads, then tells the UI. */
  announce(entries: readonly TimelineEntry[]): void {
    if (entries.length > 0) this.anchors?.record(entries.map((e) => ({ incidentId: e.incidentId, seq: e.seq, hash: e.hash })));
    if (!this.events) return;
    for (const entry of entries) this.events.emit('timeline.appended', { entry });
  }

  list(incidentId: number, afterSeq = 0): TimelineEntry[] {
    return this.listStmt.all(incidentId, afterSeq).map(toEntry);
  }

  get(id: number): TimelineEntry | undefined {
    const row = this.getStmt.get(id);
    return row ? toEntry(row) : undefined;
  }

  /** Streams entries in chain order without loading them all (exports, reports). */
  *iterate(incidentId?: number): Generator<TimelineEntry> {
    for (const row of this.rows(incidentId)) yield toEntry(row);
  }

  /** One incident's entries of these kinds, in chain order: a section that needs a few kinds parses only those (index on incident, kind). */
  *iterateKinds(incidentId: number, kinds: readonly string[]): Generator<TimelineEntry> {
    if (kinds.length === 0) return;
    const rows = this.db
      .prepare<[number, ...string[]], TimelineRow>(`SELECT * FROM timeline WHERE incident_id = ? AND kind IN (${kinds.map(() => '?').join(', ')}) ORDER BY seq`)
      .iterate(incidentId, ...kinds);
    for (const row of rows) yield toEntry(row);
  }

  private rows(incidentId?: number): IterableIterator<TimelineRow> {
    return incidentId === undefined
      ? this.db.prepare<[], TimelineRow>('SELECT * FROM timeline ORDER BY incident_id, seq').iterate()
      : this.db.prepare<[number], TimelineRow>('SELECT * FROM timeline WHERE incident_id = ? ORDER BY seq').iterate(incidentId);
  }

  /**
   * Recomputes every chain (or one incident's) from the stored bytes, page by page, names the
   * first entry of each chain that does not match (a changed byte, a gap, a broken link) and
   * what the anchors say is missing (chain-verify.ts).
   */
  verify(incidentId?: number): ChainVerification {
    return verifyNow(this.db, incidentId, this.anchors);
  }

  /** One incident's entries and their chain's verification from one read of the rows (reports). */
  readVerified(incidentId: number): VerifiedEntries {
    return verifiedEntries(this.db, incidentId, this.anchors);
  }

  /** The same, yielding to the event loop between pages and reporting progress (1,000,000 entries). */
  verifyStreaming(incidentId?: number, onProgress?: (progress: ChainVerifyProgress) => void): Promise<ChainVerification> {
    return verifyStreaming(this.db, incidentId, this.anchors, onProgress);
  }
}
