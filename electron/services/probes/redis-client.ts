import type Redis from 'ioredis';
import { loadRedis } from '../ioredis';
import type { RedisTarget } from '../../../shared/probe-config';

export interface OpenRedis {
  readonly client: Redis;
  /** The last 'error' event: ioredis rejects with a generic error, the event says why. */
  lastError(): unknown;
  /** Disconnects and destroys the socket: never leaves a connection behind. */
  close(): void;
}

/**
 * One short-lived client for a probe target (the probe's PING/INFO, a runbook block): it
 * connects only when asked (lazyConnect), never reconnects, never queues commands offline, so
 * a dead server cannot pile up connections. `password`: the target's secret, already read.
 */
export async function openRedis(
  target: RedisTarget,
  password: string | null,
  options: { readonly connectTimeoutMs: number; readonly commandTimeoutMs: number; readonly connectionName: string },
): Promise<OpenRedis> {
  const RedisClient = await loadRedis();
  const client = new RedisClient({
    host: target.host,
    port: target.port,
    db: target.db,
    ...(target.username ? { username: target.username } : {}),
    ...(password ? { password } : {}),
    ...(target.tls ? { tls: { servername: target.host } } : {}),
    connectTimeout: options.connectTimeoutMs,
    commandTimeout: options.commandTimeoutMs,
    lazyConnect: true,
    enableOfflineQueue: false,
    enableReadyCheck: false,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    reconnectOnError: () => false,
    autoResubscribe: false,
    connectionName: options.connectionName,
  });
  let lastError: unknown = null;
  client.on('error', (error: unknown) => {
    lastError = error; // reported through the rejected connect/command; the listener stops "Unhandled error event"
  });
  return {
    client,
    lastError: () => lastError,
    close: () => {
      client.disconnect();
      client.stream?.destroy();
    },
  };
}
