import type { RedisTarget } from '../../../shared/probe-config';
import { openRedis } from './redis-client';
import { ProbeError } from './resilience';
import { elapsedMs, roundMs, Verdict, type ProbeContext, type ProbeOutcome } from './types';

/** `key:value` lines of an INFO reply. */
export function parseInfo(text: string): Map<string, string> {
  const map = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    if (!line || line.startsWith('#')) continue;
    const colon = line.indexOf(':');
    if (colon > 0) map.set(line.slice(0, colon), line.slice(colon + 1));
  }
  return map;
}

const num = (v: string | undefined): number | null => (v === undefined || v === '' || !Number.isFinite(Number(v)) ? null : Number(v));

const AUTH_ERROR = /WRONGPASS|NOAUTH|invalid password|invalid username-password/i;

/** The command's rejection is often just "Connection is closed."; the cause arrives as an 'error' event. */
function classifyRedisError(error: unknown, lastEvent: unknown): ProbeError {
  const messages = [error, lastEvent].filter((e) => e !== null && e !== undefined).map((e) => (e instanceof Error ? e.message : String(e)));
  const auth = messages.find((m) => AUTH_ERROR.test(m));
  if (auth) return new ProbeError(`authentication failed: ${auth}`, false, 'auth');
  if (error instanceof ProbeError) return error;
  const message = messages[0] ?? 'unknown error';
  const cause = messages[1] && messages[1] !== message ? ` (${messages[1]})` : '';
  return new ProbeError(`${message}${cause}`, true, (error as { code?: string } | null)?.code);
}

/**
 * PING latency, then INFO: used_memory vs maxmemory, connected_clients vs maxclients, the
 * eviction policy. A probe client never reconnects, never queues commands offline and is
 * always disconnected, so a dead server cannot pile up connections.
 */
export async function probeRedis(target: RedisTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  const redis = await openRedis(target, ctx.password, { connectTimeoutMs: ctx.timeoutMs, commandTimeoutMs: ctx.timeoutMs, connectionName: 'firebreak-probe' });
  const { client } = redis;
  const abort = () => redis.close();
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    const connectStart = process.hrtime.bigint();
    await client.connect();
    const connectMs = elapsedMs(connectStart);
    const pingStart = process.hrtime.bigint();
    const pong = await client.ping();
    const pingMs = elapsedMs(pingStart);
    if (pong !== 'PONG') throw new ProbeError(`unexpected PING reply ${JSON.stringify(pong).slice(0, 40)}`);
    const info = parseInfo(await client.info());
    const used = num(info.get('used_memory'));
    const max = num(info.get('maxmemory'));
    const clients = num(info.get('connected_clients'));
    const maxClients = num(info.get('maxclients'));
    const verdict = new Verdict();
    verdict.check('PING', pingMs, ctx.thresholds.latencyMs, ' ms');
    const memoryPercent = used !== null && max !== null && max > 0 ? (used / max) * 100 : null;
    if (memoryPercent !== null) verdict.check('memory', memoryPercent, ctx.thresholds.memoryPercent, ' %');
    const clientsPercent = clients !== null && maxClients !== null && maxClients > 0 ? (clients / maxClients) * 100 : null;
    if (clientsPercent !== null) verdict.check('clients', clientsPercent, ctx.thresholds.clientsPercent, ' %');
    return {
      state: verdict.state,
      latencyMs: roundMs(pingMs),
      reasons: verdict.reasons,
      details: {
        version: info.get('redis_version') ?? null,
        connectMs: roundMs(connectMs),
        pingMs: roundMs(pingMs),
        usedMemory: used,
        usedMemoryHuman: info.get('used_memory_human') ?? null,
        maxmemory: max,
        memoryPercent: memoryPercent === null ? null : roundMs(memoryPercent),
        maxmemoryPolicy: info.get('maxmemory_policy') ?? null,
        connectedClients: clients,
        maxClients,
        evictedKeys: num(info.get('evicted_keys')),
      },
    };
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw classifyRedisError(error, redis.lastError());
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    redis.close();
  }
}
