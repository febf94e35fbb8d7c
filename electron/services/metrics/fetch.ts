import http from 'node:http';
import https from 'node:https';
import type { Target } from '../targets/target';
import { shQuote } from '../targets/quote';

// Fetching a metrics URL, from this laptop or through a target's SSH connection (the service
// may only listen on the server's loopback). Errors are one line naming the URL.

export interface Fetched {
  readonly body: string;
  readonly contentType: string | null;
}

export type FetchText = (url: string, options: { readonly timeoutMs: number; readonly target?: string; readonly accept?: string }) => Promise<Fetched>;

export class FetchFailed extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'FetchFailed';
  }
}

/** Bodies larger than this are refused: a /metrics page of 10,000 series is about 1 MB. */
const MAX_BYTES = 64 * 1024 * 1024;

/**
 * node:http rather than fetch(): at 1 Hz on a 10,000-series page undici's fetch costs about
 * twice the CPU of a plain request (scripts/bench/metrics.ts measures both).
 */
function fetchLocal(url: string, timeoutMs: number, accept: string | undefined): Promise<Fetched> {
  return new Promise((resolve, reject) => {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      reject(new FetchFailed(`${url}: not a URL`));
      return;
    }
    const client = parsed.protocol === 'https:' ? https : http;
    const fail = (detail: string) => reject(new FetchFailed(`${url}: ${detail}`));
    const request = client.get(parsed, { headers: accept ? { accept } : {}, timeout: timeoutMs }, (response) => {
      const status = response.statusCode ?? 0;
      // The Prometheus API answers bad queries with 400/422 and a JSON error that says why.
      if (!(status >= 200 && status < 300) && status !== 400 && status !== 422) {
        response.resume();
        fail(`HTTP ${status}`);
        return;
      }
      const chunks: Buffer[] = [];
      let size = 0;
      response.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size > MAX_BYTES) {
          request.destroy();
          fail(`answer larger than ${MAX_BYTES} bytes`);
        } else chunks.push(chunk);
      });
      response.on('end', () => resolve({ body: Buffer.concat(chunks, size).toString('utf8'), contentType: response.headers['content-type'] ?? null }));
      response.on('error', (error) => fail(error.message));
    });
    request.on('timeout', () => {
      request.destroy();
      fail(`no answer in ${timeoutMs} ms`);
    });
    request.on('error', (error: NodeJS.ErrnoException) => fail(error.code ?? error.message));
  });
}

async function fetchThrough(target: Target, url: string, timeoutMs: number, accept: string | undefined): Promise<Fetched> {
  const seconds = Math.max(1, Math.ceil(timeoutMs / 1000));
  const header = accept ? ` -H ${shQuote(`Accept: ${accept}`)}` : '';
  const proc = await target.exec(`curl -sS --max-time ${seconds}${header} -- ${shQuote(url)}\n`);
  const chunks: Buffer[] = [];
  let size = 0;
  proc.stdout.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > MAX_BYTES) proc.kill();
    else chunks.push(chunk);
  });
  const end = await proc.done;
  if (end.connectionLost) throw new FetchFailed(`${url} via ${target.name}: ${end.connectionLost}`);
  if (end.code !== 0) throw new FetchFailed(`${url} via ${target.name}: ${end.stderr.trim().split('\n')[0] || `curl exited ${end.code}`}`);
  return { body: Buffer.concat(chunks).toString('utf8'), contentType: null };
}

/** The default fetcher: `target` names are resolved by `resolveTarget` (the targets service). */
export function createFetcher(resolveTarget?: (name: string) => Target): FetchText {
  return async (url, { timeoutMs, target, accept }) => {
    if (!target || target === 'local') return fetchLocal(url, timeoutMs, accept);
    if (!resolveTarget) throw new FetchFailed(`${url}: target ${target} cannot be reached from this process`);
    return fetchThrough(resolveTarget(target), url, timeoutMs, accept);
  };
}
