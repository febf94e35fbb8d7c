import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createServices, type Services } from '../../../../electron/services';
import { ManualClock } from '../../../../electron/services/clock';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import { incidentRef, shortGlobalId } from '../../../../shared/incident-ref';
import { tempHome } from '../../../support/temp-home';
import { useCliHarness } from '../../cli/support';
import { redisAvailable, startRedis, type RedisHandle } from '../probes/support/redis-server';

// docs/team.md, "Incident numbers once shared": a shared incident is shown as its local number
// plus the first 8 hex digits of its UUID, on every laptop; an incident never shared keeps
// its plain number. Two profiles on one real redis-server on a random loopback port.

describe('incidentRef', () => {
  it('adds the short global id only when the incident is shared', () => {
    expect(incidentRef(7)).toBe('INC-0007');
    expect(incidentRef(7, null)).toBe('INC-0007');
    expect(incidentRef(7, '3f9a2c1b-0d4e-4c2a-9b7e-5a1f00c0ffee')).toBe('INC-0007 · 3f9a2c1b');
    expect(shortGlobalId('3f9a2c1b-0d4e-4c2a-9b7e-5a1f00c0ffee')).toBe('3f9a2c1b');
  });
});

describe.skipIf(!redisAvailable() && process.env.CI !== 'true')('the shared number on two laptops (real redis-server)', () => {
  const harness = useCliHarness();
  const { cli } = harness;
  let redis: RedisHandle;
  let bob: { services: Services; cleanup: () => void } | undefined;
  let teamNo = 0;

  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    await bob?.services.team.stop();
    bob?.services.close();
    bob?.cleanup();
    bob = undefined;
  });

  it('shows INC-0001 · 8 hex digits in the CLI listing, the report and on the other laptop, and the plain number for a private incident', async () => {
    const url = `redis://127.0.0.1:${redis.port}`;
    const team = `ref${++teamNo}`;
    expect((await cli('team', 'join', url, '--team', team)).code).toBe(0);
    await cli('incident', 'new', '--title', 'Private hunch', '--severity', 'low');
    await cli('incident', 'new', '--title', 'Checkout 502', '--severity', 'high');
    const shared = await cli('team', 'share', '2');
    expect(shared.code).toBe(0);
    const uid = /\(([0-9a-f-]{36})\)/.exec(shared.out)![1]!;
    const short = uid.slice(0, 8);

    const list = (await cli('incident', 'list')).out;
    expect(list).toContain(`INC-0002 · ${short}`);
    expect(list).toMatch(/INC-0001 +\S/); // the private one: its plain number, nothing after it
    expect(list).not.toMatch(/INC-0001 ·/);
    expect((await cli('incident', 'show', '2')).out.split('\n')[0]).toBe(`INC-0002 · ${short}  Checkout 502`);
    expect((await cli('incident', 'list', '--json')).out).toContain(`"sharedUid": "${uid}"`);
    expect((await cli('report', '2')).out).toContain(`INC-0002 · ${short} Checkout 502`);
    expect((await cli('report', '1')).out).toContain('INC-0001 Private hunch');

    // Bob's laptop opens the shared incident under its own number 1, with the same short id.
    const home = tempHome();
    const services = createServices({ home: home.dir, clock: new ManualClock(Date.parse('2026-11-23T09:00:00.000Z')), identity: { actor: 'bob', host: 'bob-laptop' }, secrets: new MemorySecretStore() });
    bob = { services, cleanup: home.cleanup };
    await services.team.join(url, team);
    expect((await cli('team', 'approve', services.devices.deviceId.slice(0, 8))).code).toBe(0);
    await services.team.syncOnce();
    const onBob = services.incidents.list();
    expect(onBob).toHaveLength(1);
    expect(onBob[0]).toMatchObject({ id: 1, title: 'Checkout 502', sharedUid: uid });
    expect(incidentRef(onBob[0]!.id, onBob[0]!.sharedUid)).toBe(`INC-0001 · ${short}`);

    // Unsharing stops the sync on this laptop and the suffix goes with it.
    expect((await cli('team', 'unshare', '2')).code).toBe(0);
    expect((await cli('incident', 'list')).out).not.toContain('·');
  });
});
