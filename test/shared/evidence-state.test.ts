import { describe, expect, it } from 'vitest';
import { collectionState, collectionWarnings, storedWhole, type ArtifactStatus } from '../../shared/evidence';

// Issue 15: a path that did not exist was reported "complete" in green.
describe('what a collection shows', () => {
  it('is complete only when every artifact was stored whole, else complete with warnings', () => {
    expect(collectionState('complete', 0)).toBe('complete');
    expect(collectionState('complete', 2)).toBe('complete-with-warnings');
    // Other states say more than the warnings do.
    expect(collectionState('cancelled', 3)).toBe('cancelled');
    expect(collectionState('failed', 0)).toBe('failed');
  });

  it('counts a missing path, a glob with no match, an unreadable or cut file as warnings; ok and binary are whole', () => {
    const statuses: ArtifactStatus[] = ['ok', 'binary', 'vanished', 'unreadable', 'truncated-by-cap', 'command-failed'];
    expect(statuses.filter(storedWhole)).toEqual(['ok', 'binary']);
    expect(collectionWarnings(statuses.map((status) => ({ status }))).map((a) => a.status)).toEqual(['vanished', 'unreadable', 'truncated-by-cap', 'command-failed']);
  });
});
