import type { Statement } from 'better-sqlite3';
import { createHash, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { TimelineEntry } from '../../../shared/domain';
import { canonicalJson } from '../canonical-json';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { SecretStore } from '../probes/secret-store';
import { GENESIS_HASH, toEntry, type EntryOrigin, type TimelineRow } from '../timeline';
import { loadDeviceKey, publicKeyObject, type DeviceKey } from './keys';

/**
 * What a device signs for one entry. Local numbers (incident id, #seq, row id) differ on every
 * laptop, so the body names the incident by its UUID and a corrected entry by device:seq.
 */
export interface DeviceBody {
  readonly incident: string;
  readonly device: string;
  readonly deviceSeq: number;
  readonly at: string;
  readonly actor: string;
  readonly host: string;
  readonly kind: string;
  readonly data: Readonly<Record<string, unknown>>;
  readonly corrects: string | null;
}

export function deviceEntryHash(devicePrev: string, body: DeviceBody): string {
  return createHash('sha256').update(devicePrev).update(canonicalJson({ v: 1, ...body })).digest('hex');
}

/** An entry's place in its device's chain, as signed by that device (and as it travels). */
export interface DeviceLink {
  readonly device: string;
  readonly deviceSeq: number;
  readonly devicePrev: string;
  readonly deviceHash: string;
  readonly signature: string;
}

export type DeviceState = 'self' | 'pending' | 'approved' | 'revoked';

export interface DeviceInfo {
  readonly deviceId: string;
  readonly name: string;
  readonly publicKey: string | null;
  readonly fingerprint: string | null;
  readonly state: DeviceState;
  readonly addedAt: string;
}

export interface DeviceChainFailure {
  readonly incidentId: number;
  readonly deviceId: string;
  /** 0 when the entry is missing. */
  readonly entryId: number;
  readonly deviceSeq: number;
  readonly reason: string;
}

export interface DeviceVerification {
  readonly ok: boolean;
  readonly chainsChecked: number;
  readonly entriesChecked: number;
  /** Entries written before this profile had a device identity (migration 16): in no device chain. */
  readonly legacyEntries: number;
  readonly failures: readonly DeviceChainFailure[];
}

interface DeviceRow {
  device_id: string;
  public_key: string | null;
  fingerprint: string | null;
  name: string;
  state: DeviceState;
  added_at: string;
}

interface ChainRow {
  entry_id: number;
  incident_id: number;
  device_id: string;
  device_seq: number;
  device_prev: string;
  device_hash: string;
  signature: string | null;
  t_incident: number;
  at: string;
  actor: string;
  host: string;
  kind: string;
  data: string;
  uid: string;
  corrects: number | null;
  c_device: string | null;
  c_seq: number | null;
  c_tseq: number | null;
}

const toInfo = (row: DeviceRow): DeviceInfo => ({
  deviceId: row.device_id,
  name: row.name,
  publicKey: row.public_key,
  fingerprint: row.fingerprint,
  state: row.state,
  addedAt: row.added_at,
});

/** Pending entries signed per transaction: ~45 ms of Ed25519 signing, then the event loop gets a turn. */
export const SIGN_CHUNK = 500;

/**
 * This profile's device identity and every device's chain per incident. The device id is made
 * at once (the appends of this process need it); the Ed25519 key comes from the secret store,
 * which is asynchronous, so entries appended before it loads are signed when it arrives.
 */
export class DeviceChain {
  readonly deviceId: string;
  private key: DeviceKey | undefined;
  private loadError: string | undefined;
  private readonly loading: Promise<void>;
  private readonly headStmt;
  private readonly insertStmt;
  private readonly uidStmt;
  private readonly correctsStmt;
  /** Chunks of pending entries signed since the key loaded (tests check that requests get between them). */
  signedChunks = 0;
  private queued: { entryId: number; deviceHash: string }[] = [];
  private flushScheduled = false;
  private signQueuedStmt: Statement | undefined;
  private linkStmt: Statement<[number, string, number], { entry_id: number; device_hash: string }> | undefined;

  constructor(private readonly options: { readonly db: Db; readonly clock: Clock; readonly secrets: SecretStore; readonly name?: string }) {
    const { db } = options;
    // Two processes opening a new profile at once: the unique index on is_self keeps one.
    db.prepare(`INSERT OR IGNORE INTO team_devices (device_id, name, is_self, state, added_at) VALUES (?, ?, 1, 'self', ?)`).run(
      randomUUID(),
      options.name ?? '',
      new Date(options.clock.now()).toISOString(),
    );
    this.deviceId = db.prepare<[], { device_id: string }>('SELECT device_id FROM team_devices WHERE is_self = 1').get()!.device_id;
    this.headStmt = db.prepare<[number, string], { device_seq: number; device_hash: string }>(
      'SELECT device_seq, device_hash FROM device_entries WHERE incident_id = ? AND device_id = ? ORDER BY device_seq DESC LIMIT 1',
    );
    this.insertStmt = db.prepare(
      `INSERT INTO device_entries (entry_id, incident_id, device_id, device_seq, device_prev, device_hash, signature)
       VALUES (@entryId, @incidentId, @deviceId, @deviceSeq, @devicePrev, @deviceHash, @signature)`,
    );
    this.uidStmt = db.prepare<[number], { uid: string }>('SELECT uid FROM incidents WHERE id = ?');
    this.correctsStmt = db.prepare<[number], { device_id: string | null; device_seq: number | null; seq: number }>(
      'SELECT d.device_id, d.device_seq, t.seq FROM timeline t LEFT JOIN device_entries d ON d.entry_id = t.id WHERE t.id = ?',
    );
    this.loading = this.load();
  }

  /** Resolves once the key is loaded and every entry appended before that is signed. */
  async ready(): Promise<void> {
    await this.loading;
  }

  /** Why entries cannot be signed, if they cannot (a damaged secret store, a replaced key). */
  get unavailable(): string | undefined {
    return this.loadError;
  }

  incidentUid(incidentId: number): string | undefined {
    return this.uidStmt.get(incidentId)?.uid;
  }

  self(): DeviceInfo {
    return toInfo(this.options.db.prepare<[], DeviceRow>('SELECT * FROM team_devices WHERE is_self = 1').get()!);
  }

  list(): DeviceInfo[] {
    return this.options.db.prepare<[], DeviceRow>('SELECT * FROM team_devices ORDER BY is_self DESC, added_at, device_id').all().map(toInfo);
  }

  /**
   * Called by the timeline inside the appending transaction, right after the row is inserted:
   * the entry becomes this device's next link for its incident, signed if the key is here.
   */
  onAppend(entry: TimelineEntry, origin?: EntryOrigin): void {
    if (origin) {
      // Another laptop's entry, checked by team sync before it got here: its link is kept as signed.
      const link = origin.device as DeviceLink;
      this.insertStmt.run({ entryId: entry.id, incidentId: entry.incidentId, deviceId: link.device, deviceSeq: link.deviceSeq, devicePrev: link.devicePrev, deviceHash: link.deviceHash, signature: link.signature });
      return;
    }
    const head = this.headStmt.get(entry.incidentId, this.deviceId);
    const devicePrev = head?.device_hash ?? GENESIS_HASH;
    const deviceSeq = (head?.device_seq ?? 0) + 1;
    const body = this.bodyOf(entry, this.deviceId, deviceSeq);
    const deviceHash = deviceEntryHash(devicePrev, body);
    // Signing (Ed25519, ~90 µs) is the largest part of an append's team overhead, so it is not
    // done here: the link is stored unsigned and signed right after, in one batch per turn of
    // the event loop. Anything that reads signatures (pushes, verify) signs the queue first.
    this.insertStmt.run({ entryId: entry.id, incidentId: entry.incidentId, deviceId: this.deviceId, deviceSeq, devicePrev, deviceHash, signature: null });
    if (!this.key) return; // signed by signPending once the key loads
    this.queued.push({ entryId: entry.id, deviceHash });
    this.scheduleSigning(0);
  }

  /**
   * Signs the queue on a later turn of the event loop. Nothing may throw out of that turn: a
   * statement still being iterated on this connection (a streamed verify or export yields
   * between rows) makes every write fail with "busy", so the queue waits and is tried again.
   */
  private scheduleSigning(delayMs: number): void {
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    const run = () => {
      this.flushScheduled = false;
      try {
        this.signQueued();
      } catch (error) {
        if (!this.options.db.open) return; // closed meanwhile: signPending finishes it at the next start
        if (error instanceof Error && /busy/i.test(error.message)) this.scheduleSigning(20);
        else console.error(`firebreak: signing device-chain links failed, retrying at the next append or read: ${error instanceof Error ? error.message : String(error)}`);
      }
    };
    if (delayMs > 0) setTimeout(run, delayMs).unref();
    else setImmediate(run);
  }

  /**
   * Signs this device's links appended since the last call, in one transaction. The hash is
   * part of the match, so a link whose append was rolled back (its entry id maybe reused by
   * another row) is passed over rather than given a signature of another content.
   */
  signQueued(): void {
    const { db } = this.options;
    if (!this.key || this.queued.length === 0 || !db.open) return;
    const key = this.key;
    // Taken off the queue only once written, so a failed transaction leaves it to the next try.
    const batch = this.queued.slice();
    this.signQueuedStmt ??= db.prepare('UPDATE device_entries SET signature = ? WHERE entry_id = ? AND device_hash = ? AND signature IS NULL');
    const update = this.signQueuedStmt;
    db.transaction(() => {
      for (const link of batch) update.run(sign(null, Buffer.from(link.deviceHash, 'utf8'), key.privateKey).toString('base64'), link.entryId, link.deviceHash);
    })();
    this.queued.splice(0, batch.length);
  }

  /** The last link of a device's chain for an incident (team sync checks a remote entry against it). */
  head(incidentId: number, deviceId: string): { deviceSeq: number; deviceHash: string } | undefined {
    const row = this.headStmt.get(incidentId, deviceId);
    return row ? { deviceSeq: row.device_seq, deviceHash: row.device_hash } : undefined;
  }

  /** The hash a device signed for the entry at device:seq, if this laptop has it. */
  linkAt(incidentId: number, deviceId: string, deviceSeq: number): { entryId: number; deviceHash: string } | undefined {
    this.linkStmt ??= this.options.db.prepare<[number, string, number], { entry_id: number; device_hash: string }>(
      'SELECT entry_id, device_hash FROM device_entries WHERE incident_id = ? AND device_id = ? AND device_seq = ?',
    );
    const row = this.linkStmt.get(incidentId, deviceId, deviceSeq);
    return row ? { entryId: row.entry_id, deviceHash: row.device_hash } : undefined;
  }

  /** This device's signed entries of an incident after device:seq, as they travel (team sync's pushes). */
  ownAfter(incidentId: number, afterSeq: number, limit: number): (DeviceLink & DeviceBody)[] {
    this.signQueued();
    const rows = this.options.db
      .prepare<[number, string, number, number], { entry_id: number; device_seq: number; device_prev: string; device_hash: string; signature: string | null }>(
        'SELECT entry_id, device_seq, device_prev, device_hash, signature FROM device_entries WHERE incident_id = ? AND device_id = ? AND device_seq > ? ORDER BY device_seq LIMIT ?',
      )
      .all(incidentId, this.deviceId, afterSeq, limit);
    const out: (DeviceLink & DeviceBody)[] = [];
    const get = this.options.db.prepare<[number], TimelineRow>('SELECT * FROM timeline WHERE id = ?');
    for (const row of rows) {
      if (row.signature === null) break; // not signed yet: pushed once the key has loaded
      const entry = get.get(row.entry_id)!;
      const body = this.bodyOf(toEntry(entry), this.deviceId, row.device_seq);
      out.push({ ...body, devicePrev: row.device_prev, deviceHash: row.device_hash, signature: row.signature });
    }
    return out;
  }

  /** Records (or updates) another device as this laptop last saw it in the team's registry. */
  upsertDevice(device: { deviceId: string; publicKey: string; fingerprint: string; name: string; state: Exclude<DeviceState, 'self'> }): void {
    this.options.db
      .prepare(
        `INSERT INTO team_devices (device_id, public_key, fingerprint, name, is_self, state, added_at) VALUES (@deviceId, @publicKey, @fingerprint, @name, 0, @state, @addedAt)
         ON CONFLICT (device_id) DO UPDATE SET state = excluded.state, name = excluded.name WHERE team_devices.is_self = 0 AND team_devices.public_key = excluded.public_key`,
      )
      .run({ ...device, addedAt: new Date(this.options.clock.now()).toISOString() });
  }

  /** Signs with this device's key (approvals of other devices). */
  signText(text: string): string {
    if (!this.key) throw new Error(this.loadError ?? 'the device key has not loaded yet');
    return sign(null, Buffer.from(text, 'utf8'), this.key.privateKey).toString('base64');
  }

  private bodyOf(entry: TimelineEntry, device: string, deviceSeq: number): DeviceBody {
    return {
      incident: this.incidentUid(entry.incidentId) ?? '',
      device,
      deviceSeq,
      at: entry.at,
      actor: entry.actor,
      host: entry.host,
      kind: entry.kind,
      data: entry.data,
      corrects: entry.corrects === null ? null : this.correctsRef(entry.corrects),
    };
  }

  private correctsRef(entryId: number): string {
    const row = this.correctsStmt.get(entryId);
    if (!row) return `entry:${entryId}`;
    // An entry from before device identity has no device:seq; its incident #seq names it.
    return row.device_id === null ? `legacy:${row.seq}` : `${row.device_id}:${row.device_seq}`;
  }

  private async load(): Promise<void> {
    try {
      const key = await loadDeviceKey(this.options.secrets);
      const { db } = this.options;
      const self = this.self();
      if (self.publicKey === null) {
        db.prepare('UPDATE team_devices SET public_key = ?, fingerprint = ? WHERE is_self = 1 AND public_key IS NULL').run(key.publicKey, key.fingerprint);
      }
      const registered = db.prepare<[], { public_key: string }>('SELECT public_key FROM team_devices WHERE is_self = 1').get()!.public_key;
      if (registered !== key.publicKey) {
        this.loadError = `the device key in the secret store (${key.fingerprint}) is not the one this profile registered (${self.fingerprint}); entries are left unsigned`;
        return;
      }
      this.key = key;
      await this.signPending();
    } catch (error) {
      this.loadError = `device key unavailable: ${(error as Error).message}`;
    }
  }

  /**
   * Signs this device's entries appended before the key loaded (the only UPDATE the trigger
   * allows). A profile can hold 100,000 of them (a long offline incident with a locked secret
   * store): signing them in one transaction held the event loop for ~20 s, so they are signed
   * in chunks of SIGN_CHUNK, yielding between chunks so requests and timers get through. The
   * read walks entry_id forward (the primary key), so each row is looked at once overall and no
   * partial index is needed; entries appended meanwhile are signed as they are appended.
   */
  private async signPending(): Promise<void> {
    const { db } = this.options;
    const key = this.key!;
    const next = db.prepare<[number, string, number], { entry_id: number; device_hash: string }>(
      'SELECT entry_id, device_hash FROM device_entries WHERE entry_id > ? AND device_id = ? AND signature IS NULL ORDER BY entry_id LIMIT ?',
    );
    const update = db.prepare('UPDATE device_entries SET signature = ? WHERE entry_id = ? AND signature IS NULL');
    const signChunk = db.transaction((after: number): number | undefined => {
      let last: number | undefined;
      for (const row of next.all(after, this.deviceId, SIGN_CHUNK)) {
        update.run(sign(null, Buffer.from(row.device_hash, 'utf8'), key.privateKey).toString('base64'), row.entry_id);
        last = row.entry_id;
      }
      return last;
    });
    let after = 0;
    // A profile closed mid-way leaves the rest unsigned; the next start signs them.
    while (db.open) {
      const last = signChunk.immediate(after);
      if (last === undefined) return;
      after = last;
      this.signedChunks++;
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Checks every device's chain per incident (or one incident's): each link's content against
   * its hash, the link to the entry before it, its Ed25519 signature by the device's registered
   * key, and the sequence for gaps (entries withheld). Also names entries written after device
   * identity existed that belong to no device chain.
   */
  verify(incidentId?: number): DeviceVerification {
    const { db } = this.options;
    this.signQueued();
    const failures: DeviceChainFailure[] = [];
    const keys = new Map<string, KeyObject | string>();
    for (const device of this.list()) {
      if (device.state === 'revoked') keys.set(device.deviceId, `device ${device.deviceId} is revoked`);
      else if (device.publicKey === null) keys.set(device.deviceId, `device ${device.deviceId} has no registered key`);
      else keys.set(device.deviceId, publicKeyObject(device.publicKey));
    }
    const where = incidentId === undefined ? '' : 'WHERE d.incident_id = ?';
    const rows = db
      .prepare<unknown[], ChainRow>(
        `SELECT d.*, t.incident_id AS t_incident, t.at, t.actor, t.host, t.kind, t.data, t.corrects, i.uid,
                c.device_id AS c_device, c.device_seq AS c_seq, ct.seq AS c_tseq
         FROM device_entries d
         JOIN timeline t ON t.id = d.entry_id
         JOIN incidents i ON i.id = d.incident_id
         LEFT JOIN device_entries c ON c.entry_id = t.corrects
         LEFT JOIN timeline ct ON ct.id = t.corrects
         ${where}
         ORDER BY d.incident_id, d.device_id, d.device_seq`,
      )
      .iterate(...(incidentId === undefined ? [] : [incidentId]));

    let chain = '';
    let broken = false;
    let expectedSeq = 1;
    let expectedPrev = GENESIS_HASH;
    let chains = 0;
    let entries = 0;
    for (const row of rows) {
      const id = `${row.incident_id}/${row.device_id}`;
      if (id !== chain) {
        chain = id;
        chains++;
        broken = false;
        expectedSeq = 1;
        expectedPrev = GENESIS_HASH;
      }
      entries++;
      if (broken) continue;
      const fail = (reason: string) => {
        failures.push({ incidentId: row.incident_id, deviceId: row.device_id, entryId: row.entry_id, deviceSeq: row.device_seq, reason });
        broken = true;
      };
      if (row.device_seq !== expectedSeq) {
        // Withheld entries: named, and the check goes on from the entry after the gap.
        const missing = row.device_seq - expectedSeq;
        failures.push({
          incidentId: row.incident_id,
          deviceId: row.device_id,
          entryId: 0,
          deviceSeq: expectedSeq,
          reason: `gap in device ${row.device_id}'s chain: ${missing === 1 ? `entry ${expectedSeq} is` : `entries ${expectedSeq}–${row.device_seq - 1} are`} missing (withheld or deleted)`,
        });
        expectedPrev = row.device_prev;
      }
      if (row.t_incident !== row.incident_id) {
        fail(`device entry ${row.device_id}:${row.device_seq} claims another incident than its timeline entry`);
        continue;
      }
      if (row.device_prev !== expectedPrev) {
        fail(`broken chain: entry ${row.device_id}:${row.device_seq} does not link to the hash of entry ${row.device_seq - 1}`);
        continue;
      }
      let data: Record<string, unknown>;
      try {
        data = JSON.parse(row.data) as Record<string, unknown>;
      } catch {
        fail(`entry ${row.device_id}:${row.device_seq}: data is not valid JSON`);
        continue;
      }
      const corrects = row.corrects === null ? null : row.c_device !== null ? `${row.c_device}:${row.c_seq}` : row.c_tseq !== null ? `legacy:${row.c_tseq}` : `entry:${row.corrects}`;
      const body: DeviceBody = { incident: row.uid, device: row.device_id, deviceSeq: row.device_seq, at: row.at, actor: row.actor, host: row.host, kind: row.kind, data, corrects };
      if (deviceEntryHash(row.device_prev, body) !== row.device_hash) {
        fail(`forged entry ${row.device_id}:${row.device_seq}: its content does not match the hash its device signed`);
        continue;
      }
      const key = keys.get(row.device_id);
      if (key === undefined) fail(`entry ${row.device_id}:${row.device_seq} comes from an unknown device`);
      else if (typeof key === 'string') fail(`entry ${row.device_id}:${row.device_seq}: ${key}`);
      else if (row.signature === null) fail(`entry ${row.device_id}:${row.device_seq} is not signed${row.device_id === this.deviceId && this.loadError ? ` (${this.loadError})` : ''}`);
      else if (!verify(null, Buffer.from(row.device_hash, 'utf8'), key, Buffer.from(row.signature, 'base64'))) {
        fail(`forged entry ${row.device_id}:${row.device_seq}: the signature is not its device's`);
        continue;
      }
      expectedPrev = row.device_hash;
      expectedSeq = row.device_seq + 1;
    }

    const legacyMax = Number(db.prepare<[], { value: string }>("SELECT value FROM team_meta WHERE key = 'legacy_max_entry'").get()?.value ?? 0);
    const orphanWhere = incidentId === undefined ? '' : 'AND t.incident_id = ?';
    const args = incidentId === undefined ? [legacyMax] : [legacyMax, incidentId];
    for (const row of db
      .prepare<unknown[], { id: number; incident_id: number; seq: number }>(
        `SELECT t.id, t.incident_id, t.seq FROM timeline t LEFT JOIN device_entries d ON d.entry_id = t.id
         WHERE t.id > ? AND d.entry_id IS NULL ${orphanWhere} ORDER BY t.id LIMIT 100`,
      )
      .all(...args)) {
      failures.push({ incidentId: row.incident_id, deviceId: '', entryId: row.id, deviceSeq: 0, reason: `entry #${row.seq} is in no device chain (its device record was removed)` });
    }
    const legacy = incidentId === undefined
      ? db.prepare<[number], { n: number }>('SELECT COUNT(*) AS n FROM timeline WHERE id <= ?').get(legacyMax)!.n
      : db.prepare<[number, number], { n: number }>('SELECT COUNT(*) AS n FROM timeline WHERE id <= ? AND incident_id = ?').get(legacyMax, incidentId)!.n;
    return { ok: failures.length === 0, chainsChecked: chains, entriesChecked: entries, legacyEntries: legacy, failures };
  }
}
