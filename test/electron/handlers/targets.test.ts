import { afterEach, describe, expect, it } from 'vitest';
import { createDispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { createServices, type Services } from '../../../electron/services';
import type { TargetGaugeUpdate } from '../../../shared/targets';
import { sshdAvailable, startSshd, type TestSshd } from '../../support/sshd';
import { tempHome } from '../../support/temp-home';

describe.skipIf(!sshdAvailable && process.env.CI !== 'true')('target channels (real sshd)', () => {
  let services: Services | undefined;
  let sshd: TestSshd | undefined;
  let home: ReturnType<typeof tempHome> | undefined;
  afterEach(async () => {
    services?.close();
    await sshd?.stop();
    home?.cleanup();
  });

  it('adds a target, refuses a bad name naming the field, and streams its gauges as targets.gauges events', async () => {
    sshd = await startSshd();
    sshd.trustHostKey();
    home = tempHome();
    services = createServices({ home: home.dir, ssh: { configFile: sshd.config } });
    const dispatch = createDispatch(createHandlers(services, 'websocket'));
    const bad = await dispatch('targets.add', { name: '-oProxyCommand=id' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(bad.ok ? '' : bad.error.message).toMatch(/^target: .*starts with "-"/);
    expect(await dispatch('targets.add', { name: 'fbtest' })).toMatchObject({ ok: true });
    // Adding connects at once (nobody asked for targets.connect): the first gauge sample then needs no handshake.
    await expect.poll(() => services!.targets.status('fbtest').state, { timeout: 15_000 }).toBe('connected');
    const updates: TargetGaugeUpdate[] = [];
    services.events.on('targets.gauges', (u) => updates.push(u));
    expect(await dispatch('targets.watchGauges', { name: 'fbtest' })).toMatchObject({ ok: true });
    await expect.poll(() => updates.length, { timeout: 15_000 }).toBeGreaterThan(0);
    expect(updates[0]).toMatchObject({ name: 'fbtest' });
    expect(updates[0]!.sample.memory!.totalBytes).toBeGreaterThan(0);
    expect(await dispatch('targets.stopGauges', { name: 'fbtest' })).toMatchObject({ ok: true });
  });
});
