import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { ChainHead } from '../../shared/domain';
import { canonicalJson } from './canonical-json';
import type { Clock } from './clock';
import type { Db } from './db/open';
import type { SecretStore } from './probes/secret-store';

// A hash chain proves only what lies behind its head: delete the last entries and what is
// left still chains. So every committed head (and the number of incidents) is also written
// here, outside the database, one HMAC-keyed line per head, with the key in the secret store.
// Verification then names what the database lacks. See docs/integrity.md for what this does
// and does not protect against.

export const ANCHORS_FILE = 'anchors.jsonl';
/** Secret-store ref of the HMAC key (hex). */
export const ANCHOR_KEY_REF = 'firebreak.anchors.hmac';
/** Past this size the file is rewritten as the latest head of every chain (plus any conflicts). */
const COMPACT_BYTES = 1024 * 1024;

interface AnchorBody {
  readonly v: 1;
  readonly at: string;
  /** Which key signed it (the first 16 hex of its SHA-256), so another store's lines are told apart. */
  readonly key: string;
  readonly incident: number;
  readonly seq: number;
  readonly hash: string;
  /** COUNT(*) and MAX(id) of incidents when the line was written. */
  readonly incidents: number;
  readonly maxIncident: number;
}

interface AnchorLine extends AnchorBody {
  readonly mac: string;
}

/** Everything the valid lines of the anchors file say, and what is wrong with the rest. */
export interface AnchorSet {
  /** incident → seq → the hashes anchored for it (more than one means the chain was rewritten). */
  readonly heads: ReadonlyMap<number, ReadonlyMap<number, readonly { hash: string; at: string }[]>>;
  readonly incidents: { readonly count: number; readonly maxId: number; readonly at: string } | undefined;
  /** Lines that fail their MAC or do not parse: the file itself was edited. */
  readonly problems: readonly string[];
  /** Lines signed by a key this process does not hold (e.g. the app's OS keychain): not trusted, not failures. */
  readonly foreign: number;
}

export interface AnchorsOptions {
  readonly home: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly secrets: SecretStore;
  /** Compaction threshold (tests make it small); default 1 MiB. */
  readonly compactBytes?: number;
}

function keyId(key: Buffer): string {
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}

function mac(key: Buffer, body: object): string {
  return createHmac('sha256', key).update(canonicalJson(body)).digest('hex');
}

/** Loads the anchor key from the secret store, creating it when asked; `fresh` when it was just made. */
export async function loadAnchorKey(secrets: SecretStore, create: boolean): Promise<{ key: Buffer; fresh: boolean } | undefined> {
  const hex = await secrets.get(ANCHOR_KEY_REF);
  if (hex !== null) return { key: Buffer.from(hex, 'hex'), fresh: false };
  if (!create) return undefined;
  await secrets.set(ANCHOR_KEY_REF, randomBytes(32).toString('hex'));
  // Two processes opening a new profile at once each made a key; the one stored wins for both.
  const stored = await secrets.get(ANCHOR_KEY_REF);
  if (stored === null) throw new Error('the secret store did not keep the anchor key');
  return { key: Buffer.from(stored, 'hex'), fresh: true };
}

/** Keys other records with the anchor key (backups.jsonl lines carry the heads they pinned). */
export class AnchorSigner {
  readonly keyId: string;
  constructor(private readonly key: Buffer) {
    this.keyId = keyId(key);
  }

  sign(body: object): string {
    return mac(this.key, body);
  }

  /** undefined when another key signed it (nothing can be said), else whether the MAC holds. */
  check(body: object, keyIdOfBody: string, given: string): boolean | undefined {
    if (keyIdOfBody !== this.keyId) return undefined;
    return sameHex(given, mac(this.key, body));
  }
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/**
 * Writes and reads the anchors file of one profile. `record` runs right after a commit, so a
 * crash between the two leaves the anchors behind the database (a weaker check), never ahead
 * of it (a false alarm).
 */
export class TimelineAnchors {
  readonly file: string;
  private key: Buffer | undefined;
  private loadError: string | undefined;
  private readonly pending = new Map<number, ChainHead>();
  private readonly loading: Promise<void>;
  private readonly countStmt;

  constructor(private readonly options: AnchorsOptions) {
    this.file = path.join(options.home, ANCHORS_FILE);
    this.countStmt = options.db.prepare<[], { n: number; max: number }>('SELECT COUNT(*) AS n, COALESCE(MAX(id), 0) AS max FROM incidents');
    this.loading = this.load();
  }

  /** Resolves once the key is loaded (or known to be unavailable); never rejects. */
  ready(): Promise<void> {
    return this.loading;
  }

  /** Signs other records with the same key, once it is loaded. */
  get signer(): AnchorSigner | undefined {
    return this.key ? new AnchorSigner(this.key) : undefined;
  }

  /** Why anchors cannot be written or checked, if they cannot. */
  get unavailable(): string | undefined {
    return this.key ? undefined : (this.loadError ?? 'the anchor key is still loading');
  }

  private async load(): Promise<void> {
    try {
      const { key, fresh } = (await loadAnchorKey(this.options.secrets, true))!;
      this.key = key;
      // A profile older than anchors: its present heads are the starting point.
      if (fresh && !fs.existsSync(this.file)) this.adoptAll();
      this.flush();
    } catch (error) {
      this.loadError = `the anchor key cannot be read from the secret store: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  /** Anchors the heads of committed entries (the last one per incident is enough). */
  record(heads: readonly ChainHead[]): void {
    for (const head of heads) {
      const known = this.pending.get(head.incidentId);
      if (!known || known.seq < head.seq) this.pending.set(head.incidentId, head);
    }
    if (this.key) this.flush();
  }

  /** Rewrites the anchors as the database's present heads (after a restore replaced it). */
  reset(): void {
    if (!this.key) throw new Error(this.unavailable);
    this.pending.clear();
    fs.rmSync(this.file, { force: true });
    this.adoptAll();
    this.flush();
  }

  private adoptAll(): void {
    const rows = this.options.db
      .prepare<[], ChainHead>('SELECT incident_id AS incidentId, MAX(seq) AS seq, hash FROM timeline GROUP BY incident_id')
      .all();
    for (const head of rows) this.pending.set(head.incidentId, head);
  }

  private flush(): void {
    if (this.pending.size === 0 || !this.key) return;
    const { n, max } = this.countStmt.get()!;
    const at = new Date(this.options.clock.now()).toISOString();
    const kid = keyId(this.key);
    let text = '';
    for (const head of this.pending.values()) {
      const body: AnchorBody = { v: 1, at, key: kid, incident: head.incidentId, seq: head.seq, hash: head.hash, incidents: n, maxIncident: max };
      text += `${JSON.stringify({ ...body, mac: mac(this.key, body) })}\n`;
    }
    this.pending.clear();
    fs.mkdirSync(this.options.home, { recursive: true });
    // O_APPEND: lines from the app and a CLI command never interleave within a line.
    fs.appendFileSync(this.file, text, { mode: 0o600 });
    if (fs.statSync(this.file).size > (this.options.compactBytes ?? COMPACT_BYTES)) this.compact();
  }

  /** Reads and authenticates every line. */
  read(): AnchorSet {
    const heads = new Map<number, Map<number, { hash: string; at: string }[]>>();
    const problems: string[] = [];
    let incidents: AnchorSet['incidents'];
    let foreign = 0;
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { heads, incidents, problems, foreign };
      throw error;
    }
    if (!this.key) return { heads, incidents, problems: [this.unavailable!], foreign };
    const kid = keyId(this.key);
    const lines = text.split('\n');
    lines.forEach((raw, index) => {
      if (raw === '') return;
      const where = `${ANCHORS_FILE} line ${index + 1}`;
      let line: AnchorLine;
      try {
        line = JSON.parse(raw) as AnchorLine;
      } catch {
        // Every write ends with a newline: a last line without one is a write cut by a crash.
        if (index === lines.length - 1) return;
        problems.push(`${where} is not JSON (the anchors were edited or cut)`);
        return;
      }
      if (line.key !== kid) {
        foreign++;
        return;
      }
      const { mac: given, ...body } = line;
      if (typeof given !== 'string' || !sameHex(given, mac(this.key!, body as AnchorBody))) {
        problems.push(`${where} does not match its MAC (the anchors were edited)`);
        return;
      }
      const bySeq = heads.get(line.incident) ?? new Map<number, { hash: string; at: string }[]>();
      heads.set(line.incident, bySeq);
      const hashes = bySeq.get(line.seq) ?? [];
      if (!hashes.some((h) => h.hash === line.hash)) hashes.push({ hash: line.hash, at: line.at });
      bySeq.set(line.seq, hashes);
      if (!incidents || line.incidents > incidents.count || line.maxIncident > incidents.maxId) {
        incidents = {
          count: Math.max(line.incidents, incidents?.count ?? 0),
          maxId: Math.max(line.maxIncident, incidents?.maxId ?? 0),
          at: line.at,
        };
      }
    });
    return { heads, incidents, problems, foreign };
  }

  /**
   * Keeps, per incident, the highest anchored head and every seq anchored with more than one
   * hash (proof of a rewrite must survive compaction); lines that fail their MAC are kept as
   * they are. Lines another process appends meanwhile may be lost: that only lags.
   */
  private compact(): void {
    if (!this.key) return;
    const text = fs.readFileSync(this.file, 'utf8');
    const kid = keyId(this.key);
    const kept: string[] = [];
    const best = new Map<number, { seq: number; raw: string }>();
    const seen = new Map<string, string>();
    const conflicted = new Set<string>();
    const valid: { line: AnchorLine; raw: string }[] = [];
    for (const raw of text.split('\n')) {
      if (raw === '') continue;
      let line: AnchorLine | undefined;
      try {
        line = JSON.parse(raw) as AnchorLine;
      } catch {
        line = undefined;
      }
      const { mac: given, ...body } = line ?? ({} as AnchorLine);
      if (!line || line.key !== kid || typeof given !== 'string' || !sameHex(given, mac(this.key, body as AnchorBody))) {
        kept.push(raw);
        continue;
      }
      valid.push({ line, raw });
      const slot = `${line.incident}:${line.seq}`;
      const hash = seen.get(slot);
      if (hash !== undefined && hash !== line.hash) conflicted.add(slot);
      else seen.set(slot, line.hash);
      const top = best.get(line.incident);
      if (!top || line.seq >= top.seq) best.set(line.incident, { seq: line.seq, raw });
    }
    for (const { line, raw } of valid) if (conflicted.has(`${line.incident}:${line.seq}`)) kept.push(raw);
    for (const { raw } of best.values()) if (!kept.includes(raw)) kept.push(raw);
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, kept.map((l) => `${l}\n`).join(''), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}
