import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import type { HttpTarget, TcpTarget } from '../../../shared/probe-config';
import { ProbeError } from './resilience';
import { displayUrl } from './scrub';
import { elapsedMs, roundMs, Verdict, type ProbeContext, type ProbeOutcome } from './types';

const MAX_BODY = 64 * 1024;

function netError(error: unknown): ProbeError {
  if (error instanceof ProbeError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return new ProbeError(typeof code === 'string' && !message.includes(code) ? `${message} (${code})` : message, true, typeof code === 'string' ? code : undefined);
}

/** Reads a `/health/detailed`-style JSON body: {"status": "healthy" | "degraded" | …, "services": {…}}. */
function healthJson(body: string, verdict: Verdict, details: Record<string, string | number | boolean | null>): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return;
  }
  if (!parsed || typeof parsed !== 'object') return;
  const status = (parsed as { status?: unknown }).status;
  if (typeof status !== 'string') return;
  details.healthStatus = status;
  const services = (parsed as { services?: unknown }).services;
  if (services && typeof services === 'object') {
    const bad = Object.entries(services as Record<string, unknown>)
      .filter(([, v]) => typeof v === 'string' && !/^(healthy|ok|up)$/i.test(v))
      .map(([k, v]) => `${k}=${String(v)}`);
    if (bad.length > 0) details.unhealthyServices = bad.join(', ');
  }
  if (/^(degraded|warn|warning)$/i.test(status)) verdict.raise('warning', `health status "${status}"`);
  else if (/^(unhealthy|down|error|fail|failed|critical)$/i.test(status)) verdict.raise('danger', `health status "${status}"`);
}

/** Status, full response time and (optionally) expected text; 5xx or a wrong status is danger. */
export function probeHttp(target: HttpTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  const url = new URL(target.url);
  const client = url.protocol === 'https:' ? https : http;
  const headers: Record<string, string> = { 'user-agent': 'firebreak-probe', accept: 'application/json, text/plain, */*' };
  if (target.username !== undefined || ctx.password) {
    headers.authorization = `Basic ${Buffer.from(`${target.username ?? ''}:${ctx.password ?? ''}`).toString('base64')}`;
  }
  return new Promise<ProbeOutcome>((resolve, reject) => {
    const start = process.hrtime.bigint();
    const req = client.request(
      url,
      { method: target.method, headers, agent: false, timeout: ctx.timeoutMs, ...(url.protocol === 'https:' ? { rejectUnauthorized: !target.tlsInsecure } : {}) },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          if (size < MAX_BODY) chunks.push(chunk);
          size += chunk.length;
        });
        res.on('error', (error) => reject(netError(error)));
        res.on('aborted', () => reject(new ProbeError('connection closed before the response was complete', true, 'ECONNRESET')));
        res.on('end', () => {
          const ms = elapsedMs(start);
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks).toString('utf8').slice(0, MAX_BODY);
          const verdict = new Verdict();
          const details: Record<string, string | number | boolean | null> = { status, url: displayUrl(target.url), bytes: size, responseMs: roundMs(ms) };
          const accepted = target.expectStatus ? target.expectStatus.includes(status) : status >= 200 && status < 400;
          if (!accepted) verdict.raise('danger', `HTTP ${status}${target.expectStatus ? ` (expected ${target.expectStatus.join('/')})` : ''}`);
          if (target.expectText !== undefined) {
            const found = body.includes(target.expectText);
            details.expectTextFound = found;
            if (!found) verdict.raise('danger', `response does not contain ${JSON.stringify(target.expectText)}`);
          }
          healthJson(body, verdict, details);
          verdict.check('response', ms, ctx.thresholds.latencyMs, ' ms');
          resolve({ state: verdict.state, latencyMs: roundMs(ms), reasons: verdict.reasons, details });
        });
      },
    );
    const abort = () => req.destroy(ctx.signal.reason instanceof Error ? ctx.signal.reason : new Error('aborted'));
    ctx.signal.addEventListener('abort', abort, { once: true });
    req.on('close', () => ctx.signal.removeEventListener('abort', abort));
    req.on('timeout', () => req.destroy(new ProbeError(`no response within ${ctx.timeoutMs} ms`, true, 'timeout')));
    req.on('error', (error) => reject(netError(error)));
    req.end();
  });
}

/** TCP connect time; the socket is closed at once. */
export function probeTcp(target: TcpTarget, ctx: ProbeContext): Promise<ProbeOutcome> {
  return new Promise<ProbeOutcome>((resolve, reject) => {
    const start = process.hrtime.bigint();
    const socket = net.connect({ host: target.host, port: target.port });
    const abort = () => socket.destroy();
    ctx.signal.addEventListener('abort', abort, { once: true });
    socket.setTimeout(ctx.timeoutMs, () => socket.destroy(new ProbeError(`connect timed out after ${ctx.timeoutMs} ms`, true, 'timeout')));
    socket.once('connect', () => {
      const ms = elapsedMs(start);
      const address = socket.remoteAddress ?? null;
      socket.destroy();
      const verdict = new Verdict();
      verdict.check('connect', ms, ctx.thresholds.latencyMs, ' ms');
      resolve({ state: verdict.state, latencyMs: roundMs(ms), reasons: verdict.reasons, details: { connectMs: roundMs(ms), address } });
    });
    socket.once('error', (error) => reject(netError(error)));
    socket.once('close', () => ctx.signal.removeEventListener('abort', abort));
  });
}
