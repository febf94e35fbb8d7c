import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemorySecretStore } from '../../electron/services/probes/secret-store';
import { TEAM_PASSWORD_REF } from '../../electron/services/team';
import { redisAvailable, startRedis, type RedisHandle } from '../electron/services/probes/support/redis-server';
import { artifactPath } from './support/browser';
import { chromiumPath, openConsole, type ConsoleSession } from './support/console';

// Issue 16 end to end: two browser hosts on two profiles (two laptops), one real redis-server
// on a random loopback port. Both join through the Team screen, the first approves the second
// after the fingerprint confirm, an incident is shared from its header, and notes typed on
// either laptop appear on the other.

describe.skipIf(!chromiumPath || !redisAvailable())('team mode in a real browser', () => {
  let redis: RedisHandle;
  let alice: ConsoleSession;
  let bob: ConsoleSession;
  const bobSecrets = new MemorySecretStore();

  beforeAll(async () => {
    redis = await startRedis();
    alice = await openConsole({ host: { identity: { actor: 'alice', host: 'laptop-a' }, secrets: new MemorySecretStore() } });
    bob = await openConsole({ host: { identity: { actor: 'bob', host: 'laptop-b' }, secrets: bobSecrets } });
  });

  afterAll(async () => {
    await alice?.test.services.team.stop();
    await bob?.test.services.team.stop();
    await alice?.close();
    await bob?.close();
    await redis?.stop();
  });

  async function joinThroughScreen(session: ConsoleSession, fields: { user?: string; password?: string } = {}) {
    const page = session.page;
    await session.open();
    await page.getByTestId('screen-team').click();
    await page.getByTestId('team-join-url').fill(`redis://127.0.0.1:${redis.port}`);
    await page.getByTestId('team-join-team').fill('e2e');
    if (fields.user) await page.getByTestId('team-join-user').fill(fields.user);
    if (fields.password) await page.getByTestId('team-join-password').fill(fields.password);
    await page.getByTestId('team-join-submit').click();
    await page.getByTestId('team-joined').waitFor();
  }

  it('joins through the Team screen, approves the second laptop after its fingerprint, shares an incident and carries notes both ways', async () => {
    const a = alice.test.services;
    const b = bob.test.services;
    const admin = await import('ioredis').then(({ default: Redis }) => new Redis({ host: '127.0.0.1', port: redis.port }));
    await admin.call('ACL', 'SETUSER', 'responder', 'on', '>hunter2-team', '~firebreak:*', '+@all');
    admin.disconnect();

    // Alice founds the team; her screen shows who she is and that she trusts herself.
    await joinThroughScreen(alice);
    expect(await alice.page.getByTestId('team-joined').textContent()).toContain('You founded team “e2e”');
    await expect.poll(() => alice.page.getByTestId('team-state').textContent(), { timeout: 15_000 }).toMatch(/connected/);

    // Bob first mistypes the ACL password: Redis's refusal is shown, nothing is joined.
    await bob.open();
    await bob.page.getByTestId('screen-team').click();
    await bob.page.getByTestId('team-join-url').fill(`redis://127.0.0.1:${redis.port}`);
    await bob.page.getByTestId('team-join-team').fill('e2e');
    await bob.page.getByTestId('team-join-user').fill('responder');
    await bob.page.getByTestId('team-join-password').fill('hunter3-typo');
    await bob.page.getByTestId('team-join-submit').click();
    await expect.poll(() => bob.page.getByTestId('team-error').textContent(), { timeout: 15_000 }).toMatch(/^cannot join through redis:\/\/responder@127\.0\.0\.1:\d+: Redis refused the credentials: WRONGPASS/);
    expect(await bob.page.getByTestId('team-join-password').inputValue()).toBe('');
    expect(await bob.page.content()).not.toContain('hunter3-typo');
    await bob.page.screenshot({ path: artifactPath('team-00-bob-wrong-password.png') });

    // Bob joins as an ACL user; his password goes to the secret store and never back to the page.
    await joinThroughScreen(bob, { user: 'responder', password: 'hunter2-team' });
    expect(await bob.page.getByTestId('team-joined').textContent()).toContain('A member must approve this laptop');
    expect(await bobSecrets.get(TEAM_PASSWORD_REF)).toBe('hunter2-team');
    const bobFingerprint = (await bob.page.getByTestId('team-fingerprint').textContent())!;
    expect(bobFingerprint).toBe(b.devices.self().fingerprint);
    expect(await bob.page.getByTestId('team-status').textContent()).toContain(`redis://responder@127.0.0.1:${redis.port}`);
    expect(await bob.page.content()).not.toContain('hunter2-team');
    await expect.poll(() => bob.page.getByTestId('team-self-state').textContent(), { timeout: 15_000 }).toBe('waiting for approval');
    await bob.page.screenshot({ path: artifactPath('team-01-bob-joined-pending.png') });

    // Alice sees Bob's laptop waiting, compares the fingerprint in the confirm, and approves it.
    const bobRow = alice.page.getByTestId(`team-device-${b.devices.deviceId}`);
    await bobRow.waitFor({ timeout: 20_000 });
    expect(await bobRow.getAttribute('data-state')).toBe('pending');
    await alice.page.getByTestId(`team-approve-${b.devices.deviceId}`).click();
    expect(await alice.page.getByTestId('team-approve-fingerprint').textContent()).toBe(bobFingerprint);
    await alice.page.screenshot({ path: artifactPath('team-02-alice-approve-confirm.png') });
    await alice.page.getByTestId('team-approve-confirm').click();
    await expect.poll(() => bobRow.getAttribute('data-state'), { timeout: 15_000 }).toBe('approved');
    await alice.page.screenshot({ path: artifactPath('team-03-alice-approved.png') });
    await expect.poll(() => bob.page.getByTestId('team-self-state').textContent(), { timeout: 20_000 }).toBe('approved');

    // Alice shares an incident from its header: it is now shown with its short global id.
    const incident = a.incidents.create({ title: 'Checkout API returns 502', severity: 'critical' });
    await alice.open(`#/incidents/${incident.id}`);
    await alice.page.getByTestId('incident-share').click();
    await alice.page.getByTestId('incident-shared').waitFor();
    const uid = a.incidents.get(incident.id).sharedUid!;
    const ref = `INC-${String(incident.id).padStart(4, '0')} · ${uid.slice(0, 8)}`;
    expect(await alice.page.getByTestId('incident-ref').textContent()).toBe(ref);
    expect(await alice.page.getByTestId(`incident-ref-${incident.id}`).textContent()).toBe(ref);
    await alice.page.getByTestId('note-input').fill('Rolled back checkout to v41');
    await alice.page.getByTestId('note-input').press('Control+Enter');
    await alice.page.locator('[data-kind="note"]', { hasText: 'Rolled back checkout to v41' }).waitFor();
    await alice.page.screenshot({ path: artifactPath('team-04-alice-shared.png') });

    // Bob's laptop opens it under a number of its own, with the same short id, and gets the note.
    await expect.poll(() => b.incidents.list().find((i) => i.sharedUid === uid)?.id, { timeout: 20_000 }).toBeDefined();
    const onB = b.incidents.list().find((i) => i.sharedUid === uid)!.id;
    await bob.open(`#/incidents/${onB}`);
    expect(await bob.page.getByTestId('incident-ref').textContent()).toBe(`INC-${String(onB).padStart(4, '0')} · ${uid.slice(0, 8)}`);
    await bob.page.locator('[data-kind="note"]', { hasText: 'Rolled back checkout to v41' }).waitFor({ timeout: 20_000 });
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
    await bob.page.screenshot({ path: artifactPath('team-04b-bob-live.png') });

    // And back: Bob's note reaches Alice (his entries merge there only because she approved him).
    await bob.page.getByTestId('note-input').fill('Error rate back under 0.1%');
    await bob.page.getByTestId('note-input').press('Control+Enter');
    await bob.page.locator('[data-kind="note"]', { hasText: 'Error rate back under 0.1%' }).waitFor();
    await expect.poll(() => bob.page.getByTestId('team-sync').textContent(), { timeout: 15_000 }).toContain('Team e2e');
    await bob.page.screenshot({ path: artifactPath('team-05-bob-notes.png') });
    await alice.page.locator('[data-kind="note"]', { hasText: 'Error rate back under 0.1%' }).waitFor({ timeout: 20_000 });
    expect(a.timeline.list(incident.id).find((e) => e.kind === 'note' && e.actor === 'bob')).toMatchObject({ host: 'laptop-b' });
    expect(a.team.quarantine()).toEqual([]);
    await alice.page.screenshot({ path: artifactPath('team-06-alice-sees-bob.png') });

    // The same screen in Japanese (the language the seeds are written in).
    await alice.page.getByTestId('language').selectOption('ja');
    await alice.page.getByTestId('screen-team').click();
    await alice.page.getByRole('heading', { name: 'チームモード' }).waitFor();
    expect(await alice.page.getByTestId(`team-device-${b.devices.deviceId}`).textContent()).toContain('承認済み');
    expect(await alice.page.getByTestId('team-state').textContent()).toMatch(/接続中/);
    await expect.poll(() => alice.page.getByTestId('team-sync').textContent(), { timeout: 15_000 }).toMatch(/^チーム e2e: /);
    await alice.page.screenshot({ path: artifactPath('team-07-alice-ja.png') });
  });
});
