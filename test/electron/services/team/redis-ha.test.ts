import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { createServices, type Services } from '../../../../electron/services';
import { MemorySecretStore } from '../../../../electron/services/probes/secret-store';
import { parseTeamUrl } from '../../../../electron/services/team';
import { serverEnv } from '../../../support/server-env';
import { tempHome } from '../../../support/temp-home';
import { freePort, redisAvailable, startRedis, type RedisHandle } from '../probes/support/redis-server';

// Issue 16: sync through TLS (a throwaway CA made with openssl here) and through a Sentinel
// failover (master + replica + one redis-sentinel), all real servers on random loopback ports.
// Rounds are driven by syncOnce(); a failover is waited for by polling the sentinel, never by sleeping.

const SENTINEL = process.env.REDIS_SENTINEL ?? '/usr/bin/redis-sentinel';
const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
const haveSentinel = fs.existsSync(SENTINEL);
// Under CI a missing tool is a failure, never a silent skip (as redisAvailable() does for redis-server).
if (process.env.CI === 'true' && !haveOpenssl) throw new Error('openssl not found and CI=true: install it (apt-get install -y openssl)');
if (process.env.CI === 'true' && !haveSentinel) throw new Error(`redis-sentinel not found at ${SENTINEL} and CI=true: install it (apt-get install -y redis-sentinel)`);
const run = redisAvailable() ? describe : describe.skip;

function openssl(dir: string, ...args: string[]): void {
  const r = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${r.stderr}`);
}

/** A CA and a server certificate for 127.0.0.1 signed by it, and a second, unrelated CA. */
function makeCertificates(dir: string): void {
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '3650', '-subj', '/CN=Firebreak test CA');
  openssl(dir, 'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'other.key', '-out', 'other-ca.crt', '-days', '3650', '-subj', '/CN=Someone else');
  openssl(dir, 'req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'server.key', '-out', 'server.csr', '-subj', '/CN=127.0.0.1');
  fs.writeFileSync(path.join(dir, 'ext.cnf'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\n');
  openssl(dir, 'x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'server.crt', '-days', '3650', '-extfile', 'ext.cnf');
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, tries = 400): Promise<T> {
  for (let i = 0; i < tries; i++) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`gave up waiting for ${what}`);
}

run('team sync over TLS and through a Sentinel failover', () => {
  const homes: { cleanup: () => void }[] = [];
  const open: Services[] = [];
  const servers: RedisHandle[] = [];
  const children: ChildProcess[] = [];
  let certs: ReturnType<typeof tempHome>;

  beforeAll(() => {
    certs = tempHome();
    if (haveOpenssl) makeCertificates(certs.dir);
  });
  afterEach(async () => {
    for (const s of open.splice(0)) {
      await s.team.stop();
      s.close();
    }
    for (const h of homes.splice(0)) h.cleanup();
    for (const c of children.splice(0)) {
      if (c.exitCode === null && c.signalCode === null) {
        const exited = new Promise((r) => c.once('exit', r));
        c.kill('SIGKILL');
        await exited;
      }
    }
    for (const s of servers.splice(0)) await s.stop();
  });
  afterAll(() => certs?.cleanup());

  function laptop(actor: string) {
    const home = tempHome();
    homes.push(home);
    const services = createServices({ home: home.dir, clock: new ManualClock(Date.parse('2026-11-23T09:00:00.000Z')), identity: { actor, host: `${actor}-laptop` }, secrets: new MemorySecretStore() });
    open.push(services);
    return services;
  }

  const notes = (s: Services, id: number) => s.timeline.list(id).filter((e) => e.kind === 'note').map((e) => String(e.data.text));
  const localId = (s: Services, uid: string) => s.db.prepare<[string], { id: number }>('SELECT id FROM incidents WHERE uid = ?').get(uid)?.id;

  it.skipIf(!haveOpenssl)('joins with rediss:// and the team CA; a wrong CA is refused with a clear message', async () => {
    const tlsPort = await freePort();
    servers.push(
      await startRedis(['--tls-port', String(tlsPort), '--tls-cert-file', path.join(certs.dir, 'server.crt'), '--tls-key-file', path.join(certs.dir, 'server.key'), '--tls-ca-cert-file', path.join(certs.dir, 'ca.crt'), '--tls-auth-clients', 'no']),
    );
    const url = `rediss://127.0.0.1:${tlsPort}`;
    const a = laptop('alice');
    const b = laptop('bob');
    const wrong = laptop('mallory');
    await expect(wrong.team.join(url, 'tls', path.join(certs.dir, 'other-ca.crt'))).rejects.toThrow(
      new RegExp(`cannot join through rediss://127\\.0\\.0\\.1:${tlsPort}: TLS: the server's certificate is not trusted by the CA file .*other-ca\\.crt`),
    );
    expect(wrong.team.config()).toBeUndefined();
    await expect(wrong.team.join(url, 'tls')).rejects.toThrow(/not trusted by the system CAs; pass the team's CA with --ca FILE/);

    await a.team.join(url, 'tls', path.join(certs.dir, 'ca.crt'));
    await b.team.join(url, 'tls', path.join(certs.dir, 'ca.crt'));
    await a.team.approve(b.devices.deviceId);
    const id = a.incidents.create({ title: 'Over TLS', severity: 'low' }).id;
    a.incidents.addNote(id, 'encrypted in transit');
    const uid = await a.team.share(id);
    await a.team.syncOnce();
    await b.team.syncOnce();
    expect(notes(b, localId(b, uid)!)).toEqual(['encrypted in transit']);
    expect(await a.team.status()).toMatchObject({ connected: true, url });
  });

  it.skipIf(!haveSentinel)('keeps syncing through a Sentinel failover, and both laptops converge', async () => {
    const master = await startRedis(['--appendonly', 'yes', '--dir', certs.dir, '--appendfilename', `m-${Date.now()}.aof`]);
    servers.push(master);
    // Its own folder: a full resync writes an RDB file into the server's dir (the cwd otherwise).
    const replica = await startRedis(['--replicaof', '127.0.0.1', String(master.port), '--dir', certs.dir, '--dbfilename', `r-${Date.now()}.rdb`]);
    servers.push(replica);
    const sentinelPort = await freePort();
    const conf = path.join(certs.dir, `sentinel-${sentinelPort}.conf`);
    fs.writeFileSync(
      conf,
      [
        `port ${sentinelPort}`,
        'bind 127.0.0.1',
        `sentinel monitor team-master 127.0.0.1 ${master.port} 1`,
        'sentinel down-after-milliseconds team-master 1000',
        'sentinel failover-timeout team-master 5000',
        '',
      ].join('\n'),
    );
    const sentinel = spawn(SENTINEL, [conf], { stdio: 'ignore', env: serverEnv() });
    children.push(sentinel);
    const admin = new Redis({ port: sentinelPort, host: '127.0.0.1', retryStrategy: () => 50, lazyConnect: true });
    admin.on('error', () => undefined);
    try {
      // The sentinel knows the replica and the replica is in sync: a failover can promote it.
      await waitFor('the sentinel to see the replica', async () => {
        const replicas = (await admin.call('SENTINEL', 'REPLICAS', 'team-master')) as string[][];
        return replicas.some((r) => r.includes(String(replica.port)) && r[r.indexOf('master-link-status') + 1] === 'ok') ? true : undefined;
      });

      const url = `redis+sentinel://127.0.0.1:${sentinelPort}/team-master`;
      const a = laptop('alice');
      const b = laptop('bob');
      await a.team.join(url, 'ha');
      await b.team.join(url, 'ha');
      await a.team.approve(b.devices.deviceId);
      expect(a.team.config()!.url).toBe(url);
      const id = a.incidents.create({ title: 'Failover', severity: 'high' }).id;
      a.incidents.addNote(id, 'before the failover');
      const uid = await a.team.share(id);
      await a.team.syncOnce();
      await b.team.syncOnce();
      const onB = localId(b, uid)!;
      expect(notes(b, onB)).toEqual(['before the failover']);

      // Everything written so far is on the replica before it is promoted.
      const direct = new Redis({ port: master.port, host: '127.0.0.1' });
      await direct.call('WAIT', '1', '5000');
      direct.disconnect();
      await admin.call('SENTINEL', 'FAILOVER', 'team-master');
      await waitFor('the replica to be promoted', async () => {
        const [, port] = (await admin.call('SENTINEL', 'GET-MASTER-ADDR-BY-NAME', 'team-master')) as [string, string];
        return Number(port) === replica.port ? true : undefined;
      });

      // Both keep writing; their next rounds go to the new master (the first may still fail
      // while the old one turns read-only: the rounds are retried as the loops would).
      a.incidents.addNote(id, 'alice after the failover');
      b.incidents.addNote(onB, 'bob after the failover');
      const expected = ['before the failover', 'alice after the failover', 'bob after the failover'];
      await waitFor('both laptops to converge', async () => {
        await a.team.syncOnce();
        await b.team.syncOnce();
        await a.team.syncOnce();
        return [...notes(a, id)].sort().join('|') === [...expected].sort().join('|') && [...notes(b, onB)].sort().join('|') === [...expected].sort().join('|') ? true : undefined;
      });
      const merged = (s: Services, incident: number) =>
        s.db
          .prepare<[number], { k: string }>('SELECT d.device_id || \':\' || d.device_seq || \' \' || t.kind AS k FROM timeline t JOIN device_entries d ON d.entry_id = t.id WHERE t.incident_id = ? ORDER BY t.at, d.device_id, d.device_seq')
          .all(incident)
          .map((r) => r.k);
      expect(merged(a, id)).toEqual(merged(b, onB));
      // The laptops may have converged through the old master before it was turned into a
      // replica; what it took in that window is dropped when it resyncs. The high-water mark on
      // the new master is then behind, and the next rounds push those entries again: the stream
      // on the new master ends up holding each entry once.
      const oldMaster = new Redis({ port: master.port, host: '127.0.0.1' });
      const onReplica = new Redis({ port: replica.port, host: '127.0.0.1' });
      try {
        await waitFor('the old master to follow the new one', async () => (((await oldMaster.call('ROLE')) as unknown[])[0] === 'slave' ? true : undefined));
        await waitFor('the new master to hold every entry', async () => {
          await a.team.syncOnce();
          await b.team.syncOnce();
          return (await onReplica.xlen(`firebreak:ha:inc:${uid}`)) >= 4 ? true : undefined;
        });
        const onNew = (await onReplica.xrange(`firebreak:ha:inc:${uid}`, '-', '+')).map(([, fields]) => {
          const e = JSON.parse(fields[1]!) as { device: string; deviceSeq: number };
          return `${e.device}:${e.deviceSeq}`;
        });
        expect(onNew).toHaveLength(4);
        expect(new Set(onNew).size).toBe(4);
      } finally {
        oldMaster.disconnect();
        onReplica.disconnect();
      }
    } finally {
      admin.disconnect();
    }
  });

  it('parses Sentinel URLs and keeps their password out of the stored URL', () => {
    expect(parseTeamUrl('redis+sentinel://responder:pw@10.0.0.1:26379,10.0.0.2:26380/team-master/2')).toEqual({
      url: 'redis+sentinel://responder@10.0.0.1:26379,10.0.0.2:26380/team-master/2',
      password: 'pw',
    });
    expect(() => parseTeamUrl('redis+sentinel://10.0.0.1:26379')).toThrow(/not a Sentinel URL: .*expected redis\[s\]\+sentinel:\/\//);
    expect(() => parseTeamUrl('redis+sentinel://10.0.0.1:99999/m')).toThrow(/not a host:port in the sentinel list: 10\.0\.0\.1:99999/);
  });
});
