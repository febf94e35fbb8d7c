import type { Clock } from '../clock';

export type Cancel = () => void;

/** Timers behind an interface so tests can drive time by hand. */
export interface Scheduler {
  setInterval(fn: () => void, ms: number): Cancel;
  setTimeout(fn: () => void, ms: number): Cancel;
}

/** Real timers, unref'd so a sampler never keeps a CLI process alive. */
export const realScheduler: Scheduler = {
  setInterval(fn, ms) {
    const handle = setInterval(fn, ms);
    handle.unref?.();
    return () => clearInterval(handle);
  },
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, ms);
    handle.unref?.();
    return () => clearTimeout(handle);
  },
};

/** Lets promise chains started by a timer callback run to completion. */
export function flushAsync(rounds = 5): Promise<void> {
  let chain = Promise.resolve();
  for (let i = 0; i < rounds; i++) chain = chain.then(() => new Promise<void>((resolve) => setImmediate(resolve)));
  return chain;
}

interface ManualTimer {
  readonly id: number;
  due: number;
  readonly every: number | null;
  readonly fn: () => void;
}

/**
 * A scheduler tests move by hand together with a ManualClock-like clock: `advance(ms)`
 * fires every timer that falls due, in order, setting the clock to each due time and
 * letting the callback's async work settle before the next one.
 */
export class ManualScheduler implements Scheduler {
  private timers: ManualTimer[] = [];
  private nextId = 1;

  constructor(private readonly clock: Clock & { set(ms: number): void }) {}

  setInterval(fn: () => void, ms: number): Cancel {
    return this.add(fn, ms, ms);
  }

  setTimeout(fn: () => void, ms: number): Cancel {
    return this.add(fn, ms, null);
  }

  get pending(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.clock.now() + ms;
    for (;;) {
      const next = this.timers.filter((t) => t.due <= target).sort((a, b) => a.due - b.due || a.id - b.id)[0];
      if (!next) break;
      this.clock.set(next.due);
      if (next.every === null) this.timers = this.timers.filter((t) => t !== next);
      else next.due += next.every;
      next.fn();
      await flushAsync();
    }
    this.clock.set(target);
    await flushAsync();
  }

  private add(fn: () => void, ms: number, every: number | null): Cancel {
    const timer: ManualTimer = { id: this.nextId++, due: this.clock.now() + Math.max(0, ms), every: every === null ? null : Math.max(1, every), fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }
}
