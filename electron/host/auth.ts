import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookies are not port-scoped, so the name carries the port: two hosts never share one. */
export function cookieName(port: number): string {
  return `firebreak_${port}`;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0) cookies.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
  }
  return cookies;
}

export type TokenSource = 'query' | 'header' | 'cookie';

/** Where a valid token came from, or undefined when the request carries none that matches. */
export function presentedToken(req: IncomingMessage, url: URL, token: string, port: number): TokenSource | undefined {
  const query = url.searchParams.get('token');
  if (query !== null && sameSecret(query, token)) return 'query';
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ') && sameSecret(auth.slice(7), token)) return 'header';
  const cookie = parseCookies(req.headers.cookie).get(cookieName(port));
  if (cookie !== undefined && sameSecret(cookie, token)) return 'cookie';
  return undefined;
}

/**
 * DNS-rebinding defence: the Host header must name the loopback address we bound, and a
 * present Origin must be our own. Returns why a request is refused, or undefined.
 */
export function checkHostAndOrigin(req: IncomingMessage, port: number, requireOrigin: boolean): string | undefined {
  const allowedHosts = new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
  const host = req.headers.host ?? '';
  if (!allowedHosts.has(host)) return `Host header ${JSON.stringify(host.slice(0, 100))} is not this console`;
  const origin = req.headers.origin;
  if (origin === undefined) return requireOrigin ? 'missing Origin header' : undefined;
  const allowedOrigins = new Set([...allowedHosts].map((h) => `http://${h}`));
  if (!allowedOrigins.has(origin)) return `Origin ${JSON.stringify(origin.slice(0, 100))} is not this console`;
  return undefined;
}
