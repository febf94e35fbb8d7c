import crypto from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_TARGET, type HostKeyOffer, type TargetRecord, type TargetStatus } from '../../../shared/targets';
import type { Clock } from '../clock';
import type { Db } from '../db/open';
import type { EventBus } from '../events';
import { conflict, invalidInput, notFound, ServiceError } from '../errors';
import type { TimelineService } from '../timeline';
import { acceptHostKey, offerHostKeys } from './host-keys';
import { LocalTarget } from './local';
import { parseTargetName } from './quote';
import { SshTarget, type SshSettings } from './ssh';
import type { Target } from './target';

export interface TargetServiceDeps {
  readonly db: Db;
  readonly clock: Clock;
  readonly timeline: TimelineService;
  /** The profile folder: known_hosts of accepted keys and the ControlMaster sockets live under it. */
  readonly home: string;
  /** ssh overrides (tests: a private `-F` config, short timeouts). */
  readonly ssh?: Partial<Omit<SshSettings, 'clock'>>;
  /** Where `targets.status` changes are pushed (the UI's connection badges). */
  readonly events?: EventBus;
}

export type TargetListing = TargetRecord & { readonly status: TargetStatus };

/** Unix socket paths are limited to ~104 bytes; ssh adds ~17 while creating one. */
const MAX_CONTROL_DIR = 60;

/** The ControlMaster folder: in the profile unless its path is too long for a socket. */
export function controlDirFor(home: string): string {
  const inProfile = path.join(home, 'ssh', 'control');
  if (inProfile.length <= MAX_CONTROL_DIR) return inProfile;
  const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
  return path.join(os.tmpdir(), `firebreak-${uid}-${crypto.createHash('sha256').update(home).digest('hex').slice(0, 12)}`);
}

/** The profile's targets, the incidents' affected targets, and one live SshTarget per host. */
export class TargetService {
  private readonly live = new Map<string, SshTarget>();
  private readonly local = new LocalTarget();
  readonly knownHostsFile: string;
  private readonly settings: SshSettings;

  constructor(private readonly deps: TargetServiceDeps) {
    this.knownHostsFile = deps.ssh?.knownHostsFile ?? path.join(deps.home, 'ssh', 'known_hosts');
    // FIREBREAK_SSH_CONFIG: an `ssh -F` file for this profile instead of ~/.ssh/config (a
    // jump-host setup kept for incidents, or tests that must not touch ~/.ssh).
    const configFile = deps.ssh?.configFile ?? process.env.FIREBREAK_SSH_CONFIG;
    this.settings = { controlDir: controlDirFor(deps.home), ...deps.ssh, ...(configFile ? { configFile } : {}), knownHostsFile: this.knownHostsFile, clock: deps.clock };
  }

  add(raw: string): TargetRecord {
    let name: string;
    try {
      name = parseTargetName(raw).name;
    } catch (error) {
      throw invalidInput('target', (error as Error).message);
    }
    if (name === LOCAL_TARGET) throw invalidInput('target', `"${LOCAL_TARGET}" means this laptop; it is always available`);
    const addedAt = new Date(this.deps.clock.now()).toISOString();
    const result = this.deps.db.prepare('INSERT OR IGNORE INTO targets (name, added_at) VALUES (?, ?)').run(name, addedAt);
    if (result.changes === 0) throw conflict(`target ${name} is already in the profile`);
    return { name, addedAt };
  }

  list(): TargetListing[] {
    const rows = this.deps.db.prepare<[], { name: string; added_at: string }>('SELECT name, added_at FROM targets ORDER BY name').all();
    return rows.map((r) => ({ name: r.name, addedAt: r.added_at, status: this.status(r.name) }));
  }

  has(name: string): boolean {
    return this.deps.db.prepare('SELECT 1 FROM targets WHERE name = ?').get(name) !== undefined;
  }

  async remove(name: string): Promise<void> {
    const result = this.deps.db.prepare('DELETE FROM targets WHERE name = ?').run(name);
    if (result.changes === 0) throw notFound(`target ${name}`);
    const live = this.live.get(name);
    this.live.delete(name);
    await live?.close();
  }

  /** `local` or a target in the profile. */
  get(name: string): Target {
    return name === LOCAL_TARGET ? this.local : this.ssh(name);
  }

  ssh(name: string): SshTarget {
    let target = this.live.get(name);
    if (target) return target;
    if (!this.has(name)) throw new ServiceError('not_found', `target ${name} is not in the profile (add it first: firebreak target add ${name})`);
    target = new SshTarget(parseTargetName(name), this.settings);
    const events = this.deps.events;
    if (events) target.onStatus((status) => events.emit('targets.status', status));
    this.live.set(name, target);
    return target;
  }

  status(name: string): TargetStatus {
    const live = this.live.get(name);
    if (live) return live.current();
    return { name, state: 'idle', since: new Date(this.deps.clock.now()).toISOString(), message: null, retryAt: null, hostKeyFingerprint: null };
  }

  async connect(name: string, options: { readonly force?: boolean; readonly signal?: AbortSignal } = {}): Promise<TargetStatus> {
    const target = this.ssh(name);
    await target.connect(options).catch(() => undefined);
    return target.current();
  }

  offerHostKey(name: string): Promise<HostKeyOffer> {
    return offerHostKeys(this.ssh(name));
  }

  acceptHostKey(name: string, fingerprint: string): Promise<void> {
    if (!/^SHA256:[A-Za-z0-9+/=]{20,}$/.test(fingerprint)) throw invalidInput('fingerprint', 'expected SHA256:… as shown for the host');
    return acceptHostKey(this.ssh(name), fingerprint, this.knownHostsFile);
  }

  incidentTargets(incidentId: number): string[] {
    return this.deps.db
      .prepare<[number], { target: string }>('SELECT target FROM incident_targets WHERE incident_id = ? ORDER BY added_at, target')
      .all(incidentId)
      .map((r) => r.target);
  }

  /** Marks a host (or this laptop, `local`) as affected by the incident; recorded on the timeline. */
  addToIncident(incidentId: number, name: string): void {
    if (name !== LOCAL_TARGET && !this.has(name)) throw new ServiceError('not_found', `target ${name} is not in the profile (add it first: firebreak target add ${name})`);
    const { db, timeline } = this.deps;
    if (!db.prepare('SELECT 1 FROM incidents WHERE id = ?').get(incidentId)) throw notFound(`incident ${incidentId}`);
    const at = new Date(this.deps.clock.now()).toISOString();
    const entry = db
      .transaction(() => {
        const result = db.prepare('INSERT OR IGNORE INTO incident_targets (incident_id, target, added_at) VALUES (?, ?, ?)').run(incidentId, name, at);
        if (result.changes === 0) return undefined;
        return timeline.appendInTransaction({ incidentId, kind: 'incident.target-added', data: { target: name } });
      })
      .immediate();
    if (!entry) throw conflict(`${name} is already a target of this incident`);
    timeline.announce([entry]);
  }

  removeFromIncident(incidentId: number, name: string): void {
    const { db, timeline } = this.deps;
    const entry = db
      .transaction(() => {
        const result = db.prepare('DELETE FROM incident_targets WHERE incident_id = ? AND target = ?').run(incidentId, name);
        if (result.changes === 0) return undefined;
        return timeline.appendInTransaction({ incidentId, kind: 'incident.target-removed', data: { target: name } });
      })
      .immediate();
    if (!entry) throw notFound(`${name} as a target of incident ${incidentId}`);
    timeline.announce([entry]);
  }

  /** Ends every master this process opened (the app quits; the CLI leaves them to ControlPersist). */
  async close(): Promise<void> {
    const targets = [...this.live.values()];
    this.live.clear();
    await Promise.all(targets.map((t) => t.close().catch(() => undefined)));
  }
}
