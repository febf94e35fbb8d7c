import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { createDispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { createFixture, type Fixture } from '../services/fixtures';

/** Raw HTTP so Host and Origin can be forged the way a rebinding page would. */
function request(port: number, urlPath: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, path: urlPath, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(url: string, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

function call(ws: WebSocket, payload: string | Buffer): Promise<unknown> {
  return new Promise((resolve) => {
    const onMessage = (raw: WebSocket.RawData) => {
      const message = JSON.parse(raw.toString()) as { type: string };
      if (message.type === 'response') {
        ws.off('message', onMessage);
        resolve(message);
      }
    };
    ws.on('message', onMessage);
    ws.send(payload);
  });
}

describe('browser host', () => {
  let f: Fixture;
  let host: RunningHost;
  let renderer: string;

  beforeAll(async () => {
    f = createFixture();
    renderer = path.join(f.home, 'renderer');
    fs.mkdirSync(path.join(renderer, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(renderer, 'index.html'), '<!doctype html><script type="module" src="/assets/app.js"></script>');
    fs.writeFileSync(path.join(renderer, 'assets', 'app.js'), 'console.log(1)');
    fs.writeFileSync(path.join(f.home, 'secret.txt'), 'do not serve');
    host = await startHost({ dispatch: createDispatch(createHandlers(f.services, 'websocket')), events: f.services.events, rendererDir: renderer, maxMessageBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await host.close();
    f.cleanup();
  });

  const auth = () => ({ Authorization: `Bearer ${host.token}` });

  it('binds loopback on a random port and prints a URL carrying the token', () => {
    expect(host.origin).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(host.url).toBe(`${host.origin}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(43);
  });

  it('refuses every HTTP request without the right token', async () => {
    for (const p of ['/', '/index.html', '/assets/app.js', '/?token=wrong', '/anything']) {
      const res = await request(host.port, p);
      expect(res.status, p).toBe(401);
      expect(res.body).not.toContain('<script');
    }
    expect((await request(host.port, '/', { Authorization: 'Bearer nope' })).status).toBe(401);
    expect((await request(host.port, '/', { Cookie: `firebreak_${host.port}=nope` })).status).toBe(401);
  });

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie', async () => {
    const res = await request(host.port, `/?token=${host.token}`);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = res.headers['set-cookie']![0]!;
    expect(cookie).toMatch(new RegExp(`^firebreak_${host.port}=${host.token}; HttpOnly; SameSite=Strict; Path=/$`));
    const page = await request(host.port, '/', { Cookie: cookie.split(';')[0]! });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'none'");
    expect(page.headers['x-content-type-options']).toBe('nosniff');
  });

  it('redirects only to paths on the console itself (no open redirect after the token trade)', async () => {
    for (const [p, location] of [
      ['/.//evil.example/', '/evil.example/'],
      ['//evil.example/', '/'],
      ['/.%2F%2Fevil.example/', '/.%2F%2Fevil.example/'],
      ['/./\\evil.example/x', '/evil.example/x'],
      ['/assets/app.js?x=1', '/assets/app.js?x=1'],
    ] as const) {
      const res = await request(host.port, `${p}${p.includes('?') ? '&' : '?'}token=${host.token}`);
      expect(res.status, p).toBe(303);
      expect(res.headers.location, p).toBe(location);
      expect(res.headers.location, p).not.toMatch(/^[/\\]{2}/);
    }
  });

  it('refuses a foreign Host (DNS rebinding) or Origin even with the token', async () => {
    expect((await request(host.port, '/', { ...auth(), Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await request(host.port, '/', { ...auth(), Host: '127.0.0.1:1' })).status).toBe(403);
    expect((await request(host.port, '/', { ...auth(), Origin: 'http://evil.example' })).status).toBe(403);
    expect((await request(host.port, '/', { ...auth(), Origin: host.origin })).status).toBe(200);
  });

  it('never serves files outside the renderer', async () => {
    for (const p of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const res = await request(host.port, p, auth());
      expect(res.body, p).not.toContain('do not serve');
    }
  });

  it('refuses WebSocket upgrades without the token or from a foreign origin', async () => {
    const url = `ws://127.0.0.1:${host.port}/ws`;
    await expect(connect(url, { Origin: host.origin })).rejects.toThrow('HTTP 401');
    await expect(connect(url, { Origin: 'http://evil.example', Cookie: `firebreak_${host.port}=${host.token}` })).rejects.toThrow('HTTP 403');
    await expect(connect(`ws://127.0.0.1:${host.port}/other`, auth())).rejects.toThrow('HTTP 404');
    // A browser always sends Origin; a cookie alone without it is refused.
    await expect(connect(url, { Cookie: `firebreak_${host.port}=${host.token}` })).rejects.toThrow('HTTP 403');
    const ws = await connect(url, { Origin: host.origin, Cookie: `firebreak_${host.port}=${host.token}` });
    ws.close();
  });

  it('serves the contract over the WebSocket with the same validation', async () => {
    const ws = await connect(`ws://127.0.0.1:${host.port}/ws`, auth());
    expect(await call(ws, JSON.stringify({ id: 1, channel: 'incidents.create', input: { title: 'Via WS', severity: 'P1' } }))).toMatchObject({
      type: 'response',
      id: 1,
      result: { ok: true, value: { title: 'Via WS', severity: 'high' } },
    });
    expect(await call(ws, JSON.stringify({ id: 2, channel: 'incidents.create', input: { severity: 'P1' } }))).toMatchObject({
      id: 2,
      result: { ok: false, error: { code: 'invalid_input', message: expect.stringContaining('title:') } },
    });
    expect(await call(ws, JSON.stringify({ id: 3, channel: 'shell.exec', input: {} }))).toMatchObject({ id: 3, result: { ok: false, error: { code: 'unknown_channel' } } });
    expect(await call(ws, '{not json')).toMatchObject({ id: null, result: { ok: false, error: { message: 'message is not valid JSON' } } });
    expect(await call(ws, Buffer.from([1, 2, 3]))).toMatchObject({ id: null, result: { ok: false } });
    expect(await call(ws, JSON.stringify([1]))).toMatchObject({ id: null, result: { ok: false } });
    ws.close();
  });

  it('pushes events to connected clients', async () => {
    const ws = await connect(`ws://127.0.0.1:${host.port}/ws`, auth());
    const event = new Promise((resolve) => ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString()) as { type: string; event: string };
      if (message.type === 'event' && message.event === 'timeline.appended') resolve(message);
    }));
    f.services.incidents.addNote(1, 'pushed');
    expect(await event).toMatchObject({ payload: { entry: { kind: 'note', data: { text: 'pushed' } } } });
    ws.close();
  });

  it('drops an oversized frame and keeps serving others', async () => {
    const ws = await connect(`ws://127.0.0.1:${host.port}/ws`, auth());
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('x'.repeat(128 * 1024));
    expect(await closed).toBe(1009);
    expect((await request(host.port, '/', auth())).status).toBe(200);
    const again = await connect(`ws://127.0.0.1:${host.port}/ws`, auth());
    expect(await call(again, JSON.stringify({ id: 9, channel: 'app.info' }))).toMatchObject({ result: { ok: true, value: { transport: 'websocket' } } });
    again.close();
  });
});
