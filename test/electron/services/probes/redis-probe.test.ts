import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import Redis from 'ioredis';
import { ManualClock } from '../../../../electron/services/clock';
import { parseProbeConfig } from '../../../../shared/probe-config';
import { parseInfo } from '../../../../electron/services/probes/redis-probe';
import { ProbeRunner, runProbesOnce } from '../../../../electron/services/probes/runner';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import type { ProbeAlert } from '../../../../electron/services/probes/types';
import { redisAvailable, startRedis, type RedisHandle } from './support/redis-server';

const available = redisAvailable();
const handles: RedisHandle[] = [];
afterEach(async () => {
  await Promise.all(handles.splice(0).map((h) => h.stop()));
});

async function redis(args: string[] = []): Promise<RedisHandle> {
  const h = await startRedis(args);
  handles.push(h);
  return h;
}

function cfg(port: number, extra: Record<string, unknown> = {}) {
  return parseProbeConfig({
    backoff: { baseMs: 20, maxMs: 50, jitter: 0.2 },
    breaker: { failureThreshold: 2, coolDownMs: 30_000 },
    targets: [{ name: 'cache', kind: 'redis', host: '127.0.0.1', port, timeoutMs: 2_000, retries: 1, ...extra }],
  });
}

/** Counts client connections the server sees (ours included). */
async function connectedClients(port: number, password?: string): Promise<number> {
  const c = new Redis({ port, host: '127.0.0.1', lazyConnect: true, ...(password ? { password } : {}) });
  await c.connect();
  const n = Number(parseInfo(await c.info('clients')).get('connected_clients'));
  c.disconnect();
  return n - 1;
}

describe.skipIf(!available)('Redis probe against a real redis-server', () => {
  it('reports PING latency, memory, clients and the eviction policy', async () => {
    const h = await redis(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    const { results, worst } = await runProbesOnce(cfg(h.port), { secrets: new MemorySecretStore() });
    const r = results[0]!;
    expect(r).toMatchObject({ name: 'cache', kind: 'redis', state: 'ok', attempts: 1, target: `redis://127.0.0.1:${h.port}/0` });
    expect(r.latencyMs).toBeGreaterThanOrEqual(0);
    expect(r.details).toMatchObject({ maxmemory: 64 * 1024 * 1024, maxmemoryPolicy: 'allkeys-lru', maxClients: 10000 });
    expect(r.details.usedMemory).toBeGreaterThan(0);
    expect(r.details.memoryPercent).toBeLessThan(80);
    expect(String(r.details.version)).toMatch(/^\d+\.\d+/);
    expect(worst).toBe('ok');
    await expect.poll(() => connectedClients(h.port), { timeout: 5_000 }).toBe(0);
  });

  it('maxmemory near the limit is danger (used_memory / maxmemory ≥ 90 %)', async () => {
    const h = await redis(['--maxmemory', '4mb', '--maxmemory-policy', 'noeviction']);
    const filler = new Redis({ port: h.port, host: '127.0.0.1' });
    const value = 'x'.repeat(1024);
    // Fill until Redis refuses writes (OOM under noeviction): used ≥ maxmemory.
    for (let i = 0; i < 10_000; i++) {
      try {
        await filler.set(`k${i}`, value);
      } catch {
        break;
      }
    }
    filler.disconnect();
    const alerts: ProbeAlert[] = [];
    const runner = new ProbeRunner(cfg(h.port), { secrets: new MemorySecretStore(), onAlert: (a) => alerts.push(a) });
    const r = await runner.run('cache');
    expect(r.state).toBe('danger');
    expect(r.details.memoryPercent).toBeGreaterThanOrEqual(90);
    expect(r.details.maxmemoryPolicy).toBe('noeviction');
    expect(r.reasons.join(' ')).toMatch(/memory .*%/);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'alert.raised', from: 'ok', to: 'danger', source: 'probe', probe: 'cache' });
  });

  it('a wrong password is down, not retried, and the password never appears', async () => {
    const h = await redis(['--requirepass', 'right-horse-battery']);
    const secrets = new MemorySecretStore();
    await secrets.set('cache-pass', 'wrong-horse-battery');
    const { results, exitCode } = await runProbesOnce(cfg(h.port, { secretRef: 'cache-pass', retries: 3 }), { secrets });
    expect(results[0]).toMatchObject({ state: 'down', attempts: 1 });
    expect(results[0]!.error).toMatch(/authentication failed/i);
    expect(JSON.stringify(results)).not.toContain('horse-battery');
    expect(exitCode).toBe(2);
    await secrets.set('cache-pass', 'right-horse-battery');
    const ok = await runProbesOnce(cfg(h.port, { secretRef: 'cache-pass' }), { secrets });
    expect(ok.results[0]!.state).toBe('ok');
    expect(JSON.stringify(ok.results)).not.toContain('horse-battery');
    await expect.poll(() => connectedClients(h.port, 'right-horse-battery'), { timeout: 5_000 }).toBe(0);
  });

  it('server stopped mid-test: down with retries, breaker opens, back to ok after restart', async () => {
    const h = await redis();
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const alerts: ProbeAlert[] = [];
    const runner = new ProbeRunner(cfg(h.port, { timeoutMs: 1_000 }), { secrets: new MemorySecretStore(), clock, onAlert: (a) => alerts.push(a) });
    expect((await runner.run('cache')).state).toBe('ok');
    await h.stop();
    const first = await runner.run('cache');
    expect(first).toMatchObject({ state: 'down', attempts: 2, breaker: 'closed' });
    expect(first.error).toMatch(/ECONNREFUSED|connect|closed/i);
    const second = await runner.run('cache');
    expect(second.breaker).toBe('open');
    const refused = await runner.run('cache');
    expect(refused).toMatchObject({ skipped: true, attempts: 0 });
    // Restart on the same port, wait out the cool-down: the half-open trial succeeds.
    const port = h.port;
    const again = await startRedis([], port);
    handles.push(again);
    clock.advance(30_000);
    const healed = await runner.run('cache');
    expect(healed).toMatchObject({ state: 'ok', breaker: 'closed' });
    expect(alerts.map((a) => `${a.from}->${a.to}`)).toEqual(['ok->down', 'down->ok']);
  });

  it('a port that accepts but never answers times out without piling up', async () => {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('data', () => undefined); // read (and ignore) so the client's close is seen
      s.on('close', () => sockets.delete(s));
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as net.AddressInfo).port;
    try {
      const { results } = await runProbesOnce(cfg(port, { timeoutMs: 500, retries: 2 }), { secrets: new MemorySecretStore() });
      expect(results[0]).toMatchObject({ state: 'down', attempts: 3 });
      expect(results[0]!.error).toMatch(/timed out|timeout/i);
      await expect.poll(() => sockets.size, { timeout: 5_000 }).toBe(0);
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    }
  });
});

