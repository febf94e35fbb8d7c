import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../../electron/cli';
import { SeedExporter } from '../../support/metrics-exporter';
import { tempHome } from '../../support/temp-home';

describe('firebreak metrics-source, signals and risk', () => {
  const exporter = new SeedExporter();
  let url = '';
  let home: ReturnType<typeof tempHome>;
  let errors: string[];
  let traffic: NodeJS.Timeout | undefined;

  beforeAll(async () => {
    url = await exporter.start();
  });
  afterAll(() => exporter.stop());
  beforeEach(() => {
    home = tempHome();
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  });
  afterEach(() => {
    clearInterval(traffic);
    vi.restoreAllMocks();
    home.cleanup();
  });

  async function cli(...args: string[]): Promise<{ code: number; out: string }> {
    const lines: string[] = [];
    const code = await runCli(['--home', home.dir, ...args], (t) => lines.push(t));
    return { code, out: lines.join('\n') };
  }

  it('adds, lists and removes sources, refusing bad ones with one line', async () => {
    expect(await cli('metrics-source', 'add', 'api', '--scrape', url)).toMatchObject({ code: 0, out: `Added /metrics scrape source api: ${url}` });
    expect((await cli('metrics-source', 'list')).out).toContain(`api              scrape     ${url}`);
    expect(JSON.parse((await cli('metrics-source', 'list', '--json')).out)).toEqual([{ name: 'api', kind: 'scrape', url }]);
    expect((await cli('metrics-source', 'add', 'api', '--scrape', url)).code).toBe(1);
    expect(errors.pop()).toBe('firebreak: name: metrics source api already exists');
    expect((await cli('metrics-source', 'add', 'x', '--prometheus', 'ftp://h')).code).toBe(1);
    expect(errors.pop()).toBe('firebreak: url: must be an http(s) URL without credentials');
    expect((await cli('metrics-source', 'add', 'x', '--prometheus', 'http://a', '--scrape', 'http://b')).code).toBe(2);
    expect(await cli('metrics-source', 'remove', 'api')).toMatchObject({ code: 0 });
    expect((await cli('metrics-source', 'list')).out).toMatch(/^No metrics sources/);
  });

  it('signals --once scrapes twice a second apart: real rates, levels, exit 1 on danger', async () => {
    await cli('metrics-source', 'add', 'api', '--scrape', url);
    // 10 % of requests fail, whatever the timing.
    traffic = setInterval(() => exporter.observe(10, 0.3, 1), 20);
    const { code, out } = await cli('signals', '--once', '--json');
    const view = JSON.parse(out) as { readings: { id: string; value: number | null; level: string; alert: string | null }[] };
    const errorRate = view.readings.find((r) => r.id === 'error_rate')!;
    expect(errorRate.value).toBeCloseTo(10, 6);
    expect(errorRate).toMatchObject({ level: 'danger', alert: 'act-now' });
    expect(view.readings.find((r) => r.id === 'response_time_p95')).toMatchObject({ level: 'warning' });
    expect(code).toBe(1);
    const text = await cli('signals', '--once');
    expect(text.out).toMatch(/Error rate\s+10\.00 %\s+DANGER \(act-now\)/);
  });

  it('signals with no source says so and exits 2 (unknown)', async () => {
    const { code, out } = await cli('signals', '--once');
    expect(code).toBe(2);
    expect(out).toMatch(/Error rate\s+unknown\s+UNKNOWN\s+no metrics source configured/);
  });

  it('risk list, show, link and rescore, with --json', async () => {
    const list = await cli('risk', 'list');
    expect(list.out).toContain('R2   5×2=10   high    Database connection errors');
    const shown = JSON.parse((await cli('risk', 'show', 'R1', '--json')).out) as { warning: { rules: unknown[] }; runbooks: string[] };
    expect(shown.warning.rules).toEqual([{ indicator: 'response_time_p95', op: '>', value: 400 }]);
    expect((await cli('incident', 'new', '--title', 'Pool exhausted', '--severity', 'high')).code).toBe(0);
    expect(await cli('risk', 'link', '1', 'R2')).toMatchObject({ code: 0, out: 'Linked incident 1 to R2 (Database connection errors, score 10)' });
    expect(await cli('risk', 'rescore', 'R2', '--impact', '5', '--probability', '3', '--reason', 'twice this quarter')).toMatchObject({
      code: 0,
      out: 'R2: 5×2=10 → 5×3=15 (twice this quarter)',
    });
    expect((await cli('risk', 'show', 'R2')).out).toMatch(/History:\n\s+\S+\s+10 → 15\s+\S+: twice this quarter/);
    expect((await cli('risk', 'rescore', 'R2', '--impact', '7', '--probability', '3', '--reason', 'x')).code).toBe(2);
    expect(errors.pop()).toContain('--impact: "7" is not 1–5');
    expect((await cli('risk', 'show', 'R9')).code).toBe(1);
    expect(errors.pop()).toBe('firebreak: id: risk R9 does not exist');
  });
});

describe('firebreak metrics-source add --target', () => {
  it('refuses a target the profile does not know, naming it', async () => {
    const home = tempHome();
    const errors: string[] = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
    try {
      const code = await runCli(['--home', home.dir, 'metrics-source', 'add', 'api', '--scrape', 'http://127.0.0.1:9100/metrics', '--target', 'db1'], () => undefined);
      expect(code).toBe(1);
      expect(errors).toEqual(['firebreak: target: unknown target db1 (add it first: firebreak target add db1)']);
    } finally {
      vi.restoreAllMocks();
      home.cleanup();
    }
  });
});
