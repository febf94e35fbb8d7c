import { describe, expect, it } from 'vitest';
import { counterRate, gaugeMax, histogramQuantile, snapshotOf } from '../../../../electron/services/metrics/derive';
import { detectFormat, ExpositionError, labelOf, parseExposition } from '../../../../electron/services/metrics/exposition';

const snap = (body: string, at: number) => snapshotOf(parseExposition(body), at);

describe('exposition parser', () => {
  it('reads the 0.0.4 text format: families, labels with escapes, special values, timestamps', () => {
    const body = [
      '# HELP api_errors_total Total API errors',
      '# TYPE api_errors_total counter',
      'api_errors_total{endpoint="/a",note="say \\"hi\\"\\nback\\\\slash"} 3 1700000000000',
      'api_errors_total{endpoint="/b"} +Inf',
      'weird NaN',
      '',
    ].join('\n');
    const exposition = parseExposition(body);
    expect(exposition.format).toBe('text');
    expect(exposition.families.get('api_errors_total')?.type).toBe('counter');
    const [a, b, c] = exposition.samples;
    expect(a?.labels).toEqual({ endpoint: '/a', note: 'say "hi"\nback\\slash' });
    expect(a?.timestampMs).toBe(1_700_000_000_000);
    expect(b?.value).toBe(Infinity);
    expect(Number.isNaN(c!.value)).toBe(true);
  });

  it('reads OpenMetrics: # EOF, exemplars, second timestamps, counter family without _total', () => {
    const body = ['# TYPE api_errors counter', '# UNIT api_errors errors', 'api_errors_total 5 1700000000.5 # {trace_id="abc"} 1.0', '# EOF', ''].join('\n');
    expect(detectFormat(null, body)).toBe('openmetrics');
    const exposition = parseExposition(body);
    expect(exposition.samples[0]).toMatchObject({ name: 'api_errors_total', value: 5, timestampMs: 1_700_000_000_500 });
    expect(exposition.families.get('api_errors')?.unit).toBe('errors');
  });

  it('names the line of what it cannot read', () => {
    expect(() => parseExposition('ok 1\nbad{x="1"} one\n')).toThrow(new ExpositionError(2, 'bad: "one" is not a number'));
    expect(() => parseExposition('a{x=1} 2\n')).toThrow(/line 1: a: label x value must be quoted/);
    expect(() => parseExposition('# TYPE a counter\na_total 1\n', 'openmetrics')).toThrow(/line 2: .*does not end with # EOF/);
    expect(() => parseExposition('# TYPE a frobnicator\n')).toThrow(/line 1: unknown metric type "frobnicator"/);
    expect(() => parseExposition('a{x="1",x="2"} 2\n')).toThrow(/given twice/);
  });
});

describe('rates and quantiles from two scrapes', () => {
  it('rates a counter from its delta, and a counter reset counts the new value', () => {
    const prev = snap('c_total{a="1"} 100\nc_total{a="2"} 10\n', 0);
    const cur = snap('c_total{a="1"} 150\nc_total{a="2"} 4\n', 2_000);
    // a=1: +50; a=2 reset (10 → 4): +4. 54 over 2 s.
    expect(counterRate(prev, cur, 'c_total')).toEqual({ value: 27 });
  });

  it('a series that appeared between the scrapes started from zero', () => {
    const prev = snap('c_total{a="1"} 1\n', 0);
    const cur = snap('c_total{a="1"} 1\nc_total{a="2"} 3\n', 1_000);
    expect(counterRate(prev, cur, 'c_total')).toEqual({ value: 3 });
  });

  it('a missing series is no value with the name; a declared counter without series is 0', () => {
    const prev = snap('other 1\n', 0);
    const cur = snap('other 1\n', 1_000);
    expect(counterRate(prev, cur, 'api_errors_total')).toEqual({ value: null, reason: 'series api_errors_total missing' });
    const declared = snap('# TYPE api_errors_total counter\nother 1\n', 1_000);
    expect(counterRate(prev, declared, 'api_errors_total')).toEqual({ value: 0 });
  });

  const histogram = (counts: number[]) =>
    ['0.1', '0.2', '0.5', '+Inf'].map((le, i) => `h_bucket{le="${le}"} ${counts[i]}`).join('\n') + `\nh_count ${counts[3]}\n`;

  it('interpolates the quantile inside the bucket, like histogram_quantile', () => {
    const prev = snap(histogram([0, 0, 0, 0]), 0);
    const cur = snap(histogram([50, 90, 100, 100]), 1_000);
    // rank 95 of 100 falls in (0.2, 0.5] which holds 10 (90 → 100): 0.2 + 0.3 × 5/10.
    expect(histogramQuantile(prev, cur, 'h', 0.95).value).toBeCloseTo(0.35, 10);
    // Above the last finite bound: that bound.
    const slow = snap(histogram([0, 0, 0, 10]), 1_000);
    expect(histogramQuantile(prev, slow, 'h', 0.95)).toEqual({ value: 0.5 });
  });

  it('a histogram with no traffic in the window has no quantile (not 0)', () => {
    const prev = snap(histogram([5, 6, 7, 7]), 0);
    const cur = snap(histogram([5, 6, 7, 7]), 1_000);
    expect(histogramQuantile(prev, cur, 'h', 0.95)).toEqual({ value: null, reason: 'no traffic' });
  });

  it('a histogram reset between scrapes uses the new counts', () => {
    const prev = snap(histogram([500, 900, 1000, 1000]), 0);
    const cur = snap(histogram([0, 0, 10, 10]), 1_000);
    expect(histogramQuantile(prev, cur, 'h', 0.5).value).toBeCloseTo(0.35, 10);
  });

  it('takes the fullest pool of a labelled gauge', () => {
    expect(gaugeMax(snap('g{db="a"} 3\ng{db="b"} 17\n', 0), 'g')).toEqual({ value: 17 });
  });
});

describe('reading only the series the indicators need', () => {
  it('keeps the named metrics and does not stop at a bad line of another one', () => {
    const body = '# TYPE c counter\nc_total{a="1"} 5\nother{x=1} 1\nc_total{a="2"} 6\n';
    const exposition = parseExposition(body, 'text', new Set(['c_total']));
    expect(exposition.samples.map((s) => s.value)).toEqual([5, 6]);
    expect(() => parseExposition('c_total{a=1} 5\n', 'text', new Set(['c_total']))).toThrow(/line 1: c_total: label a value must be quoted/);
  });

  it('jumps over runs of unread lines, even unreadable ones, and still reads comments and names lines right', () => {
    const filler = Array.from({ length: 50 }, (_, i) => (i === 20 ? '  not a sample at all' : `http_requests_total{path="/p${i}"} ${i}`));
    const body = [
      '# TYPE http_requests_total counter',
      ...filler,
      '# TYPE c counter',
      'c_total{a="1"} 5',
      'c_totally_different 9',
      ...filler,
      '# TYPE g gauge',
      'c_total{a="2"} 6\r',
      'g 1',
      'c_total{a=3} 7',
    ].join('\n');
    const keep = new Set(['c_total']);
    // The bad line is line 108: counted only when it is reported.
    expect(() => parseExposition(body, 'text', keep)).toThrow(/^line 108: c_total: label a value must be quoted$/);
    const good = parseExposition(body.replace('c_total{a=3} 7', ''), 'text', keep);
    expect(good.samples.map((s) => [s.key, s.value])).toEqual([
      ['c_total{a="1"}', 5],
      ['c_total{a="2"}', 6],
    ]);
    expect([...good.families.keys()]).toEqual(['http_requests_total', 'c', 'g']);
    // Without keep every line is read, the unreadable one too.
    expect(() => parseExposition(body)).toThrow(/^line 22: expected a metric name/);
  });

  it('finds an OpenMetrics page that was read with keep, and text after # EOF', () => {
    const body = '# TYPE x counter\nx_total 1\nother 2\nother 3\n# EOF\n';
    expect(detectFormat(null, body)).toBe('openmetrics');
    expect(parseExposition(body, 'openmetrics', new Set(['x_total'])).samples).toHaveLength(1);
    expect(() => parseExposition(`${body}other 4\n`, 'openmetrics', new Set(['x_total']))).toThrow(/^line 6: text after # EOF/);
  });

  it("reads a single label without building the others: plain, escaped, and not another label's tail", () => {
    const [plain, escaped, tricky, none] = parseExposition(
      ['h_bucket{path="/a",le="0.5"} 1', 'h_bucket{path="x\\"le=\\"9",le="+Inf"} 2', 'h_bucket{xle="7",le="1"} 3', 'h_bucket{path="/b"} 4'].join('\n'),
    ).samples;
    expect(labelOf(plain!, 'le')).toBe('0.5');
    expect(labelOf(escaped!, 'le')).toBe('+Inf');
    expect(labelOf(escaped!, 'path')).toBe('x"le="9');
    expect(labelOf(tricky!, 'le')).toBe('1');
    expect(labelOf(none!, 'le')).toBeUndefined();
  });
});
