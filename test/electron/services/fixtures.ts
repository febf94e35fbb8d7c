import { ManualClock } from '../../../electron/services/clock';
import { createServices, type Services } from '../../../electron/services';
import { tempHome } from '../../support/temp-home';

export interface Fixture {
  readonly services: Services;
  readonly clock: ManualClock;
  readonly home: string;
  /** Opens a second set of services on the same profile (another process, as the CLI would). */
  reopen(): Services;
  cleanup(): void;
}

/** Real services over a real SQLite file in a temp profile, with a hand-driven clock. */
export function createFixture(start = '2026-11-23T09:00:00.000Z'): Fixture {
  const home = tempHome();
  const clock = new ManualClock(Date.parse(start));
  const identity = { actor: 'alice', host: 'laptop-1' };
  // Reports in UTC whatever the machine's zone (tests assert printed times).
  const services = createServices({ home: home.dir, clock, identity, timeZone: 'UTC' });
  const extra: Services[] = [];
  return {
    services,
    clock,
    home: home.dir,
    reopen: () => {
      const other = createServices({ home: home.dir, clock, identity: { actor: 'bob', host: 'laptop-2' } });
      extra.push(other);
      return other;
    },
    cleanup: () => {
      for (const s of extra) s.close();
      services.close();
      home.cleanup();
    },
  };
}
