import type { ManagedTransaction } from 'neo4j-driver';
import type { Neo4jTarget, ProbeConfig, ProbeTarget, RedisTarget } from '../../../shared/probe-config';
import { blockStatements, parseRedisBlock, WRITE_CONFIRMATION, type ProbeQueryLanguage, type ProbeQueryOutcome, type StatementResult } from '../../../shared/probe-query';
import type { Clock } from '../clock';
import { ServiceError, invalidInput, notFound } from '../errors';
import { boltHandshake } from './neo4j-probe';
import { openRedis } from './redis-client';
import { displayUrl, errorMessage, scrubText, scrubValue } from './scrub';
import type { SecretStore } from './secret-store';

// Runs a runbook's `redis` / `cypher` block against a configured probe target and keeps the
// answer as evidence (issue 14). Read-only by default: Neo4j in a READ session (the server
// refuses writes there too), Redis only the allow-listed commands; anything else needs the
// typed confirmation. Commands are argv sent over the protocol, never through a shell.

/** Records kept per Cypher statement; more are counted, not stored. */
export const MAX_ROWS = 1_000;
export const DEFAULT_QUERY_TIMEOUT_MS = 10_000;

/** The part of the evidence service a kept result needs (storeTranscript). */
export interface ProbeQueryEvidence {
  storeTranscript(
    incidentId: number,
    request: { name: string; data: Buffer; producer: string; params?: Readonly<Record<string, unknown>>; mediaType?: string },
  ): Promise<{ artifacts: readonly { sha256: string | null }[] }>;
}

export interface ProbeQueryDeps {
  readonly config: () => ProbeConfig;
  readonly secrets: SecretStore;
  readonly evidence: ProbeQueryEvidence;
  readonly clock: Clock;
}

export interface ProbeQueryRequest {
  readonly incidentId: number;
  readonly language: ProbeQueryLanguage;
  readonly text: string;
  /** Probe target name; may be left out when exactly one target of the kind is configured. */
  readonly probe?: string | undefined;
  /** WRITE_CONFIRMATION, typed by the operator, to run a block that writes. */
  readonly confirmation?: string | undefined;
  readonly timeoutMs?: number | undefined;
}

const KIND_OF: Record<ProbeQueryLanguage, 'redis' | 'neo4j'> = { redis: 'redis', cypher: 'neo4j' };

/** The target the block runs against: named, or the only one of its kind. */
export function pickTarget(config: ProbeConfig, language: ProbeQueryLanguage, name: string | undefined): ProbeTarget {
  const kind = KIND_OF[language];
  const candidates = config.targets.filter((t) => t.kind === kind);
  if (name !== undefined) {
    const found = config.targets.find((t) => t.name.toLowerCase() === name.toLowerCase());
    if (!found) throw notFound(`probe target "${name}"`);
    if (found.kind !== kind) throw invalidInput('probe', `"${found.name}" is a ${found.kind} target; a ${language} block runs against a ${kind} one`);
    return found;
  }
  if (candidates.length === 1) return candidates[0]!;
  if (candidates.length === 0) throw invalidInput('probe', `no ${kind} probe target is configured (add one in Settings → Probes)`);
  throw invalidInput('probe', `${candidates.length} ${kind} probe targets are configured (${candidates.map((t) => t.name).join(', ')}): name one`);
}

/** Where a target is, for the evidence: never credentials. */
export function targetLabel(target: ProbeTarget): string {
  switch (target.kind) {
    case 'redis':
      return `redis${target.tls ? 's' : ''}://${target.host}:${target.port}/${target.db}`;
    case 'neo4j':
      return `${displayUrl(target.url)}${target.database ? ` (database ${target.database})` : ''}`;
    case 'http':
      return displayUrl(target.url);
    case 'tcp':
      return `${target.host}:${target.port}`;
  }
}

/** A reply made JSON-safe: Buffers as UTF-8 text, bigint as a string. */
function plain(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('utf8');
  if (typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(plain);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, plain(v)]));
  return value;
}

async function runRedis(target: RedisTarget, password: string | null, commands: readonly { line: number; argv: readonly string[] }[], timeoutMs: number): Promise<StatementResult[]> {
  const redis = await openRedis(target, password, { connectTimeoutMs: target.timeoutMs, commandTimeoutMs: timeoutMs, connectionName: 'firebreak-runbook' });
  const { client } = redis;
  try {
    try {
      await client.connect();
    } catch (error) {
      throw new ServiceError('conflict', `cannot connect to ${targetLabel(target)}: ${errorMessage(redis.lastError() ?? error)}`);
    }
    const results: StatementResult[] = [];
    for (const { line, argv } of commands) {
      const [name, ...args] = argv;
      try {
        results.push({ line, text: argv.join(' '), result: plain(await client.call(name!, ...args)) });
      } catch (error) {
        // A Redis error reply is the answer to that command; the block goes on, as redis-cli does.
        results.push({ line, text: argv.join(' '), result: null, error: errorMessage(error) });
      }
    }
    return results;
  } finally {
    redis.close();
  }
}

const TIMED_OUT = Symbol('timed out');

/** The promise's value, or TIMED_OUT after `ms` (the promise is left to settle on its own). */
async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  promise.catch(() => undefined); // a late rejection after the deadline is nobody's to handle
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

async function runCypher(target: Neo4jTarget, password: string | null, statements: readonly { line: number; text: string }[], write: boolean, timeoutMs: number): Promise<StatementResult[]> {
  // The driver only bounds the TCP connect; a server that never answers the handshake would hang it.
  const handshakeAbort = new AbortController();
  await boltHandshake(target.url, target.timeoutMs, handshakeAbort.signal).catch((error: unknown) => {
    throw new ServiceError('conflict', `cannot connect to ${targetLabel(target)}: ${errorMessage(error)}`);
  });
  // Loaded when a cypher block first runs: the driver's modules take ~0.25 s to load, which
  // every CLI command (a collect of a big log among them, issue 20) would otherwise pay at start.
  const { default: neo4j } = await import('neo4j-driver');
  const driver = neo4j.driver(target.url, target.username ? neo4j.auth.basic(target.username, password ?? '') : undefined, {
    connectionTimeout: target.timeoutMs,
    connectionAcquisitionTimeout: target.timeoutMs,
    maxConnectionPoolSize: 1,
    maxTransactionRetryTime: 0,
    userAgent: 'firebreak-runbook',
    disableLosslessIntegers: true,
  });
  const session = driver.session({ defaultAccessMode: write ? neo4j.session.WRITE : neo4j.session.READ, ...(target.database ? { database: target.database } : {}) });
  try {
    const results: StatementResult[] = [];
    for (const { line, text } of statements) {
      try {
        const work = async (tx: ManagedTransaction) => {
          const { records } = await tx.run(text);
          return { kept: records.slice(0, MAX_ROWS).map((r) => plain(r.toObject())), rows: records.length };
        };
        const config = { timeout: timeoutMs };
        // The transaction timeout is the server's to enforce; a server that stops answering
        // mid-query is cut here, and the rest of the block is not sent over the stuck connection.
        const answer = await withDeadline(write ? session.executeWrite(work, config) : session.executeRead(work, config), timeoutMs + target.timeoutMs);
        if (answer === TIMED_OUT) {
          results.push({ line, text, result: null, error: `no answer within ${timeoutMs + target.timeoutMs} ms; the rest of the block was not run` });
          break;
        }
        results.push({ line, text, result: answer.kept, rows: answer.rows, ...(answer.rows > MAX_ROWS ? { truncated: true } : {}) });
      } catch (error) {
        results.push({ line, text, result: null, error: errorMessage(error) });
      }
    }
    return results;
  } finally {
    await withDeadline(session.close().catch(() => undefined), 1_000);
    await withDeadline(driver.close().catch(() => undefined), 1_000);
  }
}

/**
 * Runs the block and keeps the answer as evidence of the incident: the block, the probe target
 * (without credentials), the mode, the time and every statement's result, through the evidence
 * service's transcript path (hash at capture, custody entry on the timeline).
 */
export async function runProbeQuery(deps: ProbeQueryDeps, request: ProbeQueryRequest): Promise<ProbeQueryOutcome> {
  const target = pickTarget(deps.config(), request.language, request.probe);
  const read = blockStatements(request.language, request.text);
  if ('error' in read) throw invalidInput('text', `${request.language} block ${read.error}`);
  const writes = read.statements.filter((s) => s.write !== null);
  const write = writes.length > 0;
  if (write && (request.confirmation ?? '').trim() !== WRITE_CONFIRMATION) {
    const first = writes[0]!;
    throw new ServiceError('forbidden', `line ${first.line}: ${first.write}; blocks run read-only: type "${WRITE_CONFIRMATION}" to run it against ${target.name}`);
  }
  const password = target.secretRef ? await deps.secrets.get(target.secretRef) : null;
  if (target.secretRef && password === null) throw new ServiceError('conflict', `the password of probe target ${target.name} (secret "${target.secretRef}") is not set`);
  const timeoutMs = request.timeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS;
  const at = new Date(deps.clock.now()).toISOString();
  let results: StatementResult[];
  try {
    if (target.kind === 'redis') {
      const parsed = parseRedisBlock(request.text);
      results = await runRedis(target, password, 'error' in parsed ? [] : parsed.commands, timeoutMs);
    } else if (target.kind === 'neo4j') {
      results = await runCypher(target, password, read.statements, write, timeoutMs);
    } else throw invalidInput('probe', `${target.name} is a ${target.kind} target`);
  } catch (error) {
    if (error instanceof ServiceError) throw new ServiceError(error.code, scrubText(error.message, [password]));
    throw new ServiceError('conflict', scrubText(`${target.name}: ${errorMessage(error)}`, [password]));
  }
  results = scrubValue(results, [password]);
  const kind = target.kind;
  const label = targetLabel(target);
  const document = { probe: target.name, kind, target: label, language: request.language, mode: write ? 'write' : 'read', at, block: request.text, results };
  const stored = await deps.evidence.storeTranscript(request.incidentId, {
    name: `${request.language}-${target.name.replace(/[^A-Za-z0-9._-]/g, '_')}-${at.replace(/[:.]/g, '-')}.json`,
    data: Buffer.from(`${JSON.stringify(document, null, 2)}\n`),
    producer: `runbook ${request.language} block (${target.name})`,
    params: { probe: target.name, kind, target: label, mode: document.mode, at, query: request.text },
    mediaType: 'application/json',
  });
  return { probe: target.name, kind, target: label, mode: write ? 'write' : 'read', at, results, sha256: stored.artifacts[0]?.sha256 ?? null };
}

