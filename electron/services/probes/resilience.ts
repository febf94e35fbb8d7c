import type { Clock } from '../clock';

/** A probe failure. `retryable: false` (bad password, protocol mismatch) skips the retries. */
export class ProbeError extends Error {
  constructor(
    message: string,
    readonly retryable = true,
    readonly code?: string,
  ) {
    super(message);
    this.name = 'ProbeError';
  }
}

export class ProbeTimeoutError extends ProbeError {
  constructor(ms: number) {
    super(`timed out after ${ms} ms`, true, 'timeout');
    this.name = 'ProbeTimeoutError';
  }
}

/**
 * Runs one attempt with a hard deadline. On timeout the signal is aborted so the attempt
 * closes its socket/driver; the promise settles at the deadline whatever the attempt does.
 */
export function withDeadline<T>(attempt: (signal: AbortSignal) => Promise<T>, timeoutMs: number): Promise<T> {
  const controller = new AbortController();
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      const error = new ProbeTimeoutError(timeoutMs);
      controller.abort(error);
      reject(error);
    }, timeoutMs);
    attempt(controller.signal).then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

export interface BackoffOptions {
  readonly baseMs: number;
  readonly maxMs: number;
  /** ± fraction applied to each delay. */
  readonly jitter: number;
}

/** Delay before retry number `retry` (1-based): base·2^(retry−1), capped, ± jitter. */
export function backoffDelay(retry: number, options: BackoffOptions, random: () => number = Math.random): number {
  const raw = Math.min(options.maxMs, options.baseMs * 2 ** Math.max(0, retry - 1));
  const spread = raw * options.jitter;
  return Math.max(0, Math.round(raw - spread + random() * 2 * spread));
}

import type { BreakerState } from '../../../shared/monitor';

export type { BreakerState } from '../../../shared/monitor';

export interface BreakerOptions {
  readonly failureThreshold: number;
  readonly coolDownMs: number;
}

/**
 * closed → open after `failureThreshold` consecutive failed runs; open refuses runs until
 * `coolDownMs` has passed; then half-open lets exactly one run through: success closes it,
 * failure opens it again for another cool-down.
 */
export class CircuitBreaker {
  private current: BreakerState = 'closed';
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;

  constructor(
    private readonly options: BreakerOptions,
    private readonly clock: Clock,
  ) {}

  get state(): BreakerState {
    if (this.current === 'open' && this.clock.now() - this.openedAt >= this.options.coolDownMs) return 'half-open';
    return this.current;
  }

  get consecutiveFailures(): number {
    return this.failures;
  }

  /** When an open breaker lets the next trial through (epoch ms), or null. */
  get retryAt(): number | null {
    return this.current === 'open' ? this.openedAt + this.options.coolDownMs : null;
  }

  /** Whether a run may start now; a half-open breaker admits one trial at a time. */
  tryAcquire(): { allowed: boolean; trial: boolean } {
    const state = this.state;
    if (state === 'closed') return { allowed: true, trial: false };
    if (state === 'open' || this.trialInFlight) return { allowed: false, trial: false };
    this.current = 'half-open';
    this.trialInFlight = true;
    return { allowed: true, trial: true };
  }

  success(): void {
    this.current = 'closed';
    this.failures = 0;
    this.trialInFlight = false;
  }

  failure(): void {
    this.failures++;
    this.trialInFlight = false;
    if (this.current === 'half-open' || this.failures >= this.options.failureThreshold) {
      this.current = 'open';
      this.openedAt = this.clock.now();
    }
  }
}

// Not unref'd: a CLI run must not exit in the middle of a backoff.
export const realSleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
