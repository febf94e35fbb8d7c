import { describe, expect, it } from 'vitest';
import { skippedStatuses, isOpen } from '../../shared/lifecycle';
import { parseSeverity } from '../../shared/severity';

describe('severity aliases (seed 003 P-levels)', () => {
  it.each([
    ['critical', 'critical'],
    ['Critical', 'critical'],
    ['P0', 'critical'],
    ['p1', 'high'],
    [' P2 ', 'medium'],
    ['P3', 'low'],
    ['P4', undefined],
    ['sev1', undefined],
    ['', undefined],
  ])('%j → %s', (input, expected) => expect(parseSeverity(input)).toBe(expected));
});

describe('lifecycle', () => {
  it('lists what a jump skips', () => {
    expect(skippedStatuses('detected', 'acknowledged')).toEqual([]);
    expect(skippedStatuses('acknowledged', 'resolved')).toEqual(['investigating', 'mitigated']);
  });
  it('is open until resolved', () => {
    expect(isOpen('mitigated')).toBe(true);
    expect(isOpen('resolved')).toBe(false);
  });
});
