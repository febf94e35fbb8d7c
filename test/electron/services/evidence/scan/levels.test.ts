import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreSink } from '../../../../../electron/services/evidence/cas';
import type { CollectionContext } from '../../../../../electron/services/evidence/context';
import { filterLines, toFilters } from '../../../../../electron/services/evidence/files';
import { LineLevels, levelRank } from '../../../../../electron/services/evidence/scan/levels';
import { collectFilesSchema } from '../../../../../shared/channels/evidence';
import { write } from '../helpers';

// --level (issue 20): JSON lines (winston `level`) and plain ERROR/WARN/INFO/DEBUG lines alike;
// lines without a level (stack traces) go with the line above.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-levels-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const json = (level: string, message: string, extra: Record<string, unknown> = {}) =>
  JSON.stringify({ level, message, timestamp: '2026-11-23T11:00:00.000Z', service: 'api', ...extra });

const MIXED = [
  'preamble without a level',
  '2026-11-23T11:00:00Z INFO started',
  json('info', 'request ok'),
  json('error', 'db timeout'),
  '2026-11-23T11:00:01Z ERROR payment failed',
  'Traceback (most recent call last):',
  '  File "app.py", line 12, in handler',
  json('warn', 'slow query'),
  '2026-11-23T11:00:02Z WARN disk 85%',
  '2026-11-23T11:00:03Z DEBUG cache miss',
  json('debug', 'cache miss'),
  // A nested or quoted "level" must not decide: the top-level field does.
  json('info', 'user said "level":"error"', { meta: { level: 'error' } }),
  JSON.stringify({ meta: { level: 'error' }, level: 'info', message: 'nested first' }),
  json('verbose', 'chatty'),
  '2026-11-23T11:00:04Z FATAL out of memory',
  '2026-11-23T11:00:05Z INFO an ERRORS word and INFORMATION are not levels: ERROR_CODE=5',
  '2026-11-23T11:00:06Z WARNING deprecated',
  json('crit', 'raid degraded'),
].join('\n');

async function run(filters: Parameters<typeof toFilters>[0], chunkSize: number): Promise<string[]> {
  const data = Buffer.from(MIXED + '\n');
  const file = write(path.join(dir, `mixed-${chunkSize}-${Math.random()}.log`), data);
  const written: Buffer[] = [];
  const sink = { write: async (b: Buffer) => void written.push(Buffer.from(b)) } as unknown as StoreSink;
  const ctx = { now: () => NOW, progress: () => undefined } as unknown as CollectionContext;
  const fd = fs.openSync(file, 'r');
  try {
    const r = await filterLines(ctx, fd, sink, data.length, toFilters(filters), { chunkSize });
    const lines = Buffer.concat(written).toString('utf8').split('\n').filter(Boolean);
    expect(r.derivation.linesKept).toBe(lines.length);
    if (filters.level) expect(r.derivation.level).toBe(filters.level);
    return lines;
  } finally {
    fs.closeSync(fd);
  }
}

describe('--level', () => {
  it('keeps error and more severe from JSON and plain lines, with the stack trace under an error', async () => {
    const kept = await run({ level: 'error' }, 1 << 20);
    expect(kept).toEqual([
      json('error', 'db timeout'),
      '2026-11-23T11:00:01Z ERROR payment failed',
      'Traceback (most recent call last):',
      '  File "app.py", line 12, in handler',
      '2026-11-23T11:00:04Z FATAL out of memory',
      json('crit', 'raid degraded'),
    ]);
  });

  it('warn adds WARN/WARNING and JSON warn; info adds info; debug adds debug but not trace-like verbose below it', async () => {
    const warn = await run({ level: 'warn' }, 1 << 20);
    expect(warn).toContain(json('warn', 'slow query'));
    expect(warn).toContain('2026-11-23T11:00:06Z WARNING deprecated');
    expect(warn).not.toContain('2026-11-23T11:00:00Z INFO started');
    const info = await run({ level: 'info' }, 1 << 20);
    expect(info).toContain(json('info', 'request ok'));
    expect(info).toContain(JSON.stringify({ meta: { level: 'error' }, level: 'info', message: 'nested first' }));
    expect(info).not.toContain('2026-11-23T11:00:03Z DEBUG cache miss');
    expect(info).not.toContain('preamble without a level');
    const debug = await run({ level: 'debug' }, 1 << 20);
    expect(debug).toContain('2026-11-23T11:00:03Z DEBUG cache miss');
    expect(debug).toContain(json('verbose', 'chatty'));
    expect(debug).toHaveLength(MIXED.split('\n').length - 1); // all but the preamble
  });

  it('gives the same lines whatever the read size (lines across buffer boundaries)', async () => {
    for (const level of ['error', 'warn', 'info', 'debug'] as const) {
      const whole = await run({ level }, 1 << 20);
      for (const chunk of [7, 64, 333]) expect(await run({ level }, chunk)).toEqual(whole);
    }
  });

  it('combines with --grep (both must hold) and --since', async () => {
    expect(await run({ level: 'error', grep: 'payment|raid' }, 1 << 20)).toEqual(['2026-11-23T11:00:01Z ERROR payment failed', json('crit', 'raid degraded')]);
    // The JSON crit line's own "timestamp" (11:00:00) is before since.
    expect(await run({ level: 'error', since: '2026-11-23T11:00:02Z' }, 1 << 20)).toEqual(['2026-11-23T11:00:04Z FATAL out of memory']);
  });

  it('reads a level from bytes only where it decides; a value in a message is not a level', () => {
    const levels = new LineLevels(levelRank('error'));
    const at = (s: string) => levels.decide(Buffer.from(s), 0, Buffer.byteLength(s));
    expect(at('  at com.example.Foo(Foo.java:12)')).toBeUndefined();
    expect(at('{"message":"no level here"}')).toBeUndefined();
    expect(at('{"level":"info","message":"ERROR in text"}')).toBe(false);
    expect(at('{"message":"quoted \\"level\\":\\"error\\"","level":"info"}')).toBe(false);
    expect(at('{"level" : "ERROR"}')).toBe(true);
    expect(at('{"level":"error","message":"cut at MAX_LINE')).toBe(true);
    expect(at('xERROR ERRORS error')).toBeUndefined();
  });

  it('is validated at the boundary with the field named', () => {
    const base = { incidentId: 1, paths: ['/var/log/app.log'], requestId: 'r1' };
    expect(collectFilesSchema.safeParse({ ...base, level: 'error' }).success).toBe(true);
    const bad = collectFilesSchema.safeParse({ ...base, level: 'loud' });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.path).toEqual(['level']);
    expect(bad.error?.issues[0]?.message).toContain('error, warn, info, debug');
  });
});

describe('a long line finds its level word with Buffer.indexOf, as the byte loop finds it', () => {
  // Words in every context that makes or breaks a level word: inside longer words, after a
  // word byte, before a digit or underscore, after non-ASCII, at the line's start and end.
  const tokens = ['ERROR', 'XERROR', 'ERRORS', '_WARN', 'WARN2', 'WARNING', 'WARNINGS', 'INFO', 'iNFO', 'DEBUG', 'TRACE', 'FATAL', 'CRITICAL', 'CRITICALX', '\u00e9ERROR', 'ERR', 'lower', ':', '-'];
  let seed = 20;
  const random = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const line = (parts: readonly string[], gap: string, lead: boolean): Buffer => Buffer.from(`${lead ? gap : ''}${parts.join(gap)}${gap}\n`, 'utf8');

  it('decides every shuffled line the same at 100 bytes and at 20 KiB', () => {
    for (let i = 0; i < 400; i++) {
      const parts = Array.from({ length: 1 + random(6) }, () => tokens[random(tokens.length)]!);
      // NUL and blank gaps keep word boundaries as they are; the long gap makes the line long.
      const gap = random(2) === 0 ? ' ' : '\0';
      const lead = random(2) === 0;
      const short = line(parts, gap, lead);
      const long = line(parts, gap.repeat(4200), lead);
      expect(long.length).toBeGreaterThan(4096);
      for (const rank of [0, 1, 2, 4]) {
        const expected = new LineLevels(rank).decide(short, 0, short.length);
        expect(new LineLevels(rank).decide(long, 0, long.length), `${JSON.stringify(parts)} at rank ${rank}`).toBe(expected);
      }
    }
  });

  it('reads the level word of a hole of NULs with a line after it', () => {
    const hole = Buffer.concat([Buffer.alloc(3 << 20), Buffer.from('2026-11-23T10:00:00Z ERROR after the hole\n')]);
    expect(new LineLevels(0).decide(hole, 0, hole.length)).toBe(true);
    expect(new LineLevels(0).decide(Buffer.alloc(3 << 20), 0, 3 << 20)).toBeUndefined();
  });
});
