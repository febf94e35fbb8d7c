import { describe, expect, it } from 'vitest';
import { appendBounded, GAUGE_WINDOW_MS } from '../../../renderer/src/store/monitor-slice';
import type { GaugeUpdate } from '../../../shared/monitor';

const update = (at: number): GaugeUpdate =>
  ({ sample: { at, cpu: null, memory: null, load: null, diskIo: null, network: null, disks: null, disksAt: null, errors: [] }, levels: {}, display: {} }) as unknown as GaugeUpdate;

describe('gauge window in the store', () => {
  it('keeps 15 minutes at 1 Hz and never grows past it however long it runs', () => {
    let updates: GaugeUpdate[] = [];
    const start = Date.parse('2026-11-23T09:00:00Z');
    for (let i = 0; i < 3 * 3600; i++) updates = appendBounded(updates, update(start + i * 1000));
    expect(updates.length).toBeLessThanOrEqual(GAUGE_WINDOW_MS / 1000);
    expect(updates[0]!.sample.at).toBeGreaterThan(updates.at(-1)!.sample.at - GAUGE_WINDOW_MS);
  });

  it('caps by count even when samples arrive faster than 1 Hz, and ignores duplicates', () => {
    let updates: GaugeUpdate[] = [];
    for (let i = 0; i < 5000; i++) updates = appendBounded(updates, update(1_000_000 + i * 10));
    expect(updates.length).toBe(960);
    expect(appendBounded(updates, update(1_000_000))).toBe(updates);
  });
});
