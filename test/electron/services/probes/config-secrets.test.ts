import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { exportProbeSettings, importProbeSettings, parseProbeConfig } from '../../../../shared/probe-config';
import { backoffDelay, CircuitBreaker, withDeadline } from '../../../../electron/services/probes/resilience';
import { displayUrl, scrubText } from '../../../../electron/services/probes/scrub';
import { FileSecretStore } from '../../../../electron/services/probes/secret-store';
import { bandState } from '../../../../electron/services/probes/types';

let dir: string | undefined;
afterEach(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  dir = undefined;
});

describe('probe settings', () => {
  it('applies seed defaults', () => {
    const config = parseProbeConfig({ targets: [{ name: 'cache', kind: 'redis' }] });
    expect(config.thresholds).toEqual({
      latencyMs: { warning: 200, danger: 500 },
      queryMs: { warning: 100, danger: 500 },
      memoryPercent: { warning: 80, danger: 90 },
      clientsPercent: { warning: 70, danger: 80 },
    });
    expect(config.breaker).toEqual({ failureThreshold: 5, coolDownMs: 60_000 });
    expect(config.targets[0]).toMatchObject({ host: '127.0.0.1', port: 6379, db: 0, timeoutMs: 3000, retries: 2, enabled: true });
    expect(bandState(199, config.thresholds.latencyMs)).toBe('ok');
    expect(bandState(200, config.thresholds.latencyMs)).toBe('warning');
    expect(bandState(500, config.thresholds.latencyMs)).toBe('warning');
    expect(bandState(501, config.thresholds.latencyMs)).toBe('danger');
  });

  it('refuses passwords in settings and in URLs', () => {
    expect(() => parseProbeConfig({ targets: [{ name: 'g', kind: 'neo4j', url: 'bolt://localhost', password: 'x' }] })).toThrow(/must not contain secrets/);
    expect(() => parseProbeConfig({ targets: [{ name: 'g', kind: 'neo4j', url: 'bolt://neo4j:hunter22@localhost' }] })).toThrow(/must not contain a password/);
    expect(() => parseProbeConfig({ targets: [{ name: 'a', kind: 'tcp', host: 'h', port: 1 }, { name: 'A', kind: 'tcp', host: 'h', port: 2 }] })).toThrow(/duplicate probe name/);
    expect(() => parseProbeConfig({ targets: [{ name: 'w', kind: 'http', url: 'ftp://x' }] })).toThrow(/scheme/);
  });

  it('export drops secret refs; import strips anything secret and says so', () => {
    const config = parseProbeConfig({
      targets: [
        { name: 'graph', kind: 'neo4j', url: 'bolt://db:7687', username: 'neo4j', secretRef: 'neo4j-pass' },
        { name: 'api', kind: 'http', url: 'https://api.example/health/detailed' },
      ],
    });
    const exported = exportProbeSettings(config, new Date('2026-01-01T00:00:00Z'));
    expect(exported.needsSecret).toEqual(['graph']);
    expect(JSON.stringify(exported)).not.toContain('neo4j-pass');
    expect(importProbeSettings(JSON.parse(JSON.stringify(exported))).config.targets[0]).toMatchObject({ name: 'graph', username: 'neo4j' });
    const hostile = { targets: [{ name: 'g', kind: 'neo4j', url: 'bolt://neo4j:hunter22@db:7687', password: 'hunter22', secretRef: 'x' }] };
    const imported = importProbeSettings(hostile);
    expect(JSON.stringify(imported.config)).not.toContain('hunter22');
    expect(imported.stripped).toEqual(expect.arrayContaining(['targets[0].password', 'targets[0].secretRef', 'targets[0].url (password)']));
  });

  it('scrubs credentials from URLs and known secrets from text', () => {
    expect(scrubText('connect to redis://admin:topsecret@h:6379 failed', [])).toBe('connect to redis://admin:***@h:6379 failed');
    expect(scrubText('auth failed for p@ss word!', ['p@ss word!'])).toBe('auth failed for ***');
    expect(scrubText('x=p%40ss', ['p@ss'])).toBe('x=***');
    expect(displayUrl('https://u:p@host/health')).toBe('https://host/health');
  });
});

describe('resilience', () => {
  it('backoff doubles, caps and jitters within bounds', () => {
    const opts = { baseMs: 200, maxMs: 2000, jitter: 0.2 };
    expect(backoffDelay(1, opts, () => 0.5)).toBe(200);
    expect(backoffDelay(2, opts, () => 0.5)).toBe(400);
    expect(backoffDelay(3, opts, () => 0.5)).toBe(800);
    expect(backoffDelay(10, opts, () => 0.5)).toBe(2000);
    expect(backoffDelay(1, opts, () => 0)).toBe(160);
    expect(backoffDelay(1, opts, () => 0.999999)).toBe(240);
  });

  it('breaker: closed → open → half-open (one trial) → closed/open', () => {
    const clock = new ManualClock();
    const b = new CircuitBreaker({ failureThreshold: 2, coolDownMs: 1000 }, clock);
    expect(b.tryAcquire().allowed).toBe(true);
    b.failure();
    expect(b.state).toBe('closed');
    b.failure();
    expect(b.state).toBe('open');
    expect(b.tryAcquire().allowed).toBe(false);
    clock.advance(1000);
    expect(b.state).toBe('half-open');
    expect(b.tryAcquire()).toEqual({ allowed: true, trial: true });
    expect(b.tryAcquire().allowed).toBe(false); // only one trial at a time
    b.failure();
    expect(b.state).toBe('open');
    clock.advance(1000);
    expect(b.tryAcquire().trial).toBe(true);
    b.success();
    expect(b.state).toBe('closed');
  });

  it('withDeadline rejects at the deadline and aborts the attempt', async () => {
    let aborted = false;
    await expect(
      withDeadline(
        (signal) =>
          new Promise((_resolve, reject) => {
            signal.addEventListener('abort', () => {
              aborted = true;
              reject(new Error('closed'));
            });
          }),
        50,
      ),
    ).rejects.toThrow(/timed out after 50 ms/);
    expect(aborted).toBe(true);
  });
});

describe('FileSecretStore', () => {
  it('encrypts with AES-256-GCM under a 0600 key and never stores the plain value', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-secrets-'));
    const store = new FileSecretStore(dir);
    expect(await store.get('neo4j')).toBeNull();
    await store.set('neo4j', 'correct horse battery staple');
    await store.set('redis', 'r3dis');
    expect(await store.get('neo4j')).toBe('correct horse battery staple');
    expect(await new FileSecretStore(dir).get('redis')).toBe('r3dis');
    const raw = fs.readFileSync(path.join(dir, 'secrets.json'), 'utf8');
    expect(raw).not.toContain('correct horse');
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(dir, 'secrets.key')).mode & 0o777).toBe(0o600);
      expect(fs.statSync(path.join(dir, 'secrets.json')).mode & 0o777).toBe(0o600);
    }
    await store.delete('neo4j');
    expect(await store.get('neo4j')).toBeNull();
    expect(await store.list()).toEqual(['redis']);
  });

  it('detects tampering and entries moved to another ref', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-secrets-'));
    const store = new FileSecretStore(dir);
    await store.set('a', 'alpha-secret');
    const file = path.join(dir, 'secrets.json');
    const data = JSON.parse(fs.readFileSync(file, 'utf8'));
    data.entries.b = data.entries.a;
    fs.writeFileSync(file, JSON.stringify(data));
    await expect(new FileSecretStore(dir).get('b')).rejects.toThrow(/cannot be decrypted/);
  });

  it.skipIf(process.platform === 'win32')('refuses a key file readable by others', async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-secrets-'));
    await new FileSecretStore(dir).set('a', 'alpha-secret');
    fs.chmodSync(path.join(dir, 'secrets.key'), 0o644);
    await expect(new FileSecretStore(dir).get('a')).rejects.toThrow(/chmod 600/);
  });
});

describe('ProbeRunner scheduling', () => {
  it('runs each enabled target at its interval with a fake scheduler', async () => {
    const { ProbeRunner } = await import('../../../../electron/services/probes/runner');
    const { ManualScheduler } = await import('../../../../electron/services/gauges/scheduler');
    const { MemorySecretStore } = await import('../../../../electron/services/probes/secret-store');
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const scheduler = new ManualScheduler(clock);
    const calls: string[] = [];
    const config = parseProbeConfig({
      targets: [
        { name: 'a', kind: 'tcp', host: 'h', port: 1, intervalMs: 10_000 },
        { name: 'b', kind: 'tcp', host: 'h', port: 2, intervalMs: 30_000 },
        { name: 'c', kind: 'tcp', host: 'h', port: 3, enabled: false },
      ],
    });
    const runner = new ProbeRunner(config, {
      secrets: new MemorySecretStore(),
      clock,
      scheduler,
      probes: {
        tcp: async (target) => {
          calls.push(target.name);
          return { state: 'ok', latencyMs: 1, details: {}, reasons: [] };
        },
      },
    });
    runner.start();
    await scheduler.advance(60_000);
    runner.stop();
    expect(calls.filter((n) => n === 'a')).toHaveLength(7); // t≈0 + every 10 s
    expect(calls.filter((n) => n === 'b')).toHaveLength(3);
    expect(calls).not.toContain('c');
    expect(runner.results().map((r) => r.name)).toEqual(['a', 'b']);
    expect(scheduler.pending).toBe(0);
  });
});
