import fs from 'node:fs';
import path from 'node:path';
import Redis from 'ioredis';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../electron/cli';
import { FileSecretStore } from '../../../electron/services/probes/secret-store';
import { tempHome } from '../../support/temp-home';
import { redisAvailable, startRedis, type RedisHandle } from '../services/probes/support/redis-server';

const available = redisAvailable();

describe.skipIf(!available)('firebreak probe against a real redis-server', () => {
  let home: ReturnType<typeof tempHome>;
  let errors: string[];
  const handles: RedisHandle[] = [];
  beforeEach(() => {
    home = tempHome();
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await Promise.all(handles.splice(0).map((h) => h.stop()));
    home.cleanup();
  });

  async function redis(args: string[] = []): Promise<RedisHandle> {
    const h = await startRedis(args);
    handles.push(h);
    return h;
  }

  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runCli(['--home', home.dir, ...args], (t) => lines.push(t));
    return { code, out: lines.join('\n') };
  }

  function importTargets(targets: object[]): Promise<{ code: number; out: string }> {
    const file = path.join(home.dir, 'probes.json');
    fs.writeFileSync(file, JSON.stringify({ backoff: { baseMs: 10, maxMs: 20 }, targets }));
    return cli('probe', 'import', file);
  }

  it('says how to add probes when none are configured', async () => {
    expect(await cli('probe')).toEqual({ code: 0, out: expect.stringContaining('No probes configured') });
  });

  it('prints a table, exits 0 when healthy and 2 once the server is stopped', async () => {
    const h = await redis(['--maxmemory', '64mb', '--maxmemory-policy', 'allkeys-lru']);
    expect((await importTargets([{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: h.port, timeoutMs: 1000, retries: 1 }])).code).toBe(0);
    const ok = await cli('probe');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/NAME\s+KIND\s+STATE\s+LATENCY/);
    expect(ok.out).toMatch(new RegExp(`cache\\s+redis\\s+OK\\s+[\\d.]+ ms\\s+redis://127\\.0\\.0\\.1:${h.port}/0`));
    const json = JSON.parse((await cli('probe', '--json')).out);
    expect(json).toMatchObject({ worst: 'ok', exitCode: 0, results: [{ name: 'cache', state: 'ok', details: { maxmemoryPolicy: 'allkeys-lru' } }] });

    await h.stop();
    const down = await cli('probe');
    expect(down.code).toBe(2);
    expect(down.out).toMatch(/cache\s+redis\s+DOWN/);
  });

  it('exits 1 when Redis memory is near maxmemory (danger)', async () => {
    const h = await redis(['--maxmemory', '4mb', '--maxmemory-policy', 'noeviction']);
    const filler = new Redis({ port: h.port, host: '127.0.0.1' });
    for (let i = 0; i < 10_000; i++) {
      try {
        await filler.set(`k${i}`, 'x'.repeat(1024));
      } catch {
        break;
      }
    }
    filler.disconnect();
    await importTargets([{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: h.port }]);
    const run = await cli('probe');
    expect(run.code).toBe(1);
    expect(run.out).toMatch(/cache\s+redis\s+DANGER.*memory/);
  });

  it('uses the password from the profile secret store and never prints it', async () => {
    const h = await redis(['--requirepass', 'right-horse-battery']);
    await importTargets([{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: h.port, secretRef: 'probe.cache', password: 'pasted-by-mistake' }]);
    // The password in the file was dropped, so the probe has no secret yet.
    const missing = await cli('probe', '--json');
    expect(missing.code).toBe(2);
    expect(missing.out).not.toContain('pasted-by-mistake');
    const cfg = JSON.parse((await cli('probe', 'export')).out);
    expect(cfg.config.targets[0]).not.toHaveProperty('secretRef');

    // Point the target at a stored secret (as the UI does) and run again.
    await importTargets([{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: h.port, retries: 0 }]);
    await new FileSecretStore(home.dir).set('probe.cache', 'wrong-password');
    const services = (await import('../../../electron/services')).createServices({ home: home.dir });
    await services.monitor.setProbeConfig({ targets: [{ name: 'cache', kind: 'redis', host: '127.0.0.1', port: h.port, retries: 0, secretRef: 'probe.cache' }] });
    services.close();
    const wrong = await cli('probe');
    expect(wrong.code).toBe(2);
    expect(wrong.out).not.toContain('wrong-password');
    await new FileSecretStore(home.dir).set('probe.cache', 'right-horse-battery');
    const right = await cli('probe');
    expect(right.code).toBe(0);
    expect(right.out).not.toContain('right-horse-battery');
  });

  it('refuses an unknown subcommand and a missing import file', async () => {
    expect((await cli('probe', 'frobnicate')).code).toBe(2);
    expect((await cli('probe', 'import')).code).toBe(2);
    expect((await cli('probe', 'import', path.join(home.dir, 'nope.json'))).code).toBe(1);
    expect(errors.at(-1)).toMatch(/nope\.json/);
  });
});
