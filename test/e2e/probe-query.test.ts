import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { redisAvailable, startRedis, type RedisHandle } from '../electron/services/probes/support/redis-server';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';

// Issue 14: a `redis` block of a user's runbook runs against the configured Redis probe target
// (a real redis-server), read-only by default, and its answer is kept as evidence.

describe.skipIf(!chromiumPath || !redisAvailable())('A redis block of a runbook runs against a Redis probe target (real redis-server)', () => {
  let redis: RedisHandle;
  let session: ConsoleSession;
  let runbooks: string;

  beforeAll(async () => {
    redis = await startRedis();
    const seed = new Redis({ port: redis.port, host: '127.0.0.1', lazyConnect: true });
    await seed.connect();
    await seed.hset('job:7', 'state', 'stuck', 'owner', 'worker 3');
    seed.disconnect();
    session = await openConsole();
    runbooks = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-redis-'));
    fs.writeFileSync(
      path.join(runbooks, 'stuck-jobs.md'),
      [
        '# Stuck jobs',
        '',
        '## Diagnosis',
        '',
        '1. **Look at the job** in Redis:',
        '',
        '   ```redis',
        '   HGETALL job:7',
        '   DBSIZE',
        '   ```',
        '',
        '## Mitigation',
        '',
        '1. Drop the job record:',
        '',
        '   ```redis',
        '   DEL job:7',
        '   ```',
        '',
      ].join('\n'),
    );
    await session.test.services.runbooks.setFolders([runbooks]);
    await session.test.services.monitor.setProbeConfig({ targets: [{ name: 'jobs-cache', kind: 'redis', host: '127.0.0.1', port: redis.port }] });
  }, 60_000);

  afterAll(async () => {
    await session?.close();
    await redis?.stop();
    fs.rmSync(runbooks, { recursive: true, force: true });
  });

  it('runs the read block, keeps its answer as evidence, and asks for RUN before the write', async () => {
    const { test, page } = session;
    const incident = test.services.incidents.create({ title: 'Jobs stuck', severity: 'high' });
    await session.open(`#/incidents/${incident.id}`);
    await page.getByTestId('tab-runbooks').click();
    await page.locator('.picker-all select').selectOption('stuck-jobs');
    await page.locator('.picker-all button').click();
    const read = page.getByTestId('probe-block').first();
    await read.getByTestId('probe-run').click();
    const result = read.getByTestId('probe-result');
    await result.waitFor();
    const shown = await result.innerText();
    expect(shown).toMatch(/2 answers from jobs-cache \(read\), kept as evidence/);
    expect(shown).toContain('"worker 3"');
    const [artifact] = test.services.evidence.listArtifacts(incident.id);
    expect(artifact?.name).toMatch(/^transcripts\/redis-jobs-cache-.*\.json$/);
    const stored = JSON.parse(fs.readFileSync(test.services.evidence.blobPath(artifact!)!, 'utf8')) as { target: string; mode: string; results: { text: string; result: unknown }[] };
    expect(stored).toMatchObject({ target: `redis://127.0.0.1:${redis.port}/0`, mode: 'read' });
    expect(stored.results[0]).toMatchObject({ text: 'HGETALL job:7', result: ['state', 'stuck', 'owner', 'worker 3'] });
    expect(test.services.timeline.list(incident.id).some((e) => e.kind === 'evidence.collected' && JSON.stringify(e.data).includes('HGETALL job:7'))).toBe(true);
    await read.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('probe-query-01-read.png') });

    // The write block: typed confirmation first, then it runs and is kept too.
    const write = page.getByTestId('probe-block').nth(1);
    await write.getByTestId('probe-run').click();
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.waitFor();
    expect(await dialog.innerText()).toContain('DEL job:7');
    await page.screenshot({ path: artifactPath('probe-query-02-confirm.png') });
    await dialog.locator('input').fill('RUN');
    await dialog.locator('button[type=submit]').click();
    await write.getByTestId('probe-result').waitFor();
    expect(await write.getByTestId('probe-result').innerText()).toMatch(/1 answers from jobs-cache \(write\)/);
    expect(test.services.evidence.listArtifacts(incident.id)).toHaveLength(2);
    expect(session.cspViolations).toEqual([]);
  }, 60_000);

  it('offers a picker when several Redis targets are configured and runs against the one picked', async () => {
    const { test, page } = session;
    await test.services.monitor.setProbeConfig({
      targets: [
        { name: 'jobs-cache', kind: 'redis', host: '127.0.0.1', port: redis.port },
        { name: 'jobs-replica', kind: 'redis', host: '127.0.0.1', port: redis.port, db: 1 },
      ],
    });
    const incident = test.services.incidents.create({ title: 'Jobs stuck again', severity: 'medium' });
    await session.open(`#/incidents/${incident.id}`);
    await page.getByTestId('tab-runbooks').click();
    await page.locator('.picker-all select').selectOption('stuck-jobs');
    await page.locator('.picker-all button').click();
    const read = page.getByTestId('probe-block').first();
    const picker = read.getByTestId('probe-picker');
    await picker.waitFor();
    expect(await picker.locator('option').allTextContents()).toEqual(['jobs-cache', 'jobs-replica']);
    await picker.selectOption('jobs-replica');
    await read.getByTestId('probe-run').click();
    await read.getByTestId('probe-result').waitFor();
    expect(await read.getByTestId('probe-result').innerText()).toMatch(/2 answers from jobs-replica \(read\)/);
    const [artifact] = test.services.evidence.listArtifacts(incident.id);
    const stored = JSON.parse(fs.readFileSync(test.services.evidence.blobPath(artifact!)!, 'utf8')) as { target: string; results: { result: unknown }[] };
    // db 1 is empty: the replica target was the one asked.
    expect(stored.target).toBe(`redis://127.0.0.1:${redis.port}/1`);
    expect(stored.results[0]!.result).toEqual([]);
  }, 60_000);
});
