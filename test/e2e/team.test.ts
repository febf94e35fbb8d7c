import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/services/probes/secret-store';
import { redisAvailable, startRedis, type RedisHandle } from '../electron/services/probes/support/redis-server';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';

// Issue 16 end to end: two browser hosts on two profiles (two laptops), one real redis-server
// on a random loopback port. An incident shared on one; a note typed on it appears on the other.

describe.skipIf(!chromiumPath || !redisAvailable())('team mode in a real browser', () => {
  let redis: RedisHandle;
  let alice: ConsoleSession;
  let bob: ConsoleSession;

  beforeAll(async () => {
    redis = await startRedis();
    alice = await openConsole({ host: { identity: { actor: 'alice', host: 'laptop-a' }, secrets: new MemorySecretStore() } });
    bob = await openConsole({ host: { identity: { actor: 'bob', host: 'laptop-b' }, secrets: new MemorySecretStore() } });
  });

  afterAll(async () => {
    await alice?.test.services.team.stop();
    await bob?.test.services.team.stop();
    await alice?.close();
    await bob?.close();
    await redis?.stop();
  });

  it('shares an incident and carries a note typed on one laptop to the other', async () => {
    const a = alice.test.services;
    const b = bob.test.services;
    const url = `redis://127.0.0.1:${redis.port}`;
    await a.team.join(url, 'e2e');
    await b.team.join(url, 'e2e');
    await a.team.approve(b.devices.deviceId);
    const incident = a.incidents.create({ title: 'Checkout API returns 502', severity: 'critical' });
    await a.team.share(incident.id);
    a.team.start();
    b.team.start();

    await bob.open();
    // Bob's laptop opens the shared incident under a number of its own.
    await expect.poll(() => b.db.prepare<[], { id: number }>('SELECT id FROM incidents').get()?.id, { timeout: 20_000 }).toBeDefined();
    const onB = b.db.prepare<[], { id: number }>('SELECT id FROM incidents').get()!.id;

    await alice.open(`#/incidents/${incident.id}`);
    await expect.poll(() => alice.page.getByTestId('team-sync').textContent(), { timeout: 15_000 }).toMatch(/Team e2e: (in sync|behind by \d+)/);
    await alice.page.getByTestId('note-input').fill('Rolled back checkout to v41');
    await alice.page.getByTestId('note-input').press('Control+Enter');
    await alice.page.locator('[data-kind="note"]', { hasText: 'Rolled back checkout to v41' }).waitFor();
    await alice.page.screenshot({ path: artifactPath('team-01-alice.png') });

    await bob.open(`#/incidents/${onB}`);
    await bob.page.locator('[data-kind="note"]', { hasText: 'Rolled back checkout to v41' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => bob.page.getByTestId('team-sync').textContent(), { timeout: 15_000 }).toContain('Team e2e');
    await bob.page.screenshot({ path: artifactPath('team-02-bob.png') });
    expect(b.timeline.list(onB).find((e) => e.kind === 'note')).toMatchObject({ actor: 'alice', host: 'laptop-a' });

    // With bob's page left open: alice acknowledges, retitles and writes another note; bob's
    // header and timeline follow live (incidents.changed and timeline.appended after the merge).
    await bob.page.evaluate('window.stillTheSamePage = true');
    a.incidents.transition({ id: incident.id, to: 'acknowledged' });
    a.incidents.update(incident.id, { title: 'Checkout API returns 502 (EU only)' });
    a.incidents.addNote(incident.id, 'EU gateway pool drained');
    await bob.page.locator('[data-kind="note"]', { hasText: 'EU gateway pool drained' }).waitFor({ timeout: 20_000 });
    await expect.poll(() => bob.page.getByTestId('incident-title').textContent(), { timeout: 20_000 }).toBe('Checkout API returns 502 (EU only)');
    await bob.page.locator('.pill.status-acknowledged').first().waitFor({ timeout: 20_000 });
    expect(await bob.page.evaluate('window.stillTheSamePage')).toBe(true);
    await bob.page.screenshot({ path: artifactPath('team-03-bob-live.png') });
  });
});
