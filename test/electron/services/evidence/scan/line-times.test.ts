import { describe, expect, it } from 'vitest';
import { LineTimes, parseLineTime } from '../../../../../electron/services/evidence/lines';

// LineTimes reads a line's time from its bytes and caches the second; it must give what
// parseLineTime gives for the decoded line, for every line.

const NOW = Date.parse('2026-11-23T12:00:00Z');

describe('line times from bytes', () => {
  it('agrees with parseLineTime on the formats and their corner cases', () => {
    const lines = [
      '2026-11-23T10:00:00Z ERROR x',
      '2026-11-23T10:00:00.123Z x',
      '2026-11-23T10:00:00.1Z x',
      '2026-11-23T10:00:00.123456789Z x',
      '2026-11-23T10:00:00.1234567891Z x',
      '2026-11-23 10:00:00,250+0100 x',
      '[2026-11-23 10:00:00,250+01:00] x',
      '2026-11-23T10:00:00 +01:00 x',
      '2026-11-23T10:00:00 Z',
      '2026-11-23T10:00:00\u00a0Z nbsp',
      '2026-11-23T10:00:00\u3000Z ideographic space',
      '2026-11-23T10:00:00+01:0 short zone',
      '2026-11-23T10:00:00+1 x',
      '2026-11-23T10:00:00. x',
      '2026-11-23T10:00:00.Z',
      '2026-11-23T24:00:00Z',
      '2026-11-23T24:00:00.500Z',
      '2026-02-30T10:00:00Z',
      '2026-13-01T10:00:00Z',
      '2026-11-23T10:60:00Z',
      '2026-11-23 10:00:00 local',
      '2026-11-23T10:00:00',
      '2026-11-23T10:00:0',
      '2026-11-23X10:00:00Z',
      '[2026-11-23T10:00',
      'Nov 23 09:39:42 host sshd[1]: x',
      'Dec 31 23:00:00 host x',
      'Nov  3 09:39:42 host x',
      'Xyz 23 09:39:42 host x',
      '    at stack (frame.js:1)',
      '',
      '1',
      '20261123',
      'é2026-11-23T10:00:00Z',
    ];
    const times = new LineTimes(NOW);
    for (const ending of ['\n', '\r\n', '']) {
      for (const l of lines) {
        const buf = Buffer.from(l + ending);
        expect(times.at(buf, 0, buf.length), JSON.stringify(l + ending)).toBe(parseLineTime(l + ending, NOW));
      }
    }
  });

  it('reads a JSON line\'s "timestamp" as parseLineTime reads that value (issue 20)', () => {
    const times = new LineTimes(NOW);
    const at = (l: string) => times.at(Buffer.from(l), 0, Buffer.byteLength(l));
    expect(at('{"level":"error","timestamp":"2026-11-23T10:00:00Z"}\n')).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(at('{"timestamp":"2026-11-23 10:00:00.250+01:00","message":"x"}')).toBe(Date.parse('2026-11-23T09:00:00.250Z'));
    expect(at('{"message":"no time","level":"info"}')).toBeUndefined();
    expect(at('{"timestamp":1795428000000}')).toBeUndefined();
    expect(at('{"timestamp":"soon"}')).toBeUndefined();
  });

  it('agrees on consecutive lines sharing a second (the cache), inside a larger buffer', () => {
    const rows: string[] = [];
    let t = Date.parse('2026-11-23T10:59:58Z');
    for (let i = 0; i < 3000; i++) {
      const iso = new Date(t).toISOString();
      const variant = i % 7 === 0 ? iso.replace('Z', '+00:00') : i % 11 === 0 ? iso.replace('T', ' ').replace('Z', '') : i % 13 === 0 ? `[${iso}]` : iso;
      rows.push(`${variant} INFO row ${i}\n`);
      if (i % 17 === 0) rows.push('  continuation\n');
      t += 1 + (i % 5) * 3;
    }
    const buf = Buffer.from(rows.join(''));
    const times = new LineTimes(NOW);
    let at = 0;
    for (const row of rows) {
      // The line's end is passed; the bytes after it (the next line) must not be read as its zone.
      expect(times.at(buf, at, at + row.length - 1), row).toBe(parseLineTime(row.slice(0, -1), NOW));
      at += row.length;
    }
  });
});
