import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { PeriodicCheck } from '../../../electron/services/periodic-check';

// Fake timers: the ticks are driven by hand, so nothing here depends on the machine's speed.
describe('PeriodicCheck: the SLA and escalation watches', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('checks at once, then every interval, until stopped', () => {
    const check = vi.fn();
    const watch = new PeriodicCheck('SLA', check);
    watch.start(5_000);
    expect(check).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(15_000);
    expect(check).toHaveBeenCalledTimes(4);
    watch.stop();
    vi.advanceTimersByTime(15_000);
    expect(check).toHaveBeenCalledTimes(4);
  });

  it('logs a failed check with its name and keeps watching', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    let calls = 0;
    const watch = new PeriodicCheck('escalation', () => {
      calls++;
      if (calls === 1) throw new Error('database is locked');
    });
    watch.start(1_000);
    expect(warn).toHaveBeenCalledWith('firebreak: escalation check failed:', 'database is locked');
    vi.advanceTimersByTime(1_000);
    expect(calls).toBe(2);
    watch.stop();
  });

  it('restarting replaces the running timer instead of adding a second one', () => {
    const check = vi.fn();
    const watch = new PeriodicCheck('SLA', check);
    watch.start(1_000);
    watch.start(1_000);
    vi.advanceTimersByTime(3_000);
    expect(check).toHaveBeenCalledTimes(5);
    watch.stop();
  });
});
