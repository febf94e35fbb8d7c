import { createHash } from 'node:crypto';
import type { ChainFailure, ChainVerification, TimelineEntry } from '../../shared/domain';
import { canonicalJson } from './canonical-json';
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
    const at = head && Date.parse(head.at) > nowMs ? head.at : new Date(nowMs).toISOString();
    const body = {
      incidentId: request.incidentId,
      seq,
      at,
      actor: this.identity.actor,
      host: this.identity.host,
      kind: request.kind,
      data: request.data,
      corrects: request.corrects ?? null,
    };
    const hash = entryHash(prevHash, body);
    const result = this.insertStmt.run({ ...body, data: canonicalJson(request.data), prevHash, hash });
    return { id: Number(result.lastInsertRowid), ...body, prevHash, hash };
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

  announce(entries: readonly TimelineEntry[]): void {
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

  private rows(incidentId?: number): IterableIterator<TimelineRow> {
    return incidentId === undefined
      ? this.db.prepare<[], TimelineRow>('SELECT * FROM timeline ORDER BY incident_id, seq').iterate()
      : this.db.prepare<[number], TimelineRow>('SELECT * FROM timeline WHERE incident_id = ? ORDER BY seq').iterate(incidentId);
  }

  /**
   * Recomputes every chain (or one incident's) from the stored bytes and names the first
   * entry of each chain that does not match: a changed byte, a gap, or a broken link.
   */
  verify(incidentId?: number): ChainVerification {
    const failures: ChainFailure[] = [];
    const incidents = new Set<number>();
    const broken = new Set<number>();
    let entriesChecked = 0;
    let current = -1;
    let expectedPrev = GENESIS_HASH;
    let expectedSeq = 1;
    for (const row of this.rows(incidentId)) {
      if (row.incident_id !== current) {
        current = row.incident_id;
        expectedPrev = GENESIS_HASH;
        expectedSeq = 1;
        incidents.add(current);
      }
      entriesChecked++;
      if (broken.has(current)) continue;
      const reason = this.checkRow(row, expectedPrev, expectedSeq);
      if (reason) {
        broken.add(current);
        failures.push({ incidentId: row.incident_id, entryId: row.id, seq: row.seq, reason });
        continue;
      }
      expectedPrev = row.hash;
      expectedSeq = row.seq + 1;
    }
    return { ok: failures.length === 0, incidentsChecked: incidents.size, entriesChecked, failures };
  }

  private checkRow(row: TimelineRow, expectedPrev: string, expectedSeq: number): string | undefined {
    if (row.seq !== expectedSeq) return `sequence gap: expected entry ${expectedSeq}, found ${row.seq}`;
    if (row.prev_hash !== expectedPrev) return 'prev_hash does not match the hash of the entry before it';
    let entry: TimelineEntry;
    try {
      entry = toEntry(row);
    } catch {
      return 'data is not valid JSON';
    }
    const { id: _id, prevHash, hash: _hash, ...body } = entry;
    const recomputed = entryHash(prevHash, body);
    if (recomputed !== row.hash) return 'content does not match its hash (the entry was changed after it was written)';
    if (canonicalJson(entry.data) !== row.data) return 'data is not stored in canonical form (the entry was changed after it was written)';
    return undefined;
  }
}
