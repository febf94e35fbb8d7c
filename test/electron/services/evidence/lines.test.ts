import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findTailOffset, LineFilter, LineSplitter, parseLineTime } from '../../../../electron/services/evidence/lines';

describe('line helpers', () => {
  it('splits lines across chunk boundaries', () => {
    const s = new LineSplitter();
    const out = [...s.push(Buffer.from('ab\ncd')), ...s.push(Buffer.from('ef\ng')), ...s.flush()].map(String);
    expect(out).toEqual(['ab\n', 'cdef\n', 'g']);
  });

  it('parses ISO and syslog timestamps at the start of a line', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseLineTime('2026-11-23T10:00:00Z ERROR x', now)).toBe(Date.parse('2026-11-23T10:00:00Z'));
    expect(parseLineTime('[2026-11-23 10:00:00,250+0100] x', now)).toBe(Date.parse('2026-11-23T09:00:00.250Z'));
    expect(parseLineTime('2026-11-23 10:00:00 local', now)).toBe(new Date(2026, 10, 23, 10, 0, 0).getTime());
    expect(parseLineTime('Nov 23 09:39:42 host sshd[1]: x', now)).toBe(new Date(2026, 10, 23, 9, 39, 42).getTime());
    // December in late November is last year's.
    expect(parseLineTime('Dec 31 23:00:00 host x', now)).toBe(new Date(2025, 11, 31, 23, 0, 0).getTime());
    expect(parseLineTime('    at stack (frame.js:1)', now)).toBeUndefined();
  });

  it('lets continuation lines follow the line above them', () => {
    const f = new LineFilter({ since: Date.parse('2026-11-23T10:00:00Z'), now: Date.now() });
    const keep = ['2026-11-23T09:00:00Z old', '  trace of old', '2026-11-23T10:30:00Z new', '  trace of new'].map((l) => f.accept(Buffer.from(l)));
    expect(keep).toEqual([false, false, true, true]);
  });

  it('finds where the last N lines start, reading backwards', async () => {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'fb-tail-')), 'a.log');
    const lines = Array.from({ length: 50_000 }, (_, i) => `line ${i}`);
    fs.writeFileSync(file, lines.join('\n') + '\n');
    const fd = fs.openSync(file, 'r');
    const size = fs.fstatSync(fd).size;
    const off = await findTailOffset(fd, size, 3);
    expect(fs.readFileSync(file).subarray(off).toString()).toBe('line 49997\nline 49998\nline 49999\n');
    expect(await findTailOffset(fd, size, 1_000_000)).toBe(0);
    fs.closeSync(fd);
    fs.rmSync(path.dirname(file), { recursive: true });
  });
});
