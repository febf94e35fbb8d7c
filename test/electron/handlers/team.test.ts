import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { joinUrl } from '../../../electron/handlers/team';
import { createHandlers } from '../../../electron/handlers';
import type { Services } from '../../../electron/services';
import type { MemorySecretStore } from '../../../electron/services/probes/secret-store';
import { TEAM_PASSWORD_REF } from '../../../electron/services/team';
import { keys } from '../../../electron/services/team/wire';
import type { TeamDeviceView, TeamQuarantineView, TeamSyncView } from '../../../shared/channels/team';
import type { Result } from '../../../shared/domain';
import { redisAvailable } from '../services/probes/support/redis-server';
import { useTeamLaptops } from '../services/team/support/team-laptops';

// The Team screen's channels (issue 16) through the one dispatch boundary, on two profiles
// against one real redis-server on a random loopback port with an ACL user.

const value = <T>(r: Result<unknown>): T => {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.value as T;
};

describe('joinUrl', () => {
  it('puts the ACL user and password into the URL, percent-encoded, and refuses them twice', () => {
    expect(joinUrl('redis://127.0.0.1:6379/2', 'fb', 'p@ss%/word')).toBe('redis://fb:p%40ss%25%2Fword@127.0.0.1:6379/2');
    expect(joinUrl('rediss://host:6380', undefined, undefined)).toBe('rediss://host:6380');
    expect(() => joinUrl('redis://u:p@host:1', undefined, 'x')).toThrow(/^password: given twice/);
    expect(() => joinUrl('redis://u@host:1', 'v', undefined)).toThrow(/^user: given twice/);
  });
});

describe.skipIf(!redisAvailable() && process.env.CI !== 'true')('team channels (real redis-server)', () => {
  const laptops = useTeamLaptops();
  let admin: Redis;
  let teamNo = 0;

  beforeAll(async () => {
    admin = new Redis({ host: '127.0.0.1', port: laptops.redis.port, lazyConnect: true });
    await admin.connect();
    await admin.call('ACL', 'SETUSER', 'firebreak', 'on', '>s3cret-Pa55', '~firebreak:*', '+@all');
  });
  afterAll(() => {
    admin?.disconnect();
  });

  function laptop(actor: string): { services: Services; secrets: MemorySecretStore; dispatch: Dispatch } {
    const { services, secrets } = laptops.laptop(actor);
    return { services, secrets, dispatch: createDispatch(createHandlers(services, 'websocket')) };
  }

  it('refuses a bad join naming the field, and joins with an ACL user whose password goes to the secret store only', async () => {
    const a = laptop('alice');
    const bad = await a.dispatch('team.join', { url: 'http://127.0.0.1:1', team: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/^url: must start with redis:\/\//);
    const badTeam = await a.dispatch('team.join', { url: `redis://127.0.0.1:${laptops.redis.port}`, team: 'two words' });
    expect(badTeam.ok ? '' : badTeam.error.message).toMatch(/^team: must be 1–64 letters/);
    const noCa = await a.dispatch('team.join', { url: `rediss://127.0.0.1:${laptops.redis.port}`, team: 't', caFile: '/nonexistent/ca.pem' });
    expect(noCa).toMatchObject({ ok: false, error: { code: 'conflict', message: 'CA file not found: /nonexistent/ca.pem' } });
    const wrong = await a.dispatch('team.join', { url: `redis://127.0.0.1:${laptops.redis.port}`, team: 't', user: 'firebreak', password: 'wrong' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(wrong.ok ? '' : wrong.error.message).toMatch(/^cannot join through redis:\/\/firebreak@127\.0\.0\.1:\d+: Redis refused the credentials: WRONGPASS/);
    expect(JSON.stringify(wrong)).not.toContain('wrong"');
    expect(value<TeamSyncView>(await a.dispatch('team.status', undefined)).joined).toBe(false);

    const team = `acl${++teamNo}`;
    const joined = await a.dispatch('team.join', { url: `redis://127.0.0.1:${laptops.redis.port}`, team, user: 'firebreak', password: 's3cret-Pa55' });
    expect(value(joined)).toEqual({ founder: true, approved: true });
    expect(await a.secrets.get(TEAM_PASSWORD_REF)).toBe('s3cret-Pa55');
    const status = value<TeamSyncView>(await a.dispatch('team.status', undefined));
    expect(status).toMatchObject({ joined: true, approved: true, team, url: `redis://firebreak@127.0.0.1:${laptops.redis.port}`, deviceId: a.services.devices.deviceId, deviceName: 'alice-laptop' });
    expect(status.fingerprint).toMatch(/^SHA256:/);
    const everything = JSON.stringify([status, value(await a.dispatch('team.devices', undefined)), a.services.db.prepare('SELECT * FROM team_config').all()]);
    expect(everything).not.toContain('s3cret');
    const again = await a.dispatch('team.join', { url: `redis://127.0.0.1:${laptops.redis.port}`, team });
    expect(again).toMatchObject({ ok: false, error: { code: 'conflict', message: `already in team "${team}": run team leave first` } });

    expect(value(await a.dispatch('team.leave', undefined))).toBeUndefined();
    expect(value<TeamSyncView>(await a.dispatch('team.status', undefined)).joined).toBe(false);
    expect(await a.secrets.get(TEAM_PASSWORD_REF)).toBeNull();
  });

  it('lists a second device as pending with its fingerprint, approves it only for that fingerprint, and shares, unshares and quarantines', async () => {
    const a = laptop('alice');
    const b = laptop('bob');
    const team = `pair${++teamNo}`;
    const url = `redis://127.0.0.1:${laptops.redis.port}`;
    value(await a.dispatch('team.join', { url, team }));
    expect(value(await b.dispatch('team.join', { url, team }))).toEqual({ founder: false, approved: false });
    await a.services.team.syncOnce();

    const bobId = b.services.devices.deviceId;
    const listed = value<TeamDeviceView[]>(await a.dispatch('team.devices', undefined));
    expect(listed.map((d) => d.state)).toEqual(['self', 'pending']);
    const pending = listed.find((d) => d.deviceId === bobId)!;
    expect(pending).toMatchObject({ name: 'bob-laptop', fingerprint: b.services.devices.self().fingerprint });

    const self = await a.dispatch('team.approve', { deviceId: a.services.devices.deviceId, fingerprint: 'x' });
    expect(self).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const badId = await a.dispatch('team.approve', { deviceId: 'bob', fingerprint: 'x' });
    expect(badId.ok ? '' : badId.error.message).toMatch(/^deviceId: must be a device id/);
    const otherKey = await a.dispatch('team.approve', { deviceId: bobId, fingerprint: 'SHA256:not-the-one-compared' });
    expect(otherKey).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(otherKey.ok ? '' : otherKey.error.message).toContain('nothing was approved');
    await a.services.team.syncOnce();
    expect(value<TeamDeviceView[]>(await a.dispatch('team.devices', undefined)).find((d) => d.deviceId === bobId)!.state).toBe('pending');
    const bobStillWaits = await b.dispatch('team.approve', { deviceId: a.services.devices.deviceId, fingerprint: a.services.devices.self().fingerprint! });
    expect(bobStillWaits).toMatchObject({ ok: false, error: { code: 'conflict', message: 'this device is not approved yet, so it cannot approve others' } });

    expect(value<TeamSyncView>(await b.dispatch('team.status', undefined)).approved).toBe(false);
    expect(value(await a.dispatch('team.approve', { deviceId: bobId, fingerprint: pending.fingerprint! }))).toEqual({ deviceId: bobId });
    await b.services.team.syncOnce();
    expect(value<TeamSyncView>(await b.dispatch('team.status', undefined)).approved).toBe(true);
    expect(value<TeamDeviceView[]>(await a.dispatch('team.devices', undefined)).find((d) => d.deviceId === bobId)!.state).toBe('approved');

    const incident = a.services.incidents.create({ title: 'Checkout 502', severity: 'high' });
    const { uid } = value<{ uid: string }>(await a.dispatch('team.share', { incidentId: incident.id }));
    expect(a.services.incidents.get(incident.id).sharedUid).toBe(uid);
    const missing = await a.dispatch('team.share', { incidentId: 99 });
    expect(missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    await a.services.team.syncOnce();
    await b.services.team.syncOnce();
    expect(b.services.incidents.list().map((i) => i.sharedUid)).toEqual([uid]);

    // A malformed entry in the stream: quarantined on Bob's laptop, listed, never merged.
    await admin.xadd(keys(team).stream(uid), '*', 'e', 'not json');
    await b.services.team.syncOnce();
    const quarantined = value<TeamQuarantineView[]>(await b.dispatch('team.quarantine', undefined));
    expect(quarantined).toMatchObject([{ incidentUid: uid, reason: 'malformed entry: not JSON' }]);
    expect(value<TeamSyncView>(await b.dispatch('team.status', undefined)).quarantined).toBe(1);

    value(await a.dispatch('team.unshare', { incidentId: incident.id }));
    expect(a.services.incidents.get(incident.id).sharedUid).toBeNull();
    expect(await a.dispatch('team.unshare', { incidentId: incident.id })).toMatchObject({ ok: false, error: { code: 'not_found', message: 'a share of INC-0001 does not exist' } });
  });
});
