import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import { createServices, type Services } from '../../../../electron/services';
import type { ProbeQueryOutcome } from '../../../../shared/probe-query';
import { tempHome } from '../../../support/temp-home';
import { BoltStub } from './support/bolt-stub';
import { redisAvailable, startRedis, type RedisHandle } from './support/redis-server';

// Runbook redis/cypher blocks against configured probe targets, through dispatch: read-only by
// default, writes only with the typed confirmation, the answer kept as evidence with custody.

type Dispatch = ReturnType<typeof createDispatch>;

function setup() {
  const home = tempHome();
  const services = createServices({ home: home.dir, identity: { actor: 'alice', host: 'laptop-1' } });
  const dispatch = createDispatch(createHandlers(services, 'websocket'));
  const incident = services.incidents.create({ title: 'Cache misbehaving', severity: 'high' });
  return { home, services, dispatch, incident };
}

async function value(dispatch: Dispatch, input: Record<string, unknown>): Promise<ProbeQueryOutcome> {
  const r = await dispatch('probes.query', input as never);
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as ProbeQueryOutcome;
}

function stored(services: Services, incidentId: number, sha256: string | null): Record<string, unknown> {
  const artifact = services.evidence.listArtifacts(incidentId).find((a) => a.sha256 === sha256);
  expect(artifact, 'artifact').toBeDefined();
  return JSON.parse(fs.readFileSync(services.evidence.blobPath(artifact!)!, 'utf8')) as Record<string, unknown>;
}

describe.skipIf(!redisAvailable())('redis blocks against a real redis-server', () => {
  let redis: RedisHandle;
  let ctx: ReturnType<typeof setup>;

  beforeAll(async () => {
    redis = await startRedis(['--requirepass', 'r3dis-pass']);
    ctx = setup();
    await ctx.services.secrets.set('cache-pw', 'r3dis-pass');
    await ctx.services.monitor.setProbeConfig({ targets: [{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: redis.port, secretRef: 'cache-pw' }] });
  }, 30_000);
  afterAll(async () => {
    ctx?.services.close();
    await redis?.stop();
    ctx?.home.cleanup();
  });

  it('runs read commands (quotes kept as one argument) and keeps the answer as evidence', async () => {
    const { services, dispatch, incident } = ctx;
    // Seeded through a confirmed write: the only way a block may change anything.
    const write = await value(dispatch, { incidentId: incident.id, language: 'redis', text: 'SET "session:user 42" \'{"a": 1}\'\nHSET job:7 state stuck', confirmation: 'RUN' });
    expect(write.mode).toBe('write');
    const outcome = await value(dispatch, { incidentId: incident.id, language: 'redis', text: '127.0.0.1:6379> GET "session:user 42"\n# the job\nHGETALL job:7\nDBSIZE\nGET' });
    expect(outcome).toMatchObject({ probe: 'cache', kind: 'redis', target: `redis://127.0.0.1:${redis.port}/0`, mode: 'read' });
    expect(outcome.results.map((r) => [r.line, r.text, r.result])).toEqual([
      [1, 'GET session:user 42', '{"a": 1}'],
      [3, 'HGETALL job:7', ['state', 'stuck']],
      [4, 'DBSIZE', 2],
      [5, 'GET', null],
    ]);
    expect(outcome.results[3]!.error).toMatch(/wrong number of arguments/i);
    const doc = stored(services, incident.id, outcome.sha256);
    expect(doc).toMatchObject({ probe: 'cache', kind: 'redis', mode: 'read', language: 'redis', block: expect.stringContaining('HGETALL job:7') });
    // Custody on the timeline names the query and the target, never the password.
    const custody = services.timeline.list(incident.id).filter((e) => e.kind === 'evidence.collected');
    expect(JSON.stringify(custody.at(-1)?.data)).toContain('HGETALL job:7');
    const everything = JSON.stringify(services.timeline.list(incident.id)) + JSON.stringify(doc);
    expect(everything).not.toContain('r3dis-pass');
  });

  it('refuses a command that is not read-only without the typed confirmation, and writes nothing', async () => {
    const { services, dispatch, incident } = ctx;
    const before = services.evidence.listArtifacts(incident.id).length;
    for (const [text, reason] of [
      ['DBSIZE\nFLUSHALL', 'line 2: FLUSHALL is not on the read-only list'],
      ['CONFIG SET maxmemory 1', 'line 1: CONFIG SET is not a read-only command'],
      ['DEL job:7', 'line 1: DEL is not on the read-only list'],
    ] as const) {
      expect(await dispatch('probes.query', { incidentId: incident.id, language: 'redis', text, confirmation: 'yes' })).toEqual({
        ok: false,
        error: { code: 'forbidden', message: `${reason}; blocks run read-only: type "RUN" to run it against cache` },
      });
    }
    expect(services.evidence.listArtifacts(incident.id).length).toBe(before);
    const still = await value(dispatch, { incidentId: incident.id, language: 'redis', text: 'EXISTS job:7' });
    expect(still.results[0]!.result).toBe(1);
  });

  it('names bad input: an unbalanced quote with its line, an unknown or wrong-kind probe', async () => {
    const { dispatch, incident } = ctx;
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'redis', text: 'GET a\nGET "b' })).toEqual({
      ok: false,
      error: { code: 'invalid_input', message: 'text: redis block line 2: unbalanced double quote' },
    });
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'redis', text: 'GET a', probe: 'nope' })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'probe target "nope" does not exist' } });
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'cypher', text: 'RETURN 1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'probe: no neo4j probe target is configured (add one in Settings → Probes)' },
    });
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'cypher', text: 'RETURN 1', probe: 'cache' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'probe: "cache" is a redis target; a cypher block runs against a neo4j one' },
    });
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'shell' as never, text: 'ls' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('says which target is unreachable, in one line', async () => {
    const other = setup();
    try {
      await other.services.monitor.setProbeConfig({ targets: [{ name: 'gone', kind: 'redis', host: '127.0.0.1', port: 1, timeoutMs: 500 }] });
      const r = await other.dispatch('probes.query', { incidentId: other.incident.id, language: 'redis', text: 'PING' });
      expect(r).toMatchObject({ ok: false, error: { code: 'conflict', message: expect.stringMatching(/^cannot connect to redis:\/\/127\.0\.0\.1:1\/0: .*ECONNREFUSED/) } });
    } finally {
      other.services.close();
      other.home.cleanup();
    }
  });
});

describe('cypher blocks against the Bolt stub', () => {
  let bolt: BoltStub;
  let ctx: ReturnType<typeof setup>;

  beforeAll(async () => {
    bolt = await new BoltStub({ user: 'neo4j', password: 'n3o-pass' }).start();
    ctx = setup();
    await ctx.services.secrets.set('graph-pw', 'n3o-pass');
    await ctx.services.monitor.setProbeConfig({
      targets: [
        { name: 'graph', kind: 'neo4j', url: bolt.url, username: 'neo4j', secretRef: 'graph-pw' },
        { name: 'graph-replica', kind: 'neo4j', url: bolt.url, username: 'neo4j', secretRef: 'graph-pw' },
      ],
    });
  }, 30_000);
  afterAll(async () => {
    ctx?.services.close();
    await bolt?.stop();
    ctx?.home.cleanup();
  });

  it('runs a read statement in a READ transaction and keeps the records as evidence', async () => {
    const { services, dispatch, incident } = ctx;
    const outcome = await value(dispatch, { incidentId: incident.id, language: 'cypher', probe: 'graph', text: '// health\nRETURN 1 AS ok;' });
    expect(outcome).toMatchObject({ probe: 'graph', kind: 'neo4j', target: `${bolt.url}`, mode: 'read' });
    expect(outcome.results).toEqual([{ line: 2, text: 'RETURN 1 AS ok', result: [{ ok: 1 }], rows: 1 }]);
    expect(bolt.queries).toContain('RETURN 1 AS ok');
    expect(bolt.begins.at(-1)).toMatchObject({ mode: 'r' });
    expect(stored(services, incident.id, outcome.sha256)).toMatchObject({ probe: 'graph', mode: 'read', language: 'cypher' });
    expect(JSON.stringify(services.timeline.list(incident.id))).not.toContain('n3o-pass');
  });

  it('asks which target when several match, refuses writes without confirmation, runs them in a WRITE transaction with it', async () => {
    const { dispatch, incident } = ctx;
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'cypher', text: 'RETURN 1' })).toMatchObject({
      ok: false,
      error: { code: 'invalid_input', message: 'probe: 2 neo4j probe targets are configured (graph, graph-replica): name one' },
    });
    const sent = bolt.queries.length;
    expect(await dispatch('probes.query', { incidentId: incident.id, language: 'cypher', probe: 'graph', text: 'MATCH (n:Stale)\nDETACH DELETE n' })).toEqual({
      ok: false,
      error: { code: 'forbidden', message: 'line 1: DELETE writes; blocks run read-only: type "RUN" to run it against graph' },
    });
    expect(bolt.queries.length).toBe(sent);
    const outcome = await value(dispatch, { incidentId: incident.id, language: 'cypher', probe: 'graph', text: 'MATCH (n:Stale) DETACH DELETE n', confirmation: 'RUN' });
    expect(outcome.mode).toBe('write');
    expect(bolt.begins.at(-1)?.mode).toBeUndefined(); // WRITE is Bolt's default: no mode field
  });

  it('a server that stops answering mid-query is cut at the time limit, and the rest of the block is not sent', async () => {
    const { dispatch, incident, services } = ctx;
    const stuck = await new BoltStub().start();
    stuck.mode = 'hang-query';
    try {
      await services.monitor.setProbeConfig({ targets: [{ name: 'stuck', kind: 'neo4j', url: stuck.url, timeoutMs: 200 }] });
      const outcome = await value(dispatch, { incidentId: incident.id, language: 'cypher', text: 'RETURN 1;\nRETURN 2', timeoutMs: 300 });
      expect(outcome.results).toEqual([{ line: 1, text: 'RETURN 1', result: null, error: 'no answer within 500 ms; the rest of the block was not run' }]);
      expect(stuck.queries).toEqual(['RETURN 1']);
    } finally {
      await stuck.stop();
    }
  });

  it('a server that never answers the handshake ends in a clear error, not a hang', async () => {
    const { dispatch, incident, services } = ctx;
    const silent = await new BoltStub().start();
    silent.mode = 'hang';
    try {
      await services.monitor.setProbeConfig({ targets: [{ name: 'silent', kind: 'neo4j', url: silent.url, timeoutMs: 300 }] });
      expect(await dispatch('probes.query', { incidentId: incident.id, language: 'cypher', text: 'RETURN 1' })).toEqual({
        ok: false,
        error: { code: 'conflict', message: `cannot connect to ${silent.url}: no Bolt handshake reply within 300 ms (timeout)` },
      });
    } finally {
      await silent.stop();
    }
  });
});

const NEO4J_URI = process.env.NEO4J_URI;
describe.skipIf(!NEO4J_URI)('cypher blocks against a real Neo4j (NEO4J_URI)', () => {
  it('runs a read statement in a READ session and keeps the records', async () => {
    const ctx = setup();
    try {
      if (process.env.NEO4J_PASSWORD) await ctx.services.secrets.set('real-pw', process.env.NEO4J_PASSWORD);
      await ctx.services.monitor.setProbeConfig({
        targets: [{ name: 'real', kind: 'neo4j', url: NEO4J_URI!, username: process.env.NEO4J_USER ?? 'neo4j', timeoutMs: 10_000, ...(process.env.NEO4J_PASSWORD ? { secretRef: 'real-pw' } : {}) }],
      });
      const outcome = await value(ctx.dispatch, { incidentId: ctx.incident.id, language: 'cypher', text: 'RETURN 1 AS ok' });
      expect(outcome.results[0]).toMatchObject({ result: [{ ok: 1 }], rows: 1 });
    } finally {
      ctx.services.close();
      ctx.home.cleanup();
    }
  }, 30_000);
});
