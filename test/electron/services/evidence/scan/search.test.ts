import { describe, expect, it } from 'vitest';
import { LineSplitter, MAX_LINE } from '../../../../../electron/services/evidence/lines';
import { LineSearch } from '../../../../../electron/services/evidence/scan/search';
import { compileUserPattern, type UserPattern } from '../../../../../shared/user-pattern';
import { harness, write } from '../helpers';

// The preview search on the byte scan must number and place matches exactly as the
// line-by-line walk did (kept here as `reference`).

function reference(data: Buffer, pattern: UserPattern, chunkSize: number) {
  const splitter = new LineSplitter();
  const hits: Array<{ line: number; offset: number; text: string }> = [];
  let line = 0;
  let offset = 0;
  const check = (buf: Buffer) => {
    line++;
    const text = buf.toString('utf8').replace(/\r?\n$/, '');
    if (pattern.test(text)) hits.push({ line, offset, text });
    offset += buf.length;
  };
  for (let at = 0; at < data.length; at += chunkSize) for (const b of splitter.push(Buffer.from(data.subarray(at, at + chunkSize)))) check(b);
  for (const b of splitter.flush()) check(b);
  return hits;
}

function scanned(data: Buffer, pattern: UserPattern, chunkSize: number) {
  const search = new LineSearch(pattern);
  const hits: Array<{ line: number; offset: number; text: string }> = [];
  for (let at = 0; at < data.length; at += chunkSize) hits.push(...search.push(Buffer.from(data.subarray(at, at + chunkSize))));
  hits.push(...search.flush());
  return hits;
}

const rows = Array.from({ length: 500 }, (_, i) => `2026-11-23T10:00:${String(i % 60).padStart(2, '0')}Z ${i % 9 === 0 ? 'ERROR' : i % 31 === 0 ? 'Critical' : 'INFO'} row ${i}${i % 50 === 0 ? '\n  at trace' : ''}`);
const sources: Record<string, Buffer> = {
  lf: Buffer.from(rows.join('\n') + '\n'),
  crlfNoFinal: Buffer.from(rows.join('\r\n')),
  invalidUtf8: Buffer.concat([Buffer.from([0xff, 0x0a, 0xe2, 0x82]), Buffer.from('ERROR after broken bytes\n'), Buffer.from(rows.join('\n'))]),
  long: Buffer.from(`a ERROR\n${'x'.repeat(MAX_LINE + 10)}ERROR\n${'z'.repeat(2 * MAX_LINE)}\nlast ERROR`),
};

describe('evidence search on the byte scan', () => {
  for (const chunkSize of [7, 61, 4096, 1 << 20]) {
    it(`numbers and places matches as before with ${chunkSize}-byte chunks`, () => {
      for (const [p, ignoreCase] of [['ERROR|CRITICAL', false], ['critical', true], ['row \\d+5$', false], ['\\d{3}', false]] as const) {
        const pattern = compileUserPattern(p, { ignoreCase });
        for (const [name, data] of Object.entries(sources)) {
          if (chunkSize < 64 && data.length > 100_000) continue;
          expect(scanned(data, pattern, chunkSize), `${p} on ${name}`).toEqual(reference(data, pattern, chunkSize));
        }
      }
    });
  }

  it('searchArtifact returns the same matches through the store (and stops at maxMatches)', async () => {
    const h = harness();
    try {
      const file = write(`${h.src}/app.log`, sources.crlfNoFinal!);
      const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file] });
      const r = await h.archive.searchArtifact(artifacts[0]!.id, 'ERROR|CRITICAL', { ignoreCase: true });
      expect(r.matches).toEqual(reference(sources.crlfNoFinal!, compileUserPattern('ERROR|CRITICAL', { ignoreCase: true }), 1 << 20));
      const capped = await h.archive.searchArtifact(artifacts[0]!.id, 'ERROR', { maxMatches: 3 });
      expect(capped.matches.map((m) => m.line)).toEqual([1, 11, 20]);
      expect(capped.truncated).toBe(true);
    } finally {
      h.cleanup();
    }
  });

  it('filters by level as collect --level does: a stack trace goes with its error, numbering stays the file\'s', async () => {
    const h = harness();
    try {
      const lines = [
        '2026-11-23T09:00:00Z INFO checkout started',
        JSON.stringify({ level: 'error', message: 'db timeout', timestamp: '2026-11-23T09:00:01Z' }),
        '2026-11-23T09:00:02Z ERROR payment failed',
        '    at pay (/srv/app/pay.js:12:3)',
        '2026-11-23T09:00:04Z WARN slow query',
        '2026-11-23T09:00:05Z ERROR payment retried',
      ];
      const file = write(`${h.src}/app.log`, lines.join('\n') + '\n');
      const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file] });
      const id = artifacts[0]!.id;
      const errors = await h.archive.searchArtifact(id, '^', { level: 'error' });
      expect(errors.matches.map((m) => m.line)).toEqual([2, 3, 4, 6]);
      // With a pattern: both must hold (the WARN line has "slow" but is below error).
      const payment = await h.archive.searchArtifact(id, 'pay|slow', { level: 'error' });
      expect(payment.matches.map((m) => m.text)).toEqual([lines[2], lines[3], lines[5]]);
      expect((await h.archive.searchArtifact(id, 'slow', { level: 'warn' })).matches.map((m) => m.line)).toEqual([5]);
      const viewed = [...h.timeline.iterate(h.incidentId)].filter((e) => e.kind === 'evidence.viewed').at(-1);
      expect(viewed?.data).toMatchObject({ search: 'slow', level: 'warn', matches: 1 });
    } finally {
      h.cleanup();
    }
  });
});
