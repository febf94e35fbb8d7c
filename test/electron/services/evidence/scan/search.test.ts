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
});
