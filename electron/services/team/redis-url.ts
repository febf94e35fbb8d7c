import fs from 'node:fs';
import net from 'node:net';
import type { RedisOptions } from 'ioredis';

// The join URL: one Redis, or a Sentinel-managed master (teams that outgrow one Redis):
//   redis[s]://[user:pass@]host:port[/db]
//   redis[s]+sentinel://[user:pass@]sentinel:port[,sentinel:port…]/MASTER[/db]
// The password goes to the secret store; the URL kept in the database has none. `rediss`
// means TLS to Redis (and to the sentinels), verified against the system CAs or the CA file.

export class TeamError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TeamError';
  }
}

export interface TeamTarget {
  readonly tls: boolean;
  readonly username: string | null;
  readonly db: number;
  /** One Redis, or the sentinels and the master's name. */
  readonly direct: { readonly host: string; readonly port: number } | null;
  readonly sentinel: { readonly name: string; readonly sentinels: readonly { host: string; port: number }[] } | null;
}

const SENTINEL = /^(rediss?)\+sentinel:\/\/(?:([^:@/]*)(?::([^@/]*))?@)?([^/@]+)\/([^/]+?)(?:\/(\d{1,2}))?\/?$/;

function hostPort(text: string, defaultPort: number): { host: string; port: number } {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/.exec(text.trim());
  const port = m?.[2] === undefined ? defaultPort : Number(m[2]);
  if (!m || port < 1 || port > 65535) throw new TeamError(`not a host:port in the sentinel list: ${text}`);
  return { host: m[1]!.replace(/^\[|\]$/g, ''), port };
}

/** Parses a join URL; the password is returned apart and left out of `url`. */
export function parseTeamUrl(text: string): { url: string; password: string | null } {
  const s = SENTINEL.exec(text);
  if (s) {
    const [, scheme, user, pass, hosts, name, db] = s;
    hosts!.split(',').forEach((h) => hostPort(h, 26379));
    const password = pass ? decodeURIComponent(pass) : null;
    return { url: `${scheme}+sentinel://${user ? `${user}@` : ''}${hosts}/${name}${db ? `/${db}` : ''}`, password };
  }
  if (/^rediss?\+sentinel:/.test(text)) throw new TeamError(`not a Sentinel URL: ${text} (expected redis[s]+sentinel://[user:pass@]host:port[,host:port…]/MASTER[/db])`);
  let u: URL;
  try {
    u = new URL(text);
  } catch {
    throw new TeamError(`not a Redis URL: ${text} (expected redis[s]://[user:pass@]host:port[/db])`);
  }
  if (u.protocol !== 'redis:' && u.protocol !== 'rediss:') throw new TeamError(`the URL must start with redis://, rediss:// or redis+sentinel:// (got ${u.protocol}//)`);
  if (!u.hostname) throw new TeamError('the Redis URL has no host');
  if (u.pathname && u.pathname !== '/' && !/^\/\d{1,2}$/.test(u.pathname)) throw new TeamError(`the database in the Redis URL must be a number (got ${u.pathname.slice(1)})`);
  const password = u.password ? decodeURIComponent(u.password) : null;
  u.password = '';
  return { url: u.toString(), password };
}

/** Where a stored (password-less) URL points. */
export function teamTarget(url: string): TeamTarget {
  const s = SENTINEL.exec(url);
  if (s) {
    const [, scheme, user, , hosts, name, db] = s;
    return {
      tls: scheme === 'rediss',
      username: user ? decodeURIComponent(user) : null,
      db: db ? Number(db) : 0,
      direct: null,
      sentinel: { name: decodeURIComponent(name!), sentinels: hosts!.split(',').map((h) => hostPort(h, 26379)) },
    };
  }
  const u = new URL(url);
  return {
    tls: u.protocol === 'rediss:',
    username: u.username ? decodeURIComponent(u.username) : null,
    db: u.pathname.length > 1 ? Number(u.pathname.slice(1)) : 0,
    direct: { host: u.hostname.replace(/^\[|\]$/g, ''), port: Number(u.port || 6379) },
    sentinel: null,
  };
}

/** ioredis options for a target (reconnects and their backoff are the caller's). */
export function redisOptions(target: TeamTarget, password: string | null, caFile: string | null): RedisOptions {
  const ca = caFile ? fs.readFileSync(caFile) : undefined;
  const common: RedisOptions = {
    db: target.db,
    ...(target.username ? { username: target.username } : {}),
    ...(password !== null ? { password } : {}),
  };
  if (target.sentinel) {
    const tls = target.tls ? { ...(ca ? { ca } : {}) } : undefined;
    return {
      ...common,
      name: target.sentinel.name,
      sentinels: target.sentinel.sentinels.map((s) => ({ host: s.host, port: s.port })),
      ...(tls ? { tls, sentinelTLS: tls, enableTLSForSentinelMode: true } : {}),
      // A demoted master answers writes with READONLY until the connection is made again,
      // through the sentinels, to the new one.
      reconnectOnError: (error) => (error.message.startsWith('READONLY') ? 2 : false),
      // ioredis watches the sentinels' +switch-master and reconnects at once after a failover.
      failoverDetector: true,
    };
  }
  const { host, port } = target.direct!;
  return { ...common, host, port, ...(target.tls ? { tls: { ...(net.isIP(host) ? {} : { servername: host }), ...(ca ? { ca } : {}) } } : {}) };
}

/** A connection failure in words a responder can act on (TLS and auth in particular). */
export function connectionErrorText(error: Error, caFile: string | null): string {
  const code = (error as { code?: string }).code ?? '';
  const certificate = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT/.test(code) || /certificate/i.test(error.message);
  if (certificate) {
    return caFile
      ? `TLS: the server's certificate is not trusted by the CA file ${caFile} (${error.message})`
      : `TLS: the server's certificate is not trusted by the system CAs; pass the team's CA with --ca FILE (${error.message})`;
  }
  if (/WRONGPASS|NOAUTH|NOPERM/.test(error.message)) return `Redis refused the credentials: ${error.message}`;
  return error.message;
}
