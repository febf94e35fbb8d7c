import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { StoreSink } from '../../../../../electron/services/evidence/cas';
import type { CollectionContext } from '../../../../../electron/services/evidence/context';
import { filterLines, LINE_CUT, toFilters, type FileFilters } from '../../../../../electron/services/evidence/files';
import { LineRing, LineSplitter, LineTimes, MAX_LINE, parseLineTime } from '../../../../../electron/services/evidence/lines';
import { harness, write } from '../helpers';

// The byte scan (scan/line-scan.ts, hashing on a worker) must record exactly what the
// line-by-line filter recorded before it: same kept bytes, same source hash, same counts.
// `reference` is that earlier filterLines (and LineFilter), kept here verbatim in its logic.

const NOW = Date.parse('2026-11-23T12:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-scan-eq-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

/** LineFilter as it was: each line decoded whole, parseLineTime on the string. */
class OldLineFilter {
  private keepByTime = true;
  constructor(private readonly filters: FileFilters) {}
  accept(line: Buffer): boolean {
    const { grep, since } = this.filters;
    const text = grep || since !== undefined ? line.toString('utf8') : '';
    if (since !== undefined) {
      const t = parseLineTime(text, NOW);
      if (t !== undefined) this.keepByTime = t >= since;
      if (!this.keepByTime) return false;
    }
    if (grep) return grep.test(text.replace(/\r?\n$/, ''));
    return true;
  }
}

function reference(data: Buffer, filters: FileFilters, chunkSize: number) {
  const hash = crypto.createHash('sha256');
  const splitter = new LineSplitter();
  const filter = new OldLineFilter(filters);
  const ring = filters.tail !== undefined ? new LineRing(filters.tail) : undefined;
  const out: Buffer[] = [];
  let length = 0;
  let capped = false;
  let kept = 0;
  const emit = (line: Buffer) => {
    if (line.length === 0) return;
    if (length + line.length > filters.maxBytes) capped = true;
    else {
      out.push(Buffer.from(line));
      length += line.length;
    }
  };
  const take = (line: Buffer) => {
    if (!filter.accept(line)) return;
    kept++;
    if (ring) ring.push(line);
    else emit(line);
  };
  for (let at = 0; at < data.length; at += chunkSize) {
    const chunk = Buffer.from(data.subarray(at, Math.min(data.length, at + chunkSize)));
    hash.update(chunk);
    for (const line of splitter.push(chunk)) take(line);
  }
  for (const line of splitter.flush()) take(line);
  if (ring) for (const line of ring.drain()) emit(line);
  return { bytes: Buffer.concat(out), sourceSha256: hash.digest('hex'), capped, linesKept: ring ? Math.min(kept, filters.tail ?? kept) : kept };
}

async function scanned(data: Buffer, filters: FileFilters, chunkSize: number, onWorker: boolean) {
  const file = write(path.join(dir, `f-${crypto.randomUUID()}.log`), data);
  const written: Buffer[] = [];
  const sink = { write: async (b: Buffer) => void written.push(Buffer.from(b)) } as unknown as StoreSink;
  const ctx = { now: () => NOW, progress: () => undefined } as unknown as CollectionContext;
  const fd = fs.openSync(file, 'r');
  try {
    const r = await filterLines(ctx, fd, sink, data.length, filters, { chunkSize, workerHashMin: onWorker ? 0 : Number.POSITIVE_INFINITY });
    return { bytes: Buffer.concat(written), sourceSha256: r.sourceSha256, capped: r.capped, linesKept: r.derivation.linesKept };
  } finally {
    fs.closeSync(fd);
  }
}

function logs(): Record<string, Buffer> {
  const lines: string[] = [];
  for (let i = 0; i < 400; i++) {
    const t = new Date(Date.parse('2026-11-23T10:00:00Z') + i * 15_000).toISOString();
    const level = i % 13 === 0 ? 'ERROR' : i % 29 === 0 ? 'CRITICAL' : i % 5 === 0 ? 'WARN' : 'INFO';
    lines.push(`${t} ${level} worker-${i % 7} request ${i} error=${i % 3 === 0 ? 'none' : 'timeout'}`);
    if (i % 41 === 0) lines.push('Traceback (most recent call last):', '  File "app.py", line 12, in handler', '    raise ERROR_TIMEOUT');
  }
  const json = Array.from({ length: 300 }, (_, i) =>
    JSON.stringify({ level: i % 11 === 0 ? 'error' : 'info', message: `job ${i} ${i % 11 === 0 ? 'failed: ERROR' : 'ok'}`, timestamp: new Date(Date.parse('2026-11-23T11:00:00Z') + i * 1000).toISOString(), service: 'api' }),
  );
  const plain = lines.join('\n') + '\n';
  const long = 'x'.repeat(MAX_LINE + 4096);
  return {
    plain: Buffer.from(plain),
    crlf: Buffer.from(lines.join('\r\n') + '\r\n'),
    noFinalNewline: Buffer.from(lines.join('\n')),
    invalidUtf8: Buffer.concat([Buffer.from('ok\nbad \xff\xfe ERROR here\n', 'latin1'), Buffer.from([0xe2, 0x82, 0x0a]), Buffer.from(plain), Buffer.from([0xc3])]),
    json: Buffer.from(json.join('\n') + '\n'),
    // Lines longer than MAX_LINE are cut where LineSplitter cuts them; one holds a match near its end.
    veryLong: Buffer.from(`start ERROR\n${long}ERROR\n${long}\nmid ERROR\n${'y'.repeat(3 * MAX_LINE)}CRITICAL tail`),
    // Out of order, mixed formats, zones, syslog, a non-ASCII space before a zone.
    times: Buffer.from(
      [
        'preamble without time',
        '2026-11-23T10:59:59.999Z old ERROR',
        '2026-11-23T11:00:00.000+00:00 boundary ERROR',
        '  continuation of boundary',
        '2026-11-23T10:30:00Z late old line ERROR',
        '  its continuation',
        '[2026-11-23 12:00:00,001+01:00] bracketed, one hour ahead: old',
        '2026-11-23 11:30:00 local time ERROR',
        'Nov 23 11:30:00 host sshd[1]: syslog ERROR',
        '2026-11-23T11:00:00\u3000Z ideographic space ERROR',
        '2026-11-23T24:00:00Z hour 24',
        '2026-11-23T11:00:01.5Z ERROR new',
      ].join('\n') + '\n',
    ),
    empty: Buffer.alloc(0),
    onlyNewlines: Buffer.from('\n\n\n'),
  };
}

describe('byte scan records what the line filter recorded', () => {
  const sources = logs();
  const cases: Array<[string, Parameters<typeof toFilters>[0]]> = [
    ['grep literal alternation', { grep: 'ERROR|CRITICAL' }],
    ['grep ignoring case', { grep: 'error', grepIgnoreCase: true }],
    ['grep anchored at line end', { grep: 'timeout$' }],
    ['grep with no literal', { grep: '[0-9]{3}' }],
    ['grep json field', { grep: '"level":"error"' }],
    ['grep + tail', { grep: 'ERROR', tail: 3 }],
    ['grep + since', { grep: 'ERROR|Traceback', since: '2026-11-23T11:00:00Z' }],
    ['since only', { since: '2026-11-23T11:00:00Z' }],
    ['since + tail', { since: '2026-11-23T11:00:00Z', tail: 4 }],
    ['since + grep with no literal', { since: '2026-11-23T11:00:00Z', grep: '\\d{3}$' }],
    ['grep + small cap', { grep: 'ERROR', maxBytes: 500 }],
  ];
  // 4 MiB as in production; 7 and 61 bytes put matches, line ends and CRLF pairs across every kind of read boundary.
  // Hashing on the worker thread (61 B, 4 MiB) and on the main thread (7 B, 4 KiB, as for small files).
  for (const [chunkSize, onWorker] of [[7, false], [61, true], [4096, false], [4 << 20, true]] as const) {
    it(`gives the same bytes, hash and counts with ${chunkSize}-byte reads, hashing ${onWorker ? 'on a worker' : 'inline'}`, async () => {
      for (const [name, request] of cases) {
        const filters = toFilters(request);
        for (const [log, data] of Object.entries(sources)) {
          if (chunkSize < 64 && data.length > (chunkSize < 16 ? 20_000 : 100_000)) continue; // a 7-byte read of megabytes is only slow, not different
          // JSON lines' "timestamp" is read now (an intended change, tested in json-times.test.ts); plain logs must not move.
          if (log === 'json' && request.since !== undefined) continue;
          // Reads above 1 MiB hand the scanner 1 MiB at a time: long lines are cut where 1 MiB reads cut them.
          const expected = reference(data, filters, Math.min(chunkSize, LINE_CUT));
          const actual = await scanned(data, filters, chunkSize, onWorker);
          expect(actual.bytes.equals(expected.bytes), `${name} on ${log}`).toBe(true);
          expect({ ...actual, bytes: undefined }, `${name} on ${log}`).toEqual({ ...expected, bytes: undefined });
        }
      }
    }, 120_000);
  }

  it('cuts lines longer than MAX_LINE where 1 MiB reads cut them, with the production read size', async () => {
    // Longer than one 4 MiB read, with matches inside, at and after the cuts.
    const data = Buffer.concat([sources.veryLong!, Buffer.from('\n'), Buffer.alloc(9 << 20, 'z ERROR '), Buffer.from('\nlast ERROR\n')]);
    for (const request of [{ grep: 'ERROR' }, { level: 'error' as const }, { grep: 'ERROR', tail: 3 }]) {
      const filters = toFilters(request);
      const file = write(path.join(dir, `long-${crypto.randomUUID()}.log`), data);
      const written: Buffer[] = [];
      const sink = { write: async (b: Buffer) => void written.push(Buffer.from(b)) } as unknown as StoreSink;
      const fd = fs.openSync(file, 'r');
      try {
        const r = await filterLines({ now: () => NOW, progress: () => undefined } as unknown as CollectionContext, fd, sink, data.length, filters);
        const expected = reference(data, filters, 1 << 20);
        expect(Buffer.concat(written).equals(expected.bytes), JSON.stringify(request)).toBe(true);
        expect(r.derivation.linesKept).toBe(expected.linesKept);
      } finally {
        fs.closeSync(fd);
      }
    }
  }, 60_000);

  it('a whole collection records the same artifact as the reference (real store, custody entry)', async () => {
    const h = harness();
    try {
      const data = sources.crlf!;
      const file = write(path.join(h.src, 'app.log'), data);
      const { artifacts } = await h.evidence.collectFiles(h.incidentId, { paths: [file], grep: 'ERROR|CRITICAL' });
      const a = artifacts[0]!;
      const expected = reference(data, toFilters({ grep: 'ERROR|CRITICAL' }), 1 << 20);
      expect(a.sha256).toBe(crypto.createHash('sha256').update(expected.bytes).digest('hex'));
      expect(a.size).toBe(expected.bytes.length);
      expect(a.sourceSha256).toBe(expected.sourceSha256);
      expect(a.derivation).toMatchObject({ grep: 'ERROR|CRITICAL', sourceReadWhole: true, linesKept: expected.linesKept });
      const custody = [...h.timeline.iterate(h.incidentId)].find((e) => e.kind === 'evidence.collected');
      expect(JSON.stringify(custody?.data)).toContain(expected.sourceSha256);
    } finally {
      h.cleanup();
    }
  });
});

// The time window (scan/window.ts) decides most lines by comparing bytes with a cached
// second; it must keep exactly what reading every line's time with LineTimes kept
// (LineTimes agrees with parseLineTime: line-times.test.ts), whatever the order of the lines.
describe('the --since/--until window records what reading every line\'s time recorded', () => {
  function timeReference(data: Buffer, since: number | undefined, until: number | undefined, chunkSize: number) {
    const hash = crypto.createHash('sha256');
    const splitter = new LineSplitter();
    const times = new LineTimes(NOW);
    let keep = true;
    const out: Buffer[] = [];
    let kept = 0;
    const take = (line: Buffer) => {
      const t = times.at(line, 0, line.length);
      if (t !== undefined) keep = (since === undefined || t >= since) && (until === undefined || t <= until);
      if (!keep) return;
      kept++;
      out.push(Buffer.from(line));
    };
    for (let at = 0; at < data.length; at += chunkSize) {
      const chunk = Buffer.from(data.subarray(at, Math.min(data.length, at + chunkSize)));
      hash.update(chunk);
      for (const line of splitter.push(chunk)) take(line);
    }
    for (const line of splitter.flush()) take(line);
    return { bytes: Buffer.concat(out), sourceSha256: hash.digest('hex'), capped: false, linesKept: kept };
  }

  const B = Date.parse('2026-11-23T11:00:00Z');
  const iso = (t: number) => new Date(t).toISOString();
  /** Every shape a line's time comes in, so the byte path and LineTimes meet on each. */
  const shapes: Array<(t: number) => string> = [
    (t) => `${iso(t)} INFO common form`,
    (t) => `${iso(t).replace('T', ' ')} INFO space for T`,
    (t) => `${iso(t).replace('.', ',')} INFO comma before ms`,
    (t) => `${iso(t).slice(0, 19)}Z WARN no fraction`,
    (t) => `${iso(t).slice(0, 21)}Z one digit`,
    (t) => `${iso(t).slice(0, 23)}456789Z nine digits`,
    (t) => `${iso(t).slice(0, 23)}4567891Z ten digits: no zone, local time`,
    (t) => `${iso(t).slice(0, 19)}.Z dot without digits`,
    (t) => `${iso(t).slice(0, 23)} Z space before zone`,
    (t) => `${iso(t).slice(0, 23)}+01:00 an hour ahead`,
    (t) => `${iso(t).slice(0, 23)}-0030 half an hour behind`,
    (t) => `${iso(t).slice(0, 23)} local time`,
    (t) => `[${iso(t)}] bracketed`,
    (t) => `${iso(t)}`,
    (t) => JSON.stringify({ level: 'error', message: 'json', timestamp: iso(t), service: 'api' }),
    (t) => JSON.stringify({ timestamp: iso(t).replace('Z', '+00:00'), level: 'info' }),
    (t) => `{"message":"no time here","level":"info"}`,
    () => '    at handler (/srv/app.js:1:2)',
    () => 'Caused by: java.io.IOException',
    () => '2026-02-30T10:00:00Z the 30th of February',
    () => '2026-11-23T24:00:00Z hour 24',
    () => '2026-11-23T10:60:00.000Z minute 60',
    () => '',
  ];

  /** A seeded generator: the same "random" log on every run. */
  function rng(seed: number): () => number {
    let s = seed >>> 0;
    return () => {
      s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
      return s / 2 ** 32;
    };
  }

  /** Times around the bounds, mostly in order with lines out of order, in every shape. */
  function shuffledLog(seed: number, ending: string, finalNewline: boolean): Buffer {
    const r = rng(seed);
    const lines: string[] = [];
    let t = B - 5_000;
    for (let i = 0; i < 1500; i++) {
      t += Math.floor(r() * 40);
      const when = r() < 0.08 ? t - Math.floor(r() * 10_000) + Math.floor(r() * 12_000) : t;
      lines.push(shapes[r() < 0.6 ? 0 : Math.floor(r() * shapes.length)]!(when));
    }
    return Buffer.from(lines.join(ending) + (finalNewline ? ending : ''));
  }

  const windows: Array<[string, number | undefined, number | undefined]> = [
    ['since on a whole second', B, undefined],
    ['since inside a second', B + 1_234, undefined],
    ['until inside a second', undefined, B + 7_501],
    ['since + until within one second', B + 2_100, B + 2_900],
    ['since + until across seconds', B - 1_500, B + 12_345],
    ['until before everything', undefined, B - 60_000],
  ];

  /** The scan keeps exactly what the line-by-line reference keeps, for each window, at three read sizes (one on the worker). */
  async function expectSameAsReference(data: Buffer, cases: ReadonlyArray<readonly [string, number | undefined, number | undefined]>): Promise<void> {
    for (const [name, since, until] of cases) {
      const filters = toFilters({ ...(since !== undefined ? { since } : {}), ...(until !== undefined ? { until } : {}) });
      for (const [chunkSize, onWorker] of [[61, false], [4096, true], [1 << 20, false]] as const) {
        const expected = timeReference(data, since, until, chunkSize);
        const actual = await scanned(data, filters, chunkSize, onWorker);
        expect(actual.bytes.equals(expected.bytes), `${name}, ${chunkSize}-byte reads`).toBe(true);
        expect({ ...actual, bytes: undefined }, `${name}, ${chunkSize}-byte reads`).toEqual({ ...expected, bytes: undefined });
      }
    }
  }

  for (const [ending, finalNewline, seed] of [['\n', true, 1], ['\r\n', true, 2], ['\n', false, 3]] as const) {
    it(`keeps the same lines of a shuffled log (${JSON.stringify(ending)}${finalNewline ? '' : ', no final newline'})`, async () => {
      const data = shuffledLog(seed, ending, finalNewline);
      await expectSameAsReference(data, windows);
    }, 120_000);
  }

  it('passes over a dropped second\'s lines only while each is in that second\'s common form', async () => {
    // Runs of lines sharing a second the window drops (TimeWindow.skipOut), broken by every
    // kind of line that must stop the run: another tail on the same 19 bytes, a line from
    // inside the window out of order, a line without time (inherits), an invalid second,
    // and new minutes, hours and days (the cached minute must not carry over).
    const r = rng(11);
    const breakers: Array<(t: number) => string> = [
      (t) => `${iso(t).slice(0, 19)}.123+01:00 same second, another zone`,
      (t) => `${iso(t).slice(0, 19)}.1234567891Z ten digits`,
      (t) => `${iso(t).slice(0, 19)}.Z no digits`,
      (t) => `${iso(t).slice(0, 19)} local time`,
      (t) => `${iso(t).slice(0, 19)},5Z comma`,
      (t) => `${iso(t).slice(0, 19)}Z`,
      () => `${iso(B + 500)} from inside the window, out of order`,
      () => `${iso(B + 90_000)} after the window's end, out of order`,
      () => '    at frame (x.js:1:1)',
      (t) => `${iso(t).slice(0, 17)}60.000Z second 60`,
      (t) => `${iso(t).slice(0, 11)}24:00:00.000Z hour 24`,
      (t) => `[${iso(t)}] bracketed`,
    ];
    const lines: string[] = [];
    for (const start of [B - 26 * 3_600_000 - 30_000, B - 3_600_000 - 30_000, B - 61_000]) {
      for (let i = 0, t = start; i < 1200; i++, t += 50 + Math.floor(r() * 20)) {
        lines.push(r() < 0.04 ? breakers[Math.floor(r() * breakers.length)]!(t) : `${iso(t)} INFO run line ${i}`);
      }
    }
    lines.push(`${iso(B)} INFO the window opens`, `${iso(B + 1)} INFO inside`, `${iso(B - 1)} INFO old again`, `${iso(B + 2)} INFO inside again`);
    const data = Buffer.from(lines.join('\n') + '\n');
    await expectSameAsReference(data, [...windows, ['until an hour back', undefined, B - 3_600_000] as const]);
  }, 120_000);

  it('decides the same when the line at the window\'s start is cut by a read at every byte of its timestamp', async () => {
    const before = Array.from({ length: 50 }, (_, i) => `${iso(B - 50_000 + i * 1000)} INFO before ${i}`);
    const after = Array.from({ length: 50 }, (_, i) => `${iso(B + i * 1000)} INFO after ${i}\n  continuation ${i}`);
    const head = Buffer.from(before.join('\n') + '\n');
    const data = Buffer.concat([head, Buffer.from(after.join('\n') + '\n')]);
    const filters = toFilters({ since: B });
    for (let cut = 0; cut <= 26; cut++) {
      // The first read ends `cut` bytes into the first line in the window.
      const chunkSize = head.length + cut;
      const expected = timeReference(data, B, undefined, chunkSize);
      const actual = await scanned(data, filters, chunkSize, false);
      expect(actual.bytes.equals(expected.bytes), `cut ${cut}`).toBe(true);
      expect(actual.linesKept, `cut ${cut}`).toBe(100);
    }
  });
});

// --level reads words and JSON values from bytes with a cached timestamp prefix (scan/levels.ts);
// it must keep what decoding each word did (the reader below is that earlier code).
describe('--level records what reading each line\'s level as a string recorded', () => {
  const RANK: Record<string, number> = { emerg: 0, alert: 0, crit: 0, critical: 0, fatal: 0, error: 0, err: 0, warn: 1, warning: 1, notice: 2, info: 2, http: 3, verbose: 3, debug: 4, trace: 5, silly: 5 };
  const PLAIN: Record<string, number> = { FATAL: 0, CRITICAL: 0, ERROR: 0, WARN: 1, WARNING: 1, INFO: 2, DEBUG: 4, TRACE: 5 };
  const upper = (b: number | undefined) => b !== undefined && b >= 0x41 && b <= 0x5a;
  const word = (b: number | undefined) => b !== undefined && /[0-9A-Za-z_]/.test(String.fromCharCode(b));
  function oldLevel(line: Buffer, keepRank: number): boolean | undefined {
    const text = line.toString('utf8');
    if (/^[ \t]*\{/.test(text)) {
      const values = [...text.matchAll(/"level"\s*:\s*"([^"\\]{0,64})"/g)].map((m) => m[1]!);
      if (values.length === 0) return undefined;
      if (!values.some((v) => (RANK[v.toLowerCase()] ?? 99) <= keepRank)) return false;
      try {
        const level = (JSON.parse(text) as Record<string, unknown>)['level'];
        if (typeof level !== 'string') return undefined;
        const rank = RANK[level.toLowerCase()];
        return rank === undefined ? undefined : rank <= keepRank;
      } catch {
        return true;
      }
    }
    for (let p = 0; p < line.length; p++) {
      if (!upper(line[p]) || (p > 0 && word(line[p - 1]))) continue;
      let q = p;
      while (q < line.length && q - p <= 8 && upper(line[q])) q++;
      if (q - p <= 8 && !word(line[q])) {
        const rank = PLAIN[line.toString('latin1', p, q)];
        if (rank !== undefined) return rank <= keepRank;
      }
      p = q;
    }
    return undefined;
  }
  function levelReference(data: Buffer, keepRank: number) {
    const splitter = new LineSplitter();
    let keep = false;
    const out: Buffer[] = [];
    for (const line of [...splitter.push(data), ...splitter.flush()]) {
      const v = oldLevel(line, keepRank);
      if (v !== undefined) keep = v;
      if (keep) out.push(Buffer.from(line));
    }
    return { bytes: Buffer.concat(out), linesKept: out.length };
  }

  it('keeps the same lines of a log mixing words, prefixes, JSON and continuations', async () => {
    const r = (() => {
      let s = 7;
      return () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    })();
    const words = ['ERROR', 'WARN', 'WARNING', 'INFO', 'DEBUG', 'TRACE', 'FATAL', 'CRITICAL', 'ERRORS', 'INFORMATION', 'xERROR', 'ERROR_CODE', 'Error', 'ABCDEFGHIJ'];
    const lines: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const t = new Date(Date.parse('2026-11-23T10:00:00Z') + Math.floor(i / 3) * 1000 + (i % 3)).toISOString();
      const w = words[Math.floor(r() * words.length)]!;
      const pick = r();
      if (pick < 0.45) lines.push(`${t} ${w} request ${i}`);
      else if (pick < 0.55) lines.push(`${t.slice(0, 19)}ZERROR glued to the zone ${w}`);
      else if (pick < 0.6) {
        // A level word inside the first 19 bytes, twice in a row: the cached prefix must not hide it.
        const inside = ['ERROR', 'DEBUG', 'TRACE', 'FATAL'][i % 4];
        lines.push(`2026-11-23 ${inside}:00:00 INFO word inside the prefix`, `2026-11-23 ${inside}:00:00 ${w} again`);
      }
      else if (pick < 0.7) lines.push(JSON.stringify({ level: ['error', 'Warn', 'INFO', 'debug', 'crit', 'loud'][i % 6], message: `m ${w}`, timestamp: t }));
      else if (pick < 0.75) lines.push(JSON.stringify({ meta: { level: 'error' }, level: 'info', message: w }));
      else if (pick < 0.9) lines.push(`    at frame ${i} ${pick < 0.8 ? w : ''}`);
      else lines.push(`[${t}] ${w}`);
    }
    // Long INFO stretches (the prefilter passes over them) holding level words that are not
    // the line's first, continuations after kept and dropped lines, and JSON in between.
    for (let i = 0; i < 400; i++) {
      const t = new Date(Date.parse('2026-11-23T11:00:00Z') + i * 250).toISOString();
      const pick = r();
      if (pick < 0.05) lines.push(`${t} ERROR kept ${i}`, `    at kept continuation ${i} WARN`);
      else if (pick < 0.1) lines.push(`${t} INFO saw ERROR and FATAL later in the line ${i}`, `    continuation of info ${i} CRITICAL`);
      else if (pick < 0.13) lines.push(`${t} WARN warned ${i}`, 'no level here');
      else if (pick < 0.15) lines.push(JSON.stringify({ level: 'error', message: `json ${i}` }), `  json continuation ${i}`);
      else if (pick < 0.17) lines.push(`prefix-ERROR glued ${i}`, `ERROR_CODE=${i} not a word`, `${t} CRITICALLY not a word`);
      else lines.push(`${t} INFO filler ${i} request handled`);
    }
    const data = Buffer.from(lines.join('\n') + '\n');
    for (const level of ['error', 'warn', 'info', 'debug'] as const) {
      const filters = toFilters({ level });
      const expected = levelReference(data, { error: 0, warn: 1, info: 2, debug: 4 }[level]);
      for (const chunkSize of [61, 4096, 1 << 20]) {
        const actual = await scanned(data, filters, chunkSize, chunkSize === 4096);
        expect(actual.bytes.equals(expected.bytes), `${level}, ${chunkSize}-byte reads`).toBe(true);
        expect(actual.linesKept, `${level}, ${chunkSize}-byte reads`).toBe(expected.linesKept);
      }
    }
  }, 120_000);
});
