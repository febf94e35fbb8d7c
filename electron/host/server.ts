import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Dispatch } from '../dispatch';
import type { EventBus } from '../services/events';
import { checkHostAndOrigin, cookieName, newToken, presentedToken } from './auth';
import { resolveStatic, sendFile } from './static';
import { REPORT_CSS_HASH } from '../services/reports/html';
import { parseClientMessage, type ServerMessage } from './protocol';

export interface HostOptions {
  readonly dispatch: Dispatch;
  readonly events: EventBus;
  /** The built renderer (out/renderer). */
  readonly rendererDir: string;
  /** 0 (default) picks a free port. */
  readonly port?: number;
  readonly token?: string;
  /** Largest WebSocket message accepted, in bytes. */
  readonly maxMessageBytes?: number;
}

export interface RunningHost {
  readonly url: string;
  readonly origin: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const BIND_ADDRESS = '127.0.0.1';

function securityHeaders(port: number): Record<string, string> {
  const ws = `ws://127.0.0.1:${port} ws://localhost:${port}`;
  return {
    'Content-Security-Policy': [
      "default-src 'none'",
      "script-src 'self'",
      // The report preview (a sandboxed srcdoc frame inherits this policy) may use exactly the report's stylesheet.
      `style-src 'self' '${REPORT_CSS_HASH}'`,
      // xterm.js (the embedded terminals) writes its theme and cell metrics into <style>
      // elements it creates at run time, so those need 'unsafe-inline'. Scoped to style
      // elements only; style attributes keep style-src above and script-src stays strict.
      "style-src-elem 'self' 'unsafe-inline'",
      "img-src 'self' data:",
      "font-src 'self'",
      `connect-src 'self' ${ws}`,
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  };
}

/**
 * Where to send the browser after the token trade: always a path on this console. A path
 * starting with `//` or `/\\` is a protocol-relative URL to another host
 * (`/.//evil.example/` normalises to `//evil.example/`), so leading slashes collapse to one.
 */
export function consolePath(url: URL): string {
  return `/${url.pathname.replace(/^[/\\]+/, '')}${url.search}`;
}

function refuse(res: ServerResponse, status: 401 | 403 | 404 | 405, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}

/**
 * The browser host: the built renderer and the contract over a WebSocket, on loopback only.
 * Every HTTP request and the WebSocket upgrade must carry the per-launch token (query once,
 * then an HttpOnly SameSite=Strict cookie), and Host/Origin must name this console.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = options.token ?? newToken();
  const rendererDir = path.resolve(options.rendererDir);
  const maxPayload = options.maxMessageBytes ?? 1024 * 1024;
  const clients = new Set<WebSocket>();
  let port = 0;

  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const hostProblem = checkHostAndOrigin(req, port, false);
    if (hostProblem) return refuse(res, 403, `Forbidden: ${hostProblem}.`);
    const source = presentedToken(req, url, token, port);
    if (!source) return refuse(res, 401, 'Unauthorized: open the console with the link that `firebreak serve` printed (it carries the access token).');
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Method not allowed.');
    if (source === 'query') {
      // Trade the token in the URL for a cookie, so it does not linger in history or screenshots.
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: consolePath(url),
        'Cache-Control': 'no-store',
      });
      return res.end();
    }
    const file = resolveStatic(rendererDir, url.pathname);
    if (!file) return refuse(res, 404, 'Not found.');
    sendFile(res, file, securityHeaders(port));
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload });
  server.on('upgrade', (req: IncomingMessage, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const problem =
      url.pathname !== '/ws'
        ? 'not found'
        : (checkHostAndOrigin(req, port, !req.headers.authorization) ?? (presentedToken(req, url, token, port) ? undefined : 'unauthorized'));
    if (problem) {
      const status = problem === 'unauthorized' ? '401 Unauthorized' : problem === 'not found' ? '404 Not Found' : '403 Forbidden';
      socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws));
  });

  wss.on('connection', (ws: WebSocket) => {
    clients.add(ws);
    ws.on('close', () => clients.delete(ws));
    ws.on('error', () => clients.delete(ws));
    ws.on('message', (raw, isBinary) => {
      const parsed = parseClientMessage(raw, isBinary);
      if (!parsed.ok) return send(ws, { type: 'response', id: parsed.id, result: { ok: false, error: parsed.error } });
      void options.dispatch(parsed.message.channel, parsed.message.input).then((result) =>
        send(ws, { type: 'response', id: parsed.message.id, result }),
      );
    });
  });

  const unsubscribe = options.events.onAny((event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, BIND_ADDRESS, () => {
      server.off('error', reject);
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  const origin = `http://127.0.0.1:${port}`;

  return {
    url: `${origin}/?token=${token}`,
    origin,
    port,
    token,
    close: async () => {
      unsubscribe();
      for (const ws of clients) ws.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Above this a client is not reading (a stalled or background tab). Terminal output is
 * flow-controlled by acks, but every client gets every event, so one that stops reading
 * would make the host buffer without bound: drop it instead; it reconnects and reloads.
 */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

function send(ws: WebSocket, message: ServerMessage): void {
  if (ws.readyState !== ws.OPEN) return;
  if (ws.bufferedAmount > MAX_BUFFERED_BYTES) {
    ws.terminate();
    return;
  }
  ws.send(JSON.stringify(message));
}
