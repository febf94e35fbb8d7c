import { z } from 'zod';
import type { QuerySeries } from '../../../shared/metrics';
import { FetchFailed, type FetchText } from './fetch';

// A Prometheus server's HTTP API: /api/v1/query (instant) and /api/v1/query_range. Read-only
// GETs; the answer is checked with zod before anything uses it.

const valueSchema = z.tuple([z.number(), z.string()]);
const answerSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('success'),
    data: z.discriminatedUnion('resultType', [
      z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), value: valueSchema })) }),
      z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: z.record(z.string(), z.string()), values: z.array(valueSchema) })) }),
      z.object({ resultType: z.literal('scalar'), result: valueSchema }),
      z.object({ resultType: z.literal('string'), result: z.tuple([z.number(), z.string()]) }),
    ]),
  }),
  z.object({ status: z.literal('error'), errorType: z.string().optional(), error: z.string() }),
]);

const toNumber = (text: string): number => (text === '+Inf' ? Infinity : text === '-Inf' ? -Infinity : Number(text));

function apiUrl(base: string, endpoint: string, params: Record<string, string>): string {
  const url = new URL(base);
  url.pathname = `${url.pathname.replace(/\/+$/, '')}/api/v1/${endpoint}`;
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.toString();
}

export class PrometheusClient {
  constructor(
    private readonly base: string,
    private readonly fetchText: FetchText,
    private readonly options: { readonly timeoutMs: number; readonly target?: string },
  ) {}

  /**
   * Instant query at `atMs`, or at the server's own "now" when omitted — the live indicators
   * do that, so a laptop clock that is off does not ask for a moment the server has no data for.
   */
  async instant(query: string, atMs?: number): Promise<QuerySeries[]> {
    return this.call(apiUrl(this.base, 'query', atMs === undefined ? { query } : { query, time: (atMs / 1000).toFixed(3) }));
  }

  async range(query: string, fromMs: number, toMs: number, stepMs: number): Promise<QuerySeries[]> {
    return this.call(apiUrl(this.base, 'query_range', { query, start: (fromMs / 1000).toFixed(3), end: (toMs / 1000).toFixed(3), step: `${stepMs / 1000}` }));
  }

  private async call(url: string): Promise<QuerySeries[]> {
    const fetched = await this.fetchText(url, { timeoutMs: this.options.timeoutMs, ...(this.options.target ? { target: this.options.target } : {}) });
    let json: unknown;
    try {
      json = JSON.parse(fetched.body);
    } catch {
      throw new FetchFailed(`${this.base}: the answer is not JSON (is this a Prometheus server?)`);
    }
    const parsed = answerSchema.safeParse(json);
    if (!parsed.success) throw new FetchFailed(`${this.base}: not a Prometheus API answer (${parsed.error.issues[0]?.path.join('.') || 'body'})`);
    const answer = parsed.data;
    if (answer.status === 'error') throw new FetchFailed(`${this.base}: ${answer.errorType ?? 'error'}: ${answer.error}`);
    const data = answer.data;
    switch (data.resultType) {
      case 'vector':
        return data.result.map((r) => ({ labels: r.metric, points: [[r.value[0] * 1000, toNumber(r.value[1])] as const] }));
      case 'matrix':
        return data.result.map((r) => ({ labels: r.metric, points: r.values.map((v) => [v[0] * 1000, toNumber(v[1])] as const) }));
      case 'scalar':
        return [{ labels: {}, points: [[data.result[0] * 1000, toNumber(data.result[1])] as const] }];
      case 'string':
        throw new FetchFailed(`${this.base}: the query returned a string, not numbers`);
    }
  }
}
