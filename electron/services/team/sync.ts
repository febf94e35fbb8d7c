import { verify } from 'node:crypto';
import type { Statement } from 'better-sqlite3';
import fs from 'node:fs';
import type { Redis, RedisOptions } from 'ioredis';
import { loadRedis } from '../ioredis';
import { connectionErrorText, parseTeamUrl, redisOptions, TeamError, teamTarget } from './redis-url';
import type { IncidentView, TimelineEntry } from '../../../shared/domain';
import type { TeamStatus } from '../../../shared/channels/team';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { EventBus } from '../events';
import type { SecretStore } from '../probes/secret-store';
import type { TimelineService } from '../timeline';
import { deviceEntryHash, type DeviceChain } from './device-chain';
import { fingerprintOf, publicKeyObject } from './keys';
import path from 'node:path';
import { DEFAULT_BLOB_CAP, fetchBlob, listBlobs, pushBlobs, type BlobPushResult, type PushedBlob } from './blobs';
import { MERGED_KINDS, recomputeIncident } from './merge';
import { VerifyPool, type SignatureCheck } from './verify-pool';
import { approvalText, issueText, keys, PUSH_SCRIPT, wireDeviceSchema, wireEntrySchema, wireIncidentSchema, type WireDevice, type WireEntry } from './wire';

/** Secret-store ref of the Redis password (the URL kept in the database has none). */
export const TEAM_PASSWORD_REF = 'firebreak.team.redis';

export interface TeamConfig {
  readonly url: string;
  readonly team: string;
  readonly caFile: string | null;
  readonly founder: string;
  readonly founderKey: string;
  readonly joinedAt: string;
}

// The status shape is part of the contract (the Team screen shows it too).
export type { TeamStatus };

export { parseTeamUrl, TeamError };

const TEAM_NAME = /^[A-Za-z0-9._-]{1,64}$/;

export interface TeamSyncOptions {
  readonly db: Db;
  readonly clock: Clock;
  readonly secrets: SecretStore;
  readonly devices: DeviceChain;
  readonly timeline: TimelineService;
  readonly events: EventBus;
  /** How long a blocking read waits for new entries (tests shorten it). */
  readonly blockMs?: number;
  /**
   * The incident as the UI shows it, for the `incidents.changed` event after a merge changed it
   * (its status, fields, SLA pauses or entry count), so an open incident refreshes without a reload.
   */
  readonly incidentView?: (incidentId: number) => IncidentView;
  /** The profile folder (fetched evidence blobs go under incidents/ID/team-evidence). */
  readonly home?: string;
  /** Where a local artifact's blob lives (evidence/service.ts storeFor(id).pathFor(sha)). */
  readonly evidenceBlob?: (incidentId: number, sha256: string) => string;
  /** Threads verifying signatures of big batches (default: up to 4, one per core); 0 verifies on the main thread (the bench's baseline). */
  readonly verifyWorkers?: number;
}

/** The merged entry, or why nothing was merged. */
type Outcome = TimelineEntry | 'duplicate' | 'own' | 'quarantined';

/** Entries merged per transaction (and verified per round trip to the workers). */
const CHUNK = 500;

/** A remote entry after the checks that need no database; `applyOne` does the rest. */
interface Checked {
  readonly streamId: string;
  readonly text: string;
  /** Unparseable or malformed: why. */
  readonly reason?: string;
  readonly entry?: WireEntry;
  readonly hashMatches?: boolean;
  readonly approved?: boolean;
  /** To verify: the entry is past its device's head, its content matches its hash and its device is approved. */
  signature?: SignatureCheck;
  signed?: boolean;
}

/**
 * Syncs shared incidents through Redis Streams. Local writes never wait for it: appends go to
 * SQLite as always; this pushes each device's signed entries afterwards (idempotently, by
 * device:seq) and merges the others' entries after checking device approval, chain and signature.
 */
export class TeamSync {
  private client: Redis | undefined;
  private reader: Redis | undefined;
  private running = false;
  private connected = false;
  private offlineSince: string | null = null;
  private lastError: string | null = null;
  private pushWanted = false;
  private pushing: Promise<void> | undefined;
  private unsubscribe: (() => void) | undefined;
  private readonly verifier: VerifyPool;
  /** Whether the last registry read found a signed approval chain from the founder to this device. */
  private selfApproved = false;

  private prepared: { advance: Statement<[string, number]>; quarantine: Statement<[string, string, number, string, string, string, string]> } | undefined;

  constructor(private readonly o: TeamSyncOptions) {
    this.verifier = new VerifyPool(o.verifyWorkers);
  }

  /** Prepared once, on first use (the tables exist only once migrations ran). */
  private stmts() {
    this.prepared ??= {
      advance: this.o.db.prepare<[string, number]>('UPDATE team_shared SET stream_pos = ? WHERE incident_id = ?'),
      quarantine: this.o.db.prepare<[string, string, number, string, string, string, string]>(
        'INSERT OR IGNORE INTO team_quarantine (incident_uid, device_id, device_seq, stream_id, reason, payload, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
    };
    return this.prepared;
  }

  /** Whether this device was approved at the last read of the team's registry (the founder always is). */
  get approved(): boolean {
    return this.selfApproved;
  }

  config(): TeamConfig | undefined {
    const row = this.o.db.prepare<[], { url: string; team: string; ca_file: string | null; founder: string; founder_key: string; joined_at: string }>('SELECT * FROM team_config WHERE id = 1').get();
    return row ? { url: row.url, team: row.team, caFile: row.ca_file, founder: row.founder, founderKey: row.founder_key, joinedAt: row.joined_at } : undefined;
  }

  /** Joins a team: registers this device (the first device of a team approves itself) and pins the founder's key. */
  async join(urlText: string, team: string, caFile?: string): Promise<{ approved: boolean; founder: boolean }> {
    if (!TEAM_NAME.test(team)) throw new TeamError('a team name is 1–64 letters, digits, dot, dash or underscore');
    if (this.config()) throw new TeamError(`already in team "${this.config()!.team}": run team leave first`);
    if (caFile !== undefined && !fs.existsSync(caFile)) throw new TeamError(`CA file not found: ${caFile}`);
    const { url, password } = parseTeamUrl(urlText);
    await this.o.devices.ready();
    const self = this.o.devices.self();
    if (!self.publicKey || this.o.devices.unavailable) throw new TeamError(this.o.devices.unavailable ?? 'this device has no key yet');
    const client = await this.connect(url, password, caFile ?? null, 0);
    let cause: Error | undefined;
    client.on('error', (error: Error) => (cause ??= error));
    try {
      const k = keys(team);
      const founded = (await client.set(k.founder, self.deviceId, 'NX')) === 'OK';
      const founder = (await client.get(k.founder))!;
      const mine: WireDevice = {
        publicKey: self.publicKey,
        name: self.name,
        approvedBy: founded ? self.deviceId : null,
        approval: founded ? this.o.devices.signText(approvalText(team, self.deviceId, self.publicKey)) : null,
      };
      await client.hsetnx(k.devices, self.deviceId, JSON.stringify(mine));
      const founderDevice = this.parseDevice(founder, await client.hget(k.devices, founder));
      if (!founderDevice) throw new TeamError(`the team's founding device ${founder} is not registered in Redis`);
      if (password !== null) await this.o.secrets.set(TEAM_PASSWORD_REF, password);
      else await this.o.secrets.delete(TEAM_PASSWORD_REF);
      this.o.db
        .prepare('INSERT INTO team_config (id, url, team, ca_file, founder, founder_key, joined_at) VALUES (1, ?, ?, ?, ?, ?, ?)')
        .run(url, team, caFile ?? null, founder, founderDevice.publicKey, new Date(this.o.clock.now()).toISOString());
      this.client = client;
      await this.refreshDevices();
      return { approved: founded, founder: founded };
    } catch (error) {
      if (this.client !== client) client.disconnect();
      if (error instanceof TeamError) throw error;
      // The command only says it gave up; the connection's own error says why (TLS, auth, refused).
      throw new TeamError(`cannot join through ${url}: ${connectionErrorText(cause ?? (error as Error), caFile ?? null)}`);
    }
  }

  async leave(): Promise<void> {
    await this.stop();
    this.o.db.transaction(() => {
      this.o.db.prepare('DELETE FROM team_config').run();
      this.o.db.prepare('DELETE FROM team_shared').run();
    })();
    await this.o.secrets.delete(TEAM_PASSWORD_REF);
  }

  /**
   * Approves another device: signs its id and key with this (approved) device's key. With
   * `expectedFingerprint` (the UI's confirm showed it), a registration whose key changed since
   * is refused instead of signed.
   */
  async approve(devicePrefix: string, expectedFingerprint?: string): Promise<string> {
    const cfg = this.requireConfig();
    const client = await this.ensureClient();
    const k = keys(cfg.team);
    await this.refreshDevices();
    const self = this.o.devices.self();
    // acceptedKeys() always holds this device (state 'self'); whether it is approved is the registry's word.
    if (!this.selfApproved) throw new TeamError('this device is not approved yet, so it cannot approve others');
    const all = await client.hgetall(k.devices);
    const matches = Object.keys(all).filter((id) => id.startsWith(devicePrefix));
    if (matches.length !== 1) throw new TeamError(matches.length === 0 ? `no device ${devicePrefix} in team "${cfg.team}"` : `${devicePrefix} matches ${matches.length} devices; give more of the id`);
    const id = matches[0]!;
    const device = this.parseDevice(id, all[id]!);
    if (!device) throw new TeamError(`device ${id}'s registration in Redis is malformed`);
    if (expectedFingerprint !== undefined && fingerprintOf(device.publicKey) !== expectedFingerprint) {
      throw new TeamError(`device ${id} now registers the key ${fingerprintOf(device.publicKey)}, not the ${expectedFingerprint} you compared; nothing was approved`);
    }
    const approved: WireDevice = { ...device, approvedBy: self.deviceId, approval: this.o.devices.signText(approvalText(cfg.team, id, device.publicKey)) };
    await client.hset(k.devices, id, JSON.stringify(approved));
    await this.refreshDevices();
    return id;
  }

  /** Shares an incident with the team (its header, then its entries on the next push). */
  async share(incidentId: number): Promise<string> {
    const cfg = this.requireConfig();
    const row = this.o.db.prepare<[number], { uid: string; title: string; severity: string; detected_at: string }>('SELECT uid, title, severity, detected_at FROM incidents WHERE id = ?').get(incidentId);
    if (!row) throw new TeamError(`no incident ${incidentId}`);
    this.o.db.prepare('INSERT INTO team_shared (incident_id, uid) VALUES (?, ?) ON CONFLICT (incident_id) DO UPDATE SET shared = 1').run(incidentId, row.uid);
    const header = { title: row.title, severity: row.severity, detectedAt: row.detected_at, sharedBy: this.o.devices.deviceId, shared: true };
    try {
      await (await this.ensureClient()).hset(keys(cfg.team).incidents, row.uid, JSON.stringify(header));
      this.wakePush();
    } catch (error) {
      this.noteError(error);
    }
    return row.uid;
  }

  /** Stops sending and receiving an incident; what was already shared stays with the others. */
  unshare(incidentId: number): void {
    const changed = this.o.db.prepare('UPDATE team_shared SET shared = 0 WHERE incident_id = ?').run(incidentId).changes;
    if (changed === 0) throw new TeamError(`incident ${incidentId} is not shared`);
  }

  /** Starts the background loops (app and serve); returns at once. */
  start(): void {
    if (this.running || !this.config()) return;
    this.running = true;
    this.unsubscribe = this.o.events.on('timeline.appended', ({ entry }) => {
      if (this.isShared(entry.incidentId)) this.wakePush();
    });
    void this.pullLoop();
    this.wakePush();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.unsubscribe?.();
    this.reader?.disconnect();
    await this.pushing?.catch(() => undefined);
    this.client?.disconnect();
    this.client = undefined;
    this.reader = undefined;
    await this.verifier.close();
  }

  /** One full round without blocking: devices, incidents, push, then read everything available. */
  async syncOnce(): Promise<{ pushed: number; merged: number; quarantined: number }> {
    this.requireConfig();
    await this.ensureClient();
    await this.refreshDevices();
    await this.refreshIncidents();
    const pushed = await this.pushAll();
    let merged = 0;
    let quarantined = 0;
    for (;;) {
      const counts = await this.pullOnce(await this.ensureClient(), undefined);
      merged += counts.merged;
      quarantined += counts.quarantined;
      if (counts.read === 0) break;
    }
    return { pushed, merged, quarantined };
  }

  async status(): Promise<TeamStatus> {
    const cfg = this.config();
    const shared = this.sharedRows();
    const quarantined = this.o.db.prepare<[], { n: number }>('SELECT COUNT(*) AS n FROM team_quarantine').get()!.n;
    let unpushed = 0;
    let behind = 0;
    if (cfg && this.client && this.connected) {
      const k = keys(cfg.team);
      for (const s of shared) {
        const hw = Number((await this.client.hget(k.highWater(s.uid), this.o.devices.deviceId)) ?? 0);
        unpushed += Math.max(0, (this.o.devices.head(s.incident_id, this.o.devices.deviceId)?.deviceSeq ?? 0) - hw);
        behind += (await this.client.xrange(k.stream(s.uid), `(${s.stream_pos}`, '+', 'COUNT', 1000)).length;
      }
    }
    return {
      joined: cfg !== undefined,
      team: cfg?.team ?? null,
      url: cfg?.url ?? null,
      connected: this.connected,
      unpushed,
      behind,
      offlineSince: this.offlineSince,
      lastError: this.lastError,
      shared: shared.length,
      quarantined,
    };
  }

  quarantine(): { incidentUid: string; deviceId: string; deviceSeq: number; reason: string; receivedAt: string }[] {
    return this.o.db
      .prepare<[], { incident_uid: string; device_id: string; device_seq: number; reason: string; received_at: string }>('SELECT * FROM team_quarantine ORDER BY id')
      .all()
      .map((r) => ({ incidentUid: r.incident_uid, deviceId: r.device_id, deviceSeq: r.device_seq, reason: r.reason, receivedAt: r.received_at }));
  }

  // --- evidence blobs (blobs.ts) -------------------------------------------------------------

  /** Pushes an incident's evidence blobs (all, or the artifact ids given) up to `maxBytes` each. */
  async pushEvidence(incidentId: number, artifactIds: readonly number[] = [], maxBytes = DEFAULT_BLOB_CAP): Promise<BlobPushResult> {
    const cfg = this.requireConfig();
    const uid = this.sharedUid(incidentId);
    if (!this.o.evidenceBlob) throw new TeamError('evidence blobs are not available in this process');
    const blobPath = this.o.evidenceBlob;
    return pushBlobs(
      { db: this.o.db, client: await this.ensureClient(), team: cfg.team, uid, incidentId, deviceId: this.o.devices.deviceId, now: new Date(this.o.clock.now()).toISOString(), blobPath: (sha) => blobPath(incidentId, sha) },
      artifactIds,
      maxBytes,
    );
  }

  /** The blobs pushed for a shared incident, from any laptop. */
  async pushedEvidence(incidentId: number): Promise<PushedBlob[]> {
    const cfg = this.requireConfig();
    return listBlobs(await this.ensureClient(), cfg.team, this.sharedUid(incidentId));
  }

  /** Fetches a pushed blob by its hash and keeps it only if its bytes match. */
  async fetchEvidence(incidentId: number, sha256: string): Promise<{ path: string; size: number }> {
    const cfg = this.requireConfig();
    if (!this.o.home) throw new TeamError('evidence blobs are not available in this process');
    const root = path.join(this.o.home, 'incidents', String(incidentId), 'team-evidence');
    return fetchBlob({ client: await this.ensureClient(), team: cfg.team, uid: this.sharedUid(incidentId), root }, sha256);
  }

  private sharedUid(incidentId: number): string {
    const row = this.o.db.prepare<[number], { uid: string }>('SELECT uid FROM team_shared WHERE incident_id = ?').get(incidentId);
    if (!row) throw new TeamError(`incident ${incidentId} is not shared with the team (team share ${incidentId} first)`);
    return row.uid;
  }

  // --- connections -------------------------------------------------------------------------

  private async connect(url: string, password: string | null, caFile: string | null, retries: number | null): Promise<Redis> {
    const options: RedisOptions = {
      ...redisOptions(teamTarget(url), password, caFile),
      lazyConnect: false,
      enableOfflineQueue: true,
      maxRetriesPerRequest: retries,
      // Reconnects back off: 100 ms doubling to 30 s (to the sentinels too).
      retryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 9), 30_000),
      sentinelRetryStrategy: (times) => Math.min(100 * 2 ** Math.min(times, 9), 30_000),
    };
    const RedisClient = await loadRedis();
    const client = new RedisClient(options);
    client.defineCommand('firebreakPush', { numberOfKeys: 2, lua: PUSH_SCRIPT });
    client.on('ready', () => {
      this.connected = true;
      this.offlineSince = null;
    });
    client.on('error', (error: Error) => this.noteError(error));
    client.on('end', () => this.markOffline());
    client.on('close', () => this.markOffline());
    return client;
  }

  private async ensureClient(): Promise<Redis> {
    if (this.client) return this.client;
    const cfg = this.requireConfig();
    this.client = await this.connect(cfg.url, await this.o.secrets.get(TEAM_PASSWORD_REF), cfg.caFile, 1);
    return this.client;
  }

  private markOffline(): void {
    if (this.connected || this.offlineSince === null) this.offlineSince = new Date(this.o.clock.now()).toISOString();
    this.connected = false;
  }

  private noteError(error: unknown): void {
    this.lastError = (error as Error).message;
  }

  private requireConfig(): TeamConfig {
    const cfg = this.config();
    if (!cfg) throw new TeamError('not in a team: run team join redis://HOST:PORT --team NAME');
    return cfg;
  }

  // --- devices and incidents ---------------------------------------------------------------

  private parseDevice(id: string, text: string | null | undefined): WireDevice | undefined {
    if (!text) return undefined;
    try {
      const parsed = wireDeviceSchema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Devices whose approval chains back to the founder pinned at join: device id → public key. */
  private acceptedKeys(): Map<string, string> {
    const rows = this.o.db.prepare<[], { device_id: string; public_key: string | null; state: string }>('SELECT device_id, public_key, state FROM team_devices').all();
    const out = new Map<string, string>();
    for (const r of rows) if (r.public_key && (r.state === 'approved' || r.state === 'self')) out.set(r.device_id, r.public_key);
    return out;
  }

  /** Reads the team's registry; a device is approved only through signed approvals from the founder on. */
  private async refreshDevices(): Promise<void> {
    const cfg = this.requireConfig();
    const all = await (await this.ensureClient()).hgetall(keys(cfg.team).devices);
    const parsed = new Map<string, WireDevice>();
    for (const [id, text] of Object.entries(all)) {
      const d = this.parseDevice(id, text);
      if (d) parsed.set(id, d);
    }
    const accepted = new Map<string, string>();
    const founder = parsed.get(cfg.founder);
    if (founder && founder.publicKey === cfg.founderKey) accepted.set(cfg.founder, cfg.founderKey);
    for (let grew = true; grew; ) {
      grew = false;
      for (const [id, d] of parsed) {
        if (accepted.has(id) || !d.approvedBy || !d.approval) continue;
        const approverKey = accepted.get(d.approvedBy);
        if (!approverKey) continue;
        if (verify(null, Buffer.from(approvalText(cfg.team, id, d.publicKey)), publicKeyObject(approverKey), Buffer.from(d.approval, 'base64'))) {
          accepted.set(id, d.publicKey);
          grew = true;
        }
      }
    }
    this.selfApproved = accepted.has(this.o.devices.deviceId);
    const before = new Map(this.o.devices.list().map((d) => [d.deviceId, d.state]));
    let newlyApproved = false;
    for (const [id, d] of parsed) {
      if (id === this.o.devices.deviceId) continue;
      if (accepted.has(id) && before.get(id) !== 'approved') newlyApproved = true;
      this.o.devices.upsertDevice({ deviceId: id, publicKey: d.publicKey, fingerprint: fingerprintOf(d.publicKey), name: d.name, state: accepted.has(id) ? 'approved' : 'pending' });
    }
    if (newlyApproved) {
      // What a device wrote before its approval was held back as unapproved: read the streams
      // again (entries already merged are recognised by device:seq and skipped).
      this.o.db.transaction(() => {
        this.o.db.prepare("DELETE FROM team_quarantine WHERE reason LIKE '%not approved'").run();
        this.o.db.prepare("UPDATE team_shared SET stream_pos = '0-0'").run();
      })();
    }
  }

  /** Opens, on this laptop, the incidents others shared (same UUID, a local number). */
  private async refreshIncidents(): Promise<void> {
    const cfg = this.requireConfig();
    const all = await (await this.ensureClient()).hgetall(keys(cfg.team).incidents);
    const now = new Date(this.o.clock.now()).toISOString();
    for (const [uid, text] of Object.entries(all)) {
      let header;
      try {
        header = wireIncidentSchema.parse(JSON.parse(text));
      } catch {
        continue; // a malformed header is ignored; its entries cannot be merged without it
      }
      if (!header.shared || this.o.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)) continue;
      if (!/^[0-9a-f-]{36}$/.test(uid)) continue;
      const opened = this.o.db.transaction(() => {
        const id = Number(
          this.o.db
            .prepare(`INSERT INTO incidents (uid, title, severity, status, detected_at, created_at, updated_at) VALUES (?, ?, ?, 'detected', ?, ?, ?)`)
            .run(uid, header.title, header.severity, header.detectedAt, now, now).lastInsertRowid,
        );
        this.o.db.prepare('INSERT INTO team_shared (incident_id, uid) VALUES (?, ?)').run(id, uid);
        return id;
      }).immediate();
      this.announceIncident(opened);
    }
  }

  /** Tells the UI (incidents.changed) that a merge or a remote share changed an incident. */
  private announceIncident(incidentId: number): void {
    if (!this.o.incidentView) return;
    try {
      this.o.events.emit('incidents.changed', { incident: this.o.incidentView(incidentId) });
    } catch (error) {
      this.noteError(error); // the merge is committed; a failed refresh must not undo the round
    }
  }

  private sharedRows(): { incident_id: number; uid: string; stream_pos: string }[] {
    return this.o.db.prepare<[], { incident_id: number; uid: string; stream_pos: string }>('SELECT incident_id, uid, stream_pos FROM team_shared WHERE shared = 1').all();
  }

  private isShared(incidentId: number): boolean {
    return this.o.db.prepare<[number], { n: number }>('SELECT 1 AS n FROM team_shared WHERE incident_id = ? AND shared = 1').get(incidentId) !== undefined;
  }

  // --- push --------------------------------------------------------------------------------

  private wakePush(): void {
    this.pushWanted = true;
    if (this.pushing || !this.running) return;
    this.pushing = (async () => {
      while (this.pushWanted && this.running) {
        this.pushWanted = false;
        try {
          await this.pushAll();
        } catch (error) {
          this.noteError(error);
          await new Promise((r) => setTimeout(r, 1000));
          this.pushWanted = true;
        }
      }
    })().finally(() => (this.pushing = undefined));
  }

  /** Pushes this device's entries past the stream's high-water mark for it; a retry adds nothing twice. */
  private async pushAll(): Promise<number> {
    const cfg = this.requireConfig();
    const client = await this.ensureClient();
    const k = keys(cfg.team);
    let pushed = 0;
    for (const s of this.sharedRows()) {
      let hw = Number((await client.hget(k.highWater(s.uid), this.o.devices.deviceId)) ?? 0);
      for (;;) {
        const batch = this.o.devices.ownAfter(s.incident_id, hw, 500);
        if (batch.length === 0) break;
        const pipeline = client.pipeline();
        for (const e of batch) {
          (pipeline as unknown as { firebreakPush(...a: unknown[]): void }).firebreakPush(k.stream(s.uid), k.highWater(s.uid), e.device, e.deviceSeq, JSON.stringify(e));
        }
        const results = (await pipeline.exec()) ?? [];
        for (const [error, value] of results) {
          if (error) throw error;
          if (value === 1) pushed++;
        }
        hw = Number((await client.hget(k.highWater(s.uid), this.o.devices.deviceId)) ?? 0);
        if (hw < batch.at(-1)!.deviceSeq) break; // out of order: the next round starts from the mark
      }
    }
    return pushed;
  }

  // --- pull --------------------------------------------------------------------------------

  private async pullLoop(): Promise<void> {
    const cfg = this.requireConfig();
    this.reader = await this.connect(cfg.url, await this.o.secrets.get(TEAM_PASSWORD_REF), cfg.caFile, null);
    let backoff = 100;
    while (this.running) {
      try {
        await this.refreshDevices();
        await this.refreshIncidents();
        await this.pullOnce(this.reader, this.o.blockMs ?? 5000);
        backoff = 100;
      } catch (error) {
        if (!this.running) break;
        this.noteError(error);
        await new Promise((r) => setTimeout(r, backoff));
        backoff = Math.min(backoff * 2, 30_000);
      }
    }
  }

  private async pullOnce(client: Redis, blockMs: number | undefined): Promise<{ read: number; merged: number; quarantined: number }> {
    const cfg = this.requireConfig();
    const k = keys(cfg.team);
    const shared = this.sharedRows();
    if (shared.length === 0) {
      if (blockMs) await new Promise((r) => setTimeout(r, Math.min(blockMs, 1000)));
      return { read: 0, merged: 0, quarantined: 0 };
    }
    const streams = shared.map((s) => k.stream(s.uid));
    const args: (string | number)[] = ['COUNT', 1000];
    if (blockMs) args.push('BLOCK', blockMs);
    const reply = (await (client.xread as (...a: unknown[]) => Promise<[string, [string, string[]][]][] | null>)(...args, 'STREAMS', ...streams, ...shared.map((s) => s.stream_pos))) ?? [];
    const accepted = this.acceptedKeys();
    // Checks that need no database state (parse, hash, signature) run first, chunk by chunk,
    // the signatures on worker threads (verify-pool.ts); each chunk is then merged in one
    // transaction while the workers verify the next ones.
    const chunks: { row: (typeof shared)[number]; checked: Checked[]; signatures: Promise<boolean[]> }[] = [];
    for (const [stream, messages] of reply) {
      const row = shared[streams.indexOf(stream)]!;
      const heads = new Map<string, number>();
      for (let i = 0; i < messages.length; i += CHUNK) {
        const checked = messages.slice(i, i + CHUNK).map(([id, fields]) => this.precheck(row.incident_id, row.uid, id, fields[fields.indexOf('e') + 1] ?? '', accepted, heads));
        const wanted = checked.filter((c) => c.signature !== undefined);
        const signatures = this.verifier.verifyMany(wanted.map((c) => c.signature!)).then((verdicts) => {
          wanted.forEach((c, n) => (c.signed = verdicts[n] === true));
          return verdicts;
        });
        chunks.push({ row, checked, signatures });
      }
    }
    let read = 0;
    let merged = 0;
    let quarantined = 0;
    for (const { row, checked, signatures } of chunks) {
      await signatures;
      const appended: TimelineEntry[] = [];
      this.o.db.transaction(() => {
        for (const c of checked) {
          read++;
          const outcome = this.applyOne(row.incident_id, row.uid, c);
          if (outcome === 'quarantined') quarantined++;
          else if (outcome !== 'duplicate' && outcome !== 'own') {
            merged++;
            appended.push(outcome);
          }
        }
        // Every message was merged, skipped or quarantined: the position moves past the last
        // one, in the same transaction, so a failure moves nothing.
        this.stmts().advance.run(checked.at(-1)!.streamId, row.incident_id);
        // The incident row follows its merged timeline (status, severity, fields, SLA: merge.ts),
        // recomputed once per chunk and only if the chunk brought something it derives from.
        if (appended.some((e) => MERGED_KINDS.has(e.kind))) recomputeIncident(this.o.db, row.incident_id);
      }).immediate();
      this.o.timeline.announce(appended);
      if (appended.length > 0) this.announceIncident(row.incident_id);
    }
    return { read, merged, quarantined };
  }

  /** What can be checked of one remote entry without the database: its form, hash and who signed it. */
  private precheck(incidentId: number, uid: string, streamId: string, text: string, accepted: Map<string, string>, heads: Map<string, number>): Checked {
    const bad = (reason: string, entry?: WireEntry): Checked => ({ streamId, text, reason, entry });
    let entry: WireEntry;
    try {
      const parsed = wireEntrySchema.safeParse(JSON.parse(text));
      if (!parsed.success) return bad(`malformed entry: ${issueText(parsed.error)}`);
      entry = parsed.data;
    } catch {
      return bad('malformed entry: not JSON');
    }
    const { devicePrev, deviceHash, signature, ...body } = entry;
    const publicKey = accepted.get(entry.device);
    const checked: Checked = { streamId, text, entry, approved: publicKey !== undefined, hashMatches: deviceEntryHash(devicePrev, body) === deviceHash };
    if (entry.incident !== uid || entry.device === this.o.devices.deviceId || !publicKey || !checked.hashMatches) return checked;
    // Only an entry past what this laptop already has can be merged; the rest are duplicates
    // or conflicts, decided without a signature.
    let head = heads.get(entry.device);
    if (head === undefined) heads.set(entry.device, (head = this.o.devices.head(incidentId, entry.device)?.deviceSeq ?? 0));
    if (entry.deviceSeq > head) checked.signature = [publicKey, deviceHash, signature];
    return checked;
  }

  /**
   * Merges one prechecked remote entry, or quarantines it; runs inside the chunk's
   * transaction, which moves the stream position past the chunk.
   */
  private applyOne(incidentId: number, uid: string, c: Checked): Outcome {
    const quarantine = (reason: string, device = '', seq = 0): Outcome => {
      this.stmts().quarantine.run(
        uid, device, seq, c.streamId, reason, c.text.slice(0, 64 * 1024), new Date(this.o.clock.now()).toISOString(),
      );
      return 'quarantined';
    };
    const entry = c.entry;
    if (!entry) return quarantine(c.reason!);
    const name = `${entry.device}:${entry.deviceSeq}`;
    if (entry.incident !== uid) return quarantine(`entry ${name} names another incident (${entry.incident})`, entry.device, entry.deviceSeq);
    if (entry.device === this.o.devices.deviceId) {
      return 'own';
    }
    if (!c.approved) return quarantine(`entry ${name} comes from a device that is not approved`, entry.device, entry.deviceSeq);
    const have = this.o.devices.linkAt(incidentId, entry.device, entry.deviceSeq);
    if (have) {
      if (have.deviceHash === entry.deviceHash) {
        return 'duplicate';
      }
      return quarantine(`entry ${name} conflicts with the one already merged (another hash for the same device:seq)`, entry.device, entry.deviceSeq);
    }
    const head = this.o.devices.head(incidentId, entry.device);
    const expected = (head?.deviceSeq ?? 0) + 1;
    if (entry.deviceSeq !== expected) return quarantine(`gap before entry ${name}: expected ${entry.device}:${expected}`, entry.device, entry.deviceSeq);
    if (entry.devicePrev !== (head?.deviceHash ?? '0'.repeat(64))) return quarantine(`broken chain: entry ${name} does not link to ${entry.device}:${expected - 1}`, entry.device, entry.deviceSeq);
    if (!c.hashMatches) return quarantine(`forged entry ${name}: its content does not match its hash`, entry.device, entry.deviceSeq);
    // `signed` is set for every entry past the device's head when the chunk was prechecked.
    if (c.signed !== true) return quarantine(`forged entry ${name}: the signature is not its device's`, entry.device, entry.deviceSeq);
    const { devicePrev, deviceHash, signature } = entry;
    let corrects: number | null = null;
    if (entry.corrects !== null) {
      const m = /^([0-9a-f-]{36}):(\d+)$/.exec(entry.corrects);
      const target = m ? this.o.devices.linkAt(incidentId, m[1]!, Number(m[2])) : undefined;
      if (!target) return quarantine(`entry ${name} corrects ${entry.corrects}, which this laptop does not have`, entry.device, entry.deviceSeq);
      corrects = target.entryId;
    }
    // Merged as data only: nothing is run because a remote entry says so.
    const appended = this.o.timeline.appendInTransaction({
      incidentId,
      kind: entry.kind,
      data: entry.data,
      corrects,
      origin: { at: entry.at, actor: entry.actor, host: entry.host, device: { device: entry.device, deviceSeq: entry.deviceSeq, devicePrev, deviceHash, signature } },
    });
    return appended;
  }
}
