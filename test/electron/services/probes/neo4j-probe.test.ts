import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { parseProbeConfig, type ProbeConfigInput } from '../../../../shared/probe-config';
import { probeNeo4j } from '../../../../electron/services/probes/neo4j-probe';
import { ProbeRunner, runProbesOnce } from '../../../../electron/services/probes/runner';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import type { ProbeAlert } from '../../../../electron/services/probes/types';
import { BoltStub } from './support/bolt-stub';

const stubs: BoltStub[] = [];
afterEach(async () => {
  await Promise.all(stubs.splice(0).map((s) => s.stop()));
});

async function stub(options: ConstructorParameters<typeof BoltStub>[0] = {}): Promise<BoltStub> {
  const s = await new BoltStub({ user: 'neo4j', password: 's3cret-pass', ...options }).start();
  stubs.push(s);
  return s;
}

async function secrets(): Promise<MemorySecretStore> {
  const store = new MemorySecretStore();
  await store.set('neo4j-pass', 's3cret-pass');
  return store;
}

function config(url: string, extra: Partial<Record<string, unknown>> = {}, top: Partial<ProbeConfigInput> = {}) {
  return parseProbeConfig({
    ...top,
    targets: [{ name: 'graph', kind: 'neo4j', url, username: 'neo4j', secretRef: 'neo4j-pass', timeoutMs: 2_000, retries: 0, ...extra }],
  });
}

describe('Neo4j probe against a Bolt stub', () => {
  it('connects, authenticates with LOGON, runs RETURN 1 and reports the server version', async () => {
    const s = await stub();
    const { results, worst, exitCode } = await runProbesOnce(config(s.url), { secrets: await secrets() });
    expect(results[0]).toMatchObject({ name: 'graph', kind: 'neo4j', state: 'ok', attempts: 1, error: null, skipped: false });
    expect(results[0]!.details).toMatchObject({ agent: 'Neo4j/5.26.0', version: '5.26.0', protocol: '5.3' });
    expect(typeof results[0]!.details.handshakeMs).toBe('number');
    expect(typeof results[0]!.details.queryMs).toBe('number');
    expect(worst).toBe('ok');
    expect(exitCode).toBe(0);
    expect(s.received).toEqual(expect.arrayContaining(['HELLO', 'LOGON', 'RUN', 'PULL']));
    // The driver was closed: no connection stays open.
    await expect.poll(() => s.openSockets, { timeout: 5_000 }).toBe(0);
  });

  it('also works with credentials in HELLO (Bolt 5.0)', async () => {
    const s = await stub({ minor: 0 });
    const { results } = await runProbesOnce(config(s.url), { secrets: await secrets() });
    expect(results[0]).toMatchObject({ state: 'ok' });
    expect(s.received).not.toContain('LOGON');
  });

  it('neo4j:// (routing) URLs work too (ROUTE answered by the stub)', async () => {
    const s = await stub();
    const { results } = await runProbesOnce(config(`neo4j://127.0.0.1:${s.port}`), { secrets: await secrets() });
    expect(results[0]).toMatchObject({ state: 'ok', target: `neo4j://127.0.0.1:${s.port}` });
    expect(s.received).toContain('ROUTE');
  });

  it('auth failure is down, not retried, and never shows the password', async () => {
    const s = await stub({ password: 'another' });
    const { results, exitCode } = await runProbesOnce(config(s.url, { retries: 3 }), { secrets: await secrets(), sleep: async () => undefined });
    expect(results[0]).toMatchObject({ state: 'down', attempts: 1 });
    expect(results[0]!.error).toMatch(/authentication failed/);
    expect(results[0]!.error).toMatch(/Neo\.ClientError\.Security\.Unauthorized/);
    expect(JSON.stringify(results)).not.toContain('s3cret-pass');
    expect(exitCode).toBe(2);
  });

  it('a slow query is a warning/danger by the query-time thresholds', async () => {
    const s = await stub({ queryDelayMs: 700 });
    const { results } = await runProbesOnce(config(s.url, { timeoutMs: 5_000 }), { secrets: await secrets() });
    expect(results[0]!.state).toBe('danger');
    expect(results[0]!.reasons.join(' ')).toMatch(/query .* > 500 ms/);
  });

  it('a server that accepts but never answers times out, and the sockets are closed', async () => {
    const s = await stub();
    s.mode = 'hang';
    const started = Date.now();
    const { results } = await runProbesOnce(config(s.url, { timeoutMs: 600, retries: 1 }, { backoff: { baseMs: 10, maxMs: 10, jitter: 0 } }), { secrets: await secrets() });
    expect(results[0]).toMatchObject({ state: 'down', attempts: 2 });
    expect(results[0]!.error).toMatch(/timed out|timeout|Connection acquisition/i);
    expect(Date.now() - started).toBeLessThan(10_000);
    await expect.poll(() => s.openSockets, { timeout: 5_000 }).toBe(0);
  });

  it('a query that hangs times out too', async () => {
    const s = await stub();
    s.mode = 'hang-query';
    const { results } = await runProbesOnce(config(s.url, { timeoutMs: 800 }), { secrets: await secrets() });
    expect(results[0]!.state).toBe('down');
    await expect.poll(() => s.openSockets, { timeout: 5_000 }).toBe(0);
  });

  it('the breaker opens after N failed runs, refuses without connecting, then half-opens', async () => {
    const s = await stub();
    s.mode = 'close';
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const alerts: ProbeAlert[] = [];
    const runner = new ProbeRunner(config(s.url, { timeoutMs: 1_000 }, { breaker: { failureThreshold: 3, coolDownMs: 60_000 } }), {
      secrets: await secrets(),
      clock,
      onAlert: (a) => alerts.push(a),
    });
    for (let i = 0; i < 3; i++) expect((await runner.run('graph')).state).toBe('down');
    expect(runner.breakerState('graph')).toBe('open');
    const before = s.connections;
    const refused = await runner.run('graph');
    expect(refused).toMatchObject({ state: 'down', skipped: true, attempts: 0, breaker: 'open' });
    expect(refused.error).toMatch(/^calls paused after \d+ failed runs \(circuit breaker open\); retrying at \d{4}-/);
    expect(refused.breakerRetryAt).toMatch(/^\d{4}-/);
    expect(s.connections).toBe(before); // not contacted
    clock.advance(60_000);
    expect(runner.breakerState('graph')).toBe('half-open');
    // Still dead: one trial, open again.
    const trial = await runner.run('graph');
    expect(trial).toMatchObject({ attempts: 1, breaker: 'open', skipped: false });
    clock.advance(60_000);
    s.mode = 'ok';
    const healed = await runner.run('graph');
    expect(healed).toMatchObject({ state: 'ok', breaker: 'closed' });
    expect(alerts.map((a) => [a.kind, a.from, a.to])).toEqual([
      ['alert.raised', 'ok', 'down'],
      ['alert.cleared', 'down', 'ok'],
    ]);
    expect(alerts[0]!.source).toBe('probe');
  });

  it('concurrent runs of one target share a single connection attempt', async () => {
    const s = await stub();
    const runner = new ProbeRunner(config(s.url), { secrets: await secrets() });
    const [a, b] = await Promise.all([runner.run('graph'), runner.run('graph')]);
    expect(a).toBe(b);
    expect(s.connections).toBe(2); // one run: the handshake check and the driver's connection

  });
});

const NEO4J_URI = process.env.NEO4J_URI;
describe.skipIf(!NEO4J_URI)('Neo4j probe against a real server (NEO4J_URI)', () => {
  it('is ok', async () => {
    const controller = new AbortController();
    const outcome = await probeNeo4j(
      { name: 'real', kind: 'neo4j', url: NEO4J_URI!, enabled: true, timeoutMs: 10_000, retries: 0, intervalMs: 30_000, username: process.env.NEO4J_USER ?? 'neo4j' },
      { password: process.env.NEO4J_PASSWORD ?? null, thresholds: parseProbeConfig({}).thresholds, signal: controller.signal, timeoutMs: 10_000 },
    );
    expect(['ok', 'warning', 'danger']).toContain(outcome.state);
    expect(outcome.details.agent).toMatch(/^Neo4j\//);
  });
});
