import { describe, expect, it } from 'vitest';
import { PREFIX_BYTES, PrefixKey } from '../../../../../electron/services/evidence/scan/prefix-key';

// The 19-byte line prefix window.ts and levels.ts compare lines with (as five words).

describe('PrefixKey', () => {
  const line = Buffer.from('xx2026-11-23T10:00:00.123Z INFO a\n');

  it('matches nothing until it holds a key, then exactly the 19 bytes it took', () => {
    const key = new PrefixKey();
    expect(key.matches(line, 2)).toBe(false);
    key.take(line, 2);
    expect(key.matches(line, 2)).toBe(true);
    // The same bytes elsewhere, in another buffer object (its own view).
    expect(key.matches(Buffer.from('2026-11-23T10:00:00 anything'), 0)).toBe(true);
    // A change in any of the 19 bytes is seen; the 20th is not part of the key.
    for (let i = 0; i < PREFIX_BYTES; i++) {
      const other = Buffer.from(line);
      other[2 + i] = other[2 + i]! ^ 1;
      expect(key.matches(other, 2), `byte ${i}`).toBe(false);
    }
    const tail = Buffer.from(line);
    tail[2 + PREFIX_BYTES] = 0x2c;
    expect(key.matches(tail, 2)).toBe(true);
    key.held = false;
    expect(key.matches(line, 2)).toBe(false);
  });
});
