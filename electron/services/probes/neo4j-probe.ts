import net from 'node:net';
import tls from 'node:tls';
import type { Driver } from 'neo4j-driver';
import type { Neo4jTarget } from '../../../shared/probe-config';
import { ProbeError } from './resilience';
import { elapsedMs, roundMs, Verdict, type ProbeContext, type ProbeOutcome } from './types';

const NON_RETRYABLE = /^Neo\.ClientError\.Security\./;

function classifyNeo4jError(error: unknown): ProbeError {
  if (error instanceof ProbeError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && NON_RETRYABLE.test(code)) {
    return new ProbeError(`authentication failed: ${message} (${code})`, false, code);
  }
  return new ProbeError(typeof code === 'string' && code && !message.includes(code) ? `${message} (${code})` : message, true, typeof code === 'string' ? code : undefined);
}

/** Closing a driver whose socket is stuck must not hold the probe up. */
async function closeQuietly(driver: Driver, ms = 1_000): Promise<void> {
  await Promise.race([driver.close().catch(() => undefined), new Promise((resolve) => setTimeout(resolve, ms).unref?.())]);
}

/** Bolt magic preamble and four proposals [0, range, minor, major]: 5.8–5.0, 4.4–4.2, 4.1, 3.0. */
const HANDSHAKE = Buffer.from([0x60, 0x60, 0xb0, 0x17, 0, 8, 8, 5, 0, 2, 4, 4, 0, 0, 1, 4, 0, 0, 0, 3]);

/**
 * A raw Bolt handshake on its own socket, closed afterwards. neo4j-driver's connectionTimeout
 * only covers the TCP connect: against a server that accepts and then never answers, the
 * driver would wait (and keep the socket) forever. Checking the handshake first means the
 * driver only ever talks to a server that answers.
 */
export function boltHandshake(url: string, timeoutMs: number, signal: AbortSignal): Promise<{ ms: number; version: string }> {
  const parsed = new URL(url);
  const secure = parsed.protocol.endsWith('+s:') || parsed.protocol.endsWith('+ssc:');
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  const port = Number(parsed.port || 7687);
  return new Promise((resolve, reject) => {
    const start = process.hrtime.bigint();
    const socket = secure
      ? tls.connect({ host, port, servername: net.isIP(host) ? undefined : host, rejectUnauthorized: !parsed.protocol.endsWith('+ssc:') })
      : net.connect({ host, port });
    let reply = Buffer.alloc(0);
    const fail = (error: Error) => {
      socket.destroy();
      reject(error);
    };
    const abort = () => fail(signal.reason instanceof Error ? signal.reason : new Error('aborted'));
    signal.addEventListener('abort', abort, { once: true });
    socket.once('close', () => signal.removeEventListener('abort', abort));
    socket.setTimeout(timeoutMs, () => fail(new ProbeError(`no Bolt handshake reply within ${timeoutMs} ms`, true, 'timeout')));
    socket.once(secure ? 'secureConnect' : 'connect', () => socket.write(HANDSHAKE));
    socket.on('data', (data: Buffer) => {
      reply = Buffer.concat([reply, data]);
      if (reply.length < 4) return;
      const ms = elapsedMs(start);
      socket.destroy();
      if (reply.subarray(0, 4).toString('latin1') === 'HTTP') {
        reject(new ProbeError('the server answered with HTTP: this is the HTTP port (Bolt is usually 7687)', false, 'not_bolt'));
        return;
      }
      const [, , minor = 0, major = 0] = reply;
      if (major === 0) reject(new ProbeError('the server speaks none of the Bolt versions offered', false, 'bolt_version'));
      else resolve({ ms, version: `${major}.${minor}` });
    });
    socket.once('end', () => fail(new ProbeError('the server closed the connection during the Bolt handshake', true, 'ECONNRESET')));
    socket.once('error', (error) => fail(error));
  });
}

/**
 * Connects (handshake + HELLO/LOGON), reads the server info, runs `RETURN 1` and times it.
 * One connection at most (pool size 1), no transaction retries, driver always closed.
 */
export async function probeNeo4j(target: Neo4jTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  const handshake = await boltHandshake(target.url, ctx.timeoutMs, ctx.signal).catch((error: unknown) => {
    throw classifyNeo4jError(error);
  });
  // Loaded on first use: the driver takes ~0.25 s to load, which every CLI command would pay at start.
  const { default: neo4j } = await import('neo4j-driver');
  const auth = target.username ? neo4j.auth.basic(target.username, ctx.password ?? '') : undefined;
  const driver = neo4j.driver(target.url, auth, {
    connectionTimeout: ctx.timeoutMs,
    connectionAcquisitionTimeout: ctx.timeoutMs,
    maxConnectionPoolSize: 1,
    maxTransactionRetryTime: 0,
    userAgent: 'firebreak-probe',
    disableLosslessIntegers: true,
  });
  const abort = () => void closeQuietly(driver);
  ctx.signal.addEventListener('abort', abort, { once: true });
  try {
    const connectStart = process.hrtime.bigint();
    const info = await driver.getServerInfo(target.database ? { database: target.database } : {});
    const connectMs = elapsedMs(connectStart);
    const session = driver.session({ defaultAccessMode: neo4j.session.READ, ...(target.database ? { database: target.database } : {}) });
    let queryMs: number;
    let value: unknown;
    try {
      const queryStart = process.hrtime.bigint();
      const result = await session.run('RETURN 1 AS ok', {}, { timeout: ctx.timeoutMs });
      queryMs = elapsedMs(queryStart);
      value = result.records[0]?.get('ok');
    } finally {
      await session.close().catch(() => undefined);
    }
    const verdict = new Verdict();
    if (Number(value) !== 1) verdict.raise('danger', `RETURN 1 returned ${JSON.stringify(value)}`);
    verdict.check('connect', connectMs, ctx.thresholds.latencyMs, ' ms');
    verdict.check('query', queryMs, ctx.thresholds.queryMs, ' ms');
    const agent = info.agent ?? null;
    return {
      state: verdict.state,
      latencyMs: roundMs(connectMs),
      reasons: verdict.reasons,
      details: {
        agent,
        version: agent?.match(/\/(\S+)/)?.[1] ?? null,
        protocol: info.protocolVersion === undefined ? null : String(info.protocolVersion),
        address: info.address ?? null,
        handshakeMs: roundMs(handshake.ms),
        connectMs: roundMs(connectMs),
        queryMs: roundMs(queryMs),
      },
    };
  } catch (error) {
    if (ctx.signal.aborted) throw ctx.signal.reason;
    throw classifyNeo4jError(error);
  } finally {
    ctx.signal.removeEventListener('abort', abort);
    await closeQuietly(driver);
  }
}
