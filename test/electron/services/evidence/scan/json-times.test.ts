import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreSink } from '../../../../../electron/services/evidence/cas';
import type { CollectionContext } from '../../../../../electron/services/evidence/context';
import { filterLines, toFilters } from '../../../../../electron/services/evidence/files';
import { LineSplitter, parseLineTime } from '../../../../../electron/services/evidence/lines';
import { write } from '../helpers';

// --since / --until on JSON lines (issue 20): a winston line's time is its "timestamp" field.
// Reference: each line JSON.parse'd (or parseLineTime on plain text), a line without a time
// going with the line above, kept when since <= t <= until.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-json-times-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function timeOf(line: string): number | undefined {
  if (line.startsWith('{')) {
    try {
      const v = (JSON.parse(line) as Record<string, unknown>)['timestamp'];
      return typeof v === 'string' ? parseLineTime(v, NOW) : undefined;
    } catch {
      return undefined;
    }
  }
  return parseLineTime(line, NOW);
}

function reference(data: Buffer, since: number | undefined, until: number | undefined): string {
  let keep = true;
  const out: string[] = [];
  const splitter = new LineSplitter();
  for (const line of [...splitter.push(data), ...splitter.flush()]) {
    const text = line.toString('utf8');
    const t = timeOf(text.replace(/\r?\n$/, ''));
    if (t !== undefined) keep = (since === undefined || t >= since) && (until === undefined || t <= until);
    if (keep) out.push(text);
  }
  return out.join('');
}

async function scanned(data: Buffer, request: Parameters<typeof toFilters>[0], chunkSize: number): Promise<string> {
  const file = write(path.join(dir, `j-${chunkSize}-${Math.random()}.log`), data);
  const written: Buffer[] = [];
  const sink = { write: async (b: Buffer) => void written.push(Buffer.from(b)) } as unknown as StoreSink;
  const ctx = { now: () => NOW, progress: () => undefined } as unknown as CollectionContext;
  const fd = fs.openSync(file, 'r');
  try {
    const r = await filterLines(ctx, fd, sink, data.length, toFilters(request), { chunkSize });
    if (request.until !== undefined) expect(r.derivation.until).toBe(new Date(request.until).toISOString());
    return Buffer.concat(written).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}

const base = Date.parse('2026-11-23T11:00:00Z');
const lines: string[] = [];
for (let i = 0; i < 240; i++) {
  const timestamp = new Date(base + i * 5_000).toISOString();
  if (i % 3 === 0) lines.push(JSON.stringify({ level: i % 9 === 0 ? 'error' : 'info', message: `job ${i}`, timestamp, service: 'api' }));
  else if (i % 3 === 1) lines.push(JSON.stringify({ timestamp: timestamp.replace('Z', '+00:00'), level: 'warn', message: 'zone written out', meta: { attempt: i } }));
  else lines.push(`${timestamp} INFO plain line ${i}`);
  if (i % 17 === 0) lines.push('    at handler (app.js:12:3)');
  if (i % 31 === 0) lines.push(JSON.stringify({ level: 'info', message: 'no timestamp field' }));
}
lines.push('{"timestamp": "2026-11-23T11:10:00.250Z" , "level":"error","message":"spaces around the colon"}');
lines.push('{"timestamp":"not a time","message":"goes with the line above"}');
const MIXED = Buffer.from(lines.join('\n') + '\n');
const CRLF = Buffer.from(lines.join('\r\n'));

describe('--since / --until on JSON lines', () => {
  const windows: Array<[string, { since?: string; until?: string }]> = [
    ['since', { since: '2026-11-23T11:10:00Z' }],
    ['until', { until: '2026-11-23T11:05:00Z' }],
    ['since + until', { since: '2026-11-23T11:04:00Z', until: '2026-11-23T11:10:00.250Z' }],
  ];
  for (const [name, window] of windows) {
    it(`keeps what a JSON.parse reference keeps: ${name}`, async () => {
      for (const data of [MIXED, CRLF]) {
        const expected = reference(data, window.since ? Date.parse(window.since) : undefined, window.until ? Date.parse(window.until) : undefined);
        expect(expected.length).toBeGreaterThan(0);
        expect(expected.length).toBeLessThan(data.length);
        for (const chunk of [7, 61, 1 << 20]) expect(await scanned(data, window, chunk), `${name}, ${chunk}-byte reads`).toBe(expected);
      }
    });
  }

  it('until on plain lines drops what comes after, with its continuation lines', async () => {
    const data = Buffer.from(['2026-11-23T11:00:00Z a', '  cont a', '2026-11-23T11:00:02Z b', '  cont b', '2026-11-23T11:00:01Z c (out of order)', ''].join('\n'));
    expect(await scanned(data, { until: '2026-11-23T11:00:01Z' }, 1 << 20)).toBe(['2026-11-23T11:00:00Z a', '  cont a', '2026-11-23T11:00:01Z c (out of order)', ''].join('\n'));
  });

  it('says which field is wrong', () => {
    expect(() => toFilters({ until: 'yesterday-ish' })).toThrow('until: not a time: yesterday-ish');
    expect(() => toFilters({ since: '2026-11-23T11:00:00Z', until: '2026-11-23T10:00:00Z' })).toThrow(/^until: .* is before since/);
  });
});
