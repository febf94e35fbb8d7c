import { afterAll, afterEach, beforeAll } from 'vitest';
import { ManualClock } from '../../../../../electron/services/clock';
import { createServices, type Services } from '../../../../../electron/services';
import { MemorySecretStore } from '../../../../../electron/services/probes/secret-store';
import { tempHome } from '../../../../support/temp-home';
import { startRedis, type RedisHandle } from '../../probes/support/redis-server';

/** One laptop of a team test: its own profile, a manual clock and an in-memory secret store. */
export interface TeamLaptop {
  readonly services: Services;
  readonly clock: ManualClock;
  readonly secrets: MemorySecretStore;
  /** The profile folder. */
  readonly home: string;
}

export interface TeamLaptops {
  /** The real redis-server of this describe block (started in beforeAll). */
  readonly redis: RedisHandle;
  /** `redis://127.0.0.1:PORT` of that server. */
  readonly url: string;
  /** A new profile; its sync is stopped and its folder removed after the test. */
  laptop(actor: string, start?: string): TeamLaptop;
  /** Something else to remove after the test (a source folder, say). */
  afterTest(cleanup: () => void): void;
}

/**
 * The set-up every team test shares: one redis-server on a random loopback port for the block,
 * and laptops (profiles) torn down after each test, sync first so no round outlives its database.
 */
export function useTeamLaptops(): TeamLaptops {
  let redis: RedisHandle | undefined;
  const cleanups: (() => Promise<void> | void)[] = [];
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.stop();
  });
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0)) await cleanup();
  });
  const server = (): RedisHandle => {
    if (!redis) throw new Error('useTeamLaptops: redis-server is started in beforeAll');
    return redis;
  };
  return {
    get redis() {
      return server();
    },
    get url() {
      return `redis://127.0.0.1:${server().port}`;
    },
    laptop(actor, start = '2026-11-23T09:00:00.000Z') {
      const home = tempHome();
      const clock = new ManualClock(Date.parse(start));
      const secrets = new MemorySecretStore();
      const services = createServices({ home: home.dir, clock, identity: { actor, host: `${actor}-laptop` }, secrets });
      cleanups.push(async () => {
        await services.team.stop();
        services.close();
        home.cleanup();
      });
      return { services, clock, secrets, home: home.dir };
    },
    afterTest(cleanup) {
      cleanups.push(cleanup);
    },
  };
}
