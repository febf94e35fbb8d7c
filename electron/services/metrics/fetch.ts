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

async function fetchLocal(url: string, timeoutMs: number, accept: string | undefined): Promise<Fetched> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs), redirect: 'error', ...(accept ? { headers: { accept } } : {}) });
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    const detail = (error as Error).name === 'TimeoutError' ? `no answer in ${timeoutMs} ms` : (cause?.code ?? cause?.message ?? (error as Error).message);
    throw new FetchFailed(`${url}: ${detail}`);
  }
  const length = Number(response.headers.get('content-length') ?? '0');
  if (length > MAX_BYTES) throw new FetchFailed(`${url}: answer too large (${length} bytes)`);
  const body = await response.text();
  if (!response.ok && !(response.status === 400 || response.status === 422)) throw new FetchFailed(`${url}: HTTP ${response.status}`);
  return { body, contentType: response.headers.get('content-type') };
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
