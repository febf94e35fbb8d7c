import http from 'node:http';
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseProbeConfig } from '../../../../shared/probe-config';
import { formatProbeTable, runProbesOnce } from '../../../../electron/services/probes/runner';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

async function httpServer(handler: Handler): Promise<{ url: string; sockets: Set<net.Socket>; requests: http.IncomingMessage[] }> {
  const sockets = new Set<net.Socket>();
  const requests: http.IncomingMessage[] = [];
  const server = http.createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((r) => server.close(() => r()));
  });
  return { url: `http://127.0.0.1:${(server.address() as net.AddressInfo).port}`, sockets, requests };
}

const secrets = new MemorySecretStore();

function cfg(targets: unknown[]) {
  return parseProbeConfig({ backoff: { baseMs: 10, maxMs: 20, jitter: 0 }, targets });
}

describe('HTTP probe', () => {
  it('ok for a healthy /health/detailed with the expected text', async () => {
    const s = await httpServer((_req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ status: 'healthy', services: { neo4j: 'healthy', redis: 'healthy' } }));
    });
    const { results } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: `${s.url}/health/detailed`, expectText: 'healthy' }]), { secrets });
    expect(results[0]).toMatchObject({ state: 'ok', details: { status: 200, healthStatus: 'healthy', expectTextFound: true } });
  });

  it('a degraded /health/detailed is a warning naming the unhealthy service', async () => {
    const s = await httpServer((_req, res) => res.end(JSON.stringify({ status: 'degraded', services: { neo4j: 'unhealthy', redis: 'healthy' } })));
    const { results, exitCode } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: `${s.url}/health/detailed` }]), { secrets });
    expect(results[0]).toMatchObject({ state: 'warning', details: { unhealthyServices: 'neo4j=unhealthy' } });
    expect(exitCode).toBe(0);
  });

  it('HTTP 500 is danger (the service answers, but fails)', async () => {
    const s = await httpServer((_req, res) => {
      res.statusCode = 500;
      res.end('boom');
    });
    const { results, worst, exitCode } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: s.url }]), { secrets });
    expect(results[0]).toMatchObject({ state: 'danger', attempts: 1, details: { status: 500 } });
    expect(results[0]!.reasons).toContain('HTTP 500');
    expect(worst).toBe('danger');
    expect(exitCode).toBe(1);
  });

  it('missing expected text is danger', async () => {
    const s = await httpServer((_req, res) => res.end('all good'));
    const { results } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: s.url, expectText: 'healthy' }]), { secrets });
    expect(results[0]).toMatchObject({ state: 'danger', details: { expectTextFound: false } });
  });

  it('a slow response (> 500 ms) is danger, 200–500 ms a warning', async () => {
    const slow = await httpServer((_req, res) => setTimeout(() => res.end('ok'), 800));
    const medium = await httpServer((_req, res) => setTimeout(() => res.end('ok'), 300));
    const { results } = await runProbesOnce(
      cfg([
        { name: 'slow', kind: 'http', url: slow.url, timeoutMs: 5_000 },
        { name: 'medium', kind: 'http', url: medium.url, timeoutMs: 5_000 },
      ]),
      { secrets },
    );
    expect(results[0]!.state).toBe('danger');
    expect(results[0]!.latencyMs).toBeGreaterThan(500);
    // 300 ms server delay: at least a warning; on a loaded machine it may cross 500 ms.
    expect(['warning', 'danger']).toContain(results[1]!.state);
  });

  it('a response slower than the timeout is down after the retries, and the connections are closed', async () => {
    const s = await httpServer(() => undefined); // never answers
    const { results } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: s.url, timeoutMs: 300, retries: 1 }]), { secrets });
    expect(results[0]).toMatchObject({ state: 'down', attempts: 2 });
    expect(results[0]!.error).toMatch(/timed out|no response/);
    await expect.poll(() => s.sockets.size, { timeout: 5_000 }).toBe(0);
  });

  it('a server that closes the connection is down', async () => {
    const s = await httpServer((req) => req.socket.destroy());
    const { results } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: s.url, retries: 2 }]), { secrets });
    expect(results[0]).toMatchObject({ state: 'down', attempts: 3 });
    expect(results[0]!.error).toMatch(/socket hang up|ECONNRESET|closed/i);
  });

  it('sends basic auth from the secret store and never shows it', async () => {
    const store = new MemorySecretStore();
    await store.set('api-pass', 'pa55-word-xyz');
    let seen = '';
    const s = await httpServer((req, res) => {
      seen = req.headers.authorization ?? '';
      res.statusCode = 503;
      res.end('unavailable for pa55-word-xyz');
    });
    const { results } = await runProbesOnce(cfg([{ name: 'api', kind: 'http', url: s.url, username: 'ops', secretRef: 'api-pass' }]), { secrets: store });
    expect(seen).toBe(`Basic ${Buffer.from('ops:pa55-word-xyz').toString('base64')}`);
    expect(results[0]!.state).toBe('danger');
    expect(JSON.stringify(results)).not.toContain('pa55-word-xyz');
  });
});

describe('TCP probe', () => {
  it('ok when the port accepts; down when it is closed', async () => {
    const server = net.createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    closers.push(() => new Promise<void>((r) => server.close(() => r())));
    const closed = net.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const closedPort = (closed.address() as net.AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const { results, worst } = await runProbesOnce(
      cfg([
        { name: 'db-port', kind: 'tcp', host: '127.0.0.1', port },
        { name: 'dead-port', kind: 'tcp', host: '127.0.0.1', port: closedPort, retries: 1 },
      ]),
      { secrets },
    );
    expect(results[0]).toMatchObject({ state: 'ok', target: `tcp://127.0.0.1:${port}` });
    expect(results[1]).toMatchObject({ state: 'down', attempts: 2 });
    expect(results[1]!.error).toMatch(/ECONNREFUSED/);
    expect(worst).toBe('down');
    const table = formatProbeTable(results);
    expect(table.split('\n')[0]).toMatch(/^NAME\s+KIND\s+STATE\s+LATENCY\s+TARGET\s+NOTE$/);
    expect(table).toContain('DOWN');
  });
});
