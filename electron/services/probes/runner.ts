import { alertDirection } from '../../../shared/alert-routing';
import { assertNever } from '../../../shared/assert';
import { systemClock, type Clock } from '../clock';
import { realScheduler, type Cancel, type Scheduler } from '../gauges/scheduler';
import type { ProbeConfig, ProbeTarget } from '../../../shared/probe-config';
import { probeNeo4j } from './neo4j-probe';
import { probeHttp, probeTcp } from './net-probes';
import { probeRedis } from './redis-probe';
import { backoffDelay, CircuitBreaker, ProbeError, realSleep, withDeadline } from './resilience';
import { displayUrl, errorMessage, scrubText, scrubValue } from './scrub';
import type { SecretStore } from './secret-store';
import { PROBE_STATE_RANK, worstState, type ProbeAlert, type ProbeFn, type ProbeOutcome, type ProbeResult, type ProbeState } from './types';

export interface ProbeFns {
  readonly neo4j: ProbeFn<Extract<ProbeTarget, { kind: 'neo4j' }>>;
  readonly redis: ProbeFn<Extract<ProbeTarget, { kind: 'redis' }>>;
  readonly http: ProbeFn<Extract<ProbeTarget, { kind: 'http' }>>;
  readonly tcp: ProbeFn<Extract<ProbeTarget, { kind: 'tcp' }>>;
}

export const DEFAULT_PROBES: ProbeFns = { neo4j: probeNeo4j, redis: probeRedis, http: probeHttp, tcp: probeTcp };

export interface ProbeRunnerDeps {
  readonly secrets: SecretStore;
  readonly clock?: Clock;
  readonly scheduler?: Scheduler;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
  readonly probes?: Partial<ProbeFns>;
  /** Every result (for the UI's probe table). */
  readonly onResult?: (result: ProbeResult) => void;
  /** State changes only (ok→warning→danger→down and back), for the timeline. */
  readonly onAlert?: (alert: ProbeAlert) => void;
}

export function describeTarget(target: ProbeTarget): string {
  switch (target.kind) {
    case 'neo4j':
    case 'http':
      return displayUrl(target.url);
    case 'redis':
      return `redis${target.tls ? 's' : ''}://${target.host}:${target.port}/${target.db}`;
    case 'tcp':
      return `tcp://${target.host}:${target.port}`;
    default:
      return assertNever(target, 'probe kind');
  }
}

/**
 * Runs the configured probes: each with a per-attempt deadline, retries with exponential
 * backoff and jitter, and its own circuit breaker. A target never has two runs at once, so
 * a hanging service cannot pile up connections. `start` schedules every enabled target at
 * its interval; `runAll`/`run` run now.
 */
export class ProbeRunner {
  private readonly clock: Clock;
  private readonly scheduler: Scheduler;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly probes: ProbeFns;
  private readonly breakers = new Map<string, CircuitBreaker>();
  private readonly inFlight = new Map<string, Promise<ProbeResult>>();
  private readonly last = new Map<string, ProbeResult>();
  private cancels: Cancel[] = [];

  constructor(
    private config: ProbeConfig,
    private readonly deps: ProbeRunnerDeps,
  ) {
    this.clock = deps.clock ?? systemClock;
    this.scheduler = deps.scheduler ?? realScheduler;
    this.sleep = deps.sleep ?? realSleep;
    this.random = deps.random ?? Math.random;
    this.probes = { ...DEFAULT_PROBES, ...deps.probes };
  }

  get configuration(): ProbeConfig {
    return this.config;
  }

  /** Replaces the targets; breakers and last results of unchanged names are kept. */
  setConfig(config: ProbeConfig): void {
    const running = this.cancels.length > 0;
    this.stop();
    this.config = config;
    const names = new Set(config.targets.map((t) => t.name));
    for (const name of [...this.breakers.keys()]) if (!names.has(name)) this.breakers.delete(name);
    for (const name of [...this.last.keys()]) if (!names.has(name)) this.last.delete(name);
    if (running) this.start();
  }

  start(): void {
    if (this.cancels.length > 0) return;
    this.config.targets.forEach((target, index) => {
      if (!target.enabled) return;
      // Stagger the first runs so they do not all start in the same instant.
      const tick = () => void this.run(target.name).catch(() => undefined);
      this.cancels.push(this.scheduler.setTimeout(tick, index * 250));
      this.cancels.push(this.scheduler.setInterval(tick, target.intervalMs));
    });
  }

  stop(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }

  results(): ProbeResult[] {
    return this.config.targets.map((t) => this.last.get(t.name)).filter((r): r is ProbeResult => r !== undefined);
  }

  breakerState(name: string): CircuitBreaker['state'] | undefined {
    return this.breakers.get(name)?.state;
  }

  async runAll(): Promise<ProbeResult[]> {
    return Promise.all(this.config.targets.filter((t) => t.enabled).map((t) => this.run(t.name)));
  }

  /** Runs one target now, or joins the run already in progress. */
  run(name: string): Promise<ProbeResult> {
    const existing = this.inFlight.get(name);
    if (existing) return existing;
    const target = this.config.targets.find((t) => t.name === name);
    if (!target) return Promise.reject(new Error(`no probe named "${name}"`));
    const promise = this.execute(target).finally(() => this.inFlight.delete(name));
    this.inFlight.set(name, promise);
    return promise;
  }

  private breaker(name: string): CircuitBreaker {
    let breaker = this.breakers.get(name);
    if (!breaker) {
      breaker = new CircuitBreaker(this.config.breaker, this.clock);
      this.breakers.set(name, breaker);
    }
    return breaker;
  }

  private async execute(target: ProbeTarget): Promise<ProbeResult> {
    const startedAt = this.clock.now();
    const started = process.hrtime.bigint();
    const breaker = this.breaker(target.name);
    const base = { name: target.name, kind: target.kind, target: describeTarget(target), at: new Date(startedAt).toISOString() };
    const gate = breaker.tryAcquire();
    if (!gate.allowed) {
      const retryAt = breaker.retryAt;
      return this.finish({
        ...base,
        state: 'down',
        latencyMs: null,
        attempts: 0,
        durationMs: 0,
        breaker: breaker.state,
        breakerRetryAt: retryAt ? new Date(retryAt).toISOString() : null,
        skipped: true,
        error: `calls paused after ${breaker.consecutiveFailures} failed runs (circuit breaker open); retrying at ${retryAt ? new Date(retryAt).toISOString() : 'soon'}`,
        details: {},
        reasons: ['calls paused (circuit breaker open)'],
      });
    }
    let password: string | null = null;
    let outcome: ProbeOutcome | null = null;
    let failure: unknown = null;
    let attempts = 0;
    try {
      password = target.secretRef ? await this.deps.secrets.get(target.secretRef) : null;
      if (target.secretRef && password === null) throw new ProbeError(`secret "${target.secretRef}" is not set`, false, 'no_secret');
      // A half-open trial is a single attempt: a still-dead service gets one connection, not a burst.
      const maxAttempts = gate.trial ? 1 : target.retries + 1;
      for (let attempt = 1; attempt <= maxAttempts; attempt++) {
        attempts = attempt;
        try {
          outcome = await withDeadline((signal) => this.attempt(target, { password, thresholds: this.config.thresholds, signal, timeoutMs: target.timeoutMs }), target.timeoutMs);
          failure = null;
          break;
        } catch (error) {
          failure = error;
          if (error instanceof ProbeError && !error.retryable) break;
          if (attempt < maxAttempts) await this.sleep(backoffDelay(attempt, this.config.backoff, this.random));
        }
      }
    } catch (error) {
      failure = error;
    }
    if (outcome) breaker.success();
    else breaker.failure();
    const secrets = [password];
    const result: ProbeResult = {
      ...base,
      state: outcome ? outcome.state : 'down',
      latencyMs: outcome ? outcome.latencyMs : null,
      attempts,
      durationMs: Math.round(Number(process.hrtime.bigint() - started) / 1e6),
      breaker: breaker.state,
      breakerRetryAt: breaker.retryAt ? new Date(breaker.retryAt).toISOString() : null,
      skipped: false,
      error: outcome ? null : scrubText(errorMessage(failure), secrets),
      details: outcome ? scrubValue(outcome.details, secrets) : {},
      reasons: outcome ? scrubValue([...outcome.reasons], secrets) : ['unreachable'],
    };
    return this.finish(result);
  }

  private attempt(target: ProbeTarget, ctx: Parameters<ProbeFn>[1]): Promise<ProbeOutcome> {
    switch (target.kind) {
      case 'neo4j':
        return this.probes.neo4j(target, ctx);
      case 'redis':
        return this.probes.redis(target, ctx);
      case 'http':
        return this.probes.http(target, ctx);
      case 'tcp':
        return this.probes.tcp(target, ctx);
      default:
        return assertNever(target, 'probe kind');
    }
  }

  private finish(result: ProbeResult): ProbeResult {
    const previous = this.last.get(result.name);
    this.last.set(result.name, result);
    const from: ProbeState = previous?.state ?? 'ok';
    try {
      this.deps.onResult?.(result);
      if (from !== result.state) this.deps.onAlert?.(toAlert(from, result));
    } catch {
      // A failing listener (e.g. a busy database) must not break the probe loop.
    }
    return result;
  }
}

function toAlert(from: ProbeState, result: ProbeResult): ProbeAlert {
  const kind = result.state === 'ok' ? 'alert.cleared' : 'alert.raised';
  const why = result.error ?? result.reasons.join('; ');
  const message =
    kind === 'alert.cleared'
      ? `${result.name} (${result.kind}) healthy again${result.latencyMs !== null ? `, ${result.latencyMs} ms` : ''}`
      : alertDirection({ kind, from, to: result.state }) === 'eased'
        ? `${result.name} (${result.kind}) improving: ${from} → ${result.state}`
        : `${result.name} (${result.kind}) ${from} → ${result.state}${why ? `: ${why}` : ''}`;
  return {
    kind,
    source: 'probe',
    probe: result.name,
    probeKind: result.kind,
    target: result.target,
    from,
    to: result.state,
    at: result.at,
    latencyMs: result.latencyMs,
    error: result.error,
    reasons: result.reasons,
    breaker: result.breaker,
    message,
  };
}

export interface ProbeRunSummary {
  readonly results: ProbeResult[];
  readonly worst: ProbeState;
  /** 0 ok/warning, 1 danger, 2 down (for `firebreak probe`). */
  readonly exitCode: 0 | 1 | 2;
}

export function exitCodeFor(worst: ProbeState): 0 | 1 | 2 {
  return PROBE_STATE_RANK[worst] >= PROBE_STATE_RANK.down ? 2 : PROBE_STATE_RANK[worst] >= PROBE_STATE_RANK.danger ? 1 : 0;
}

/** Runs every enabled probe once (the `firebreak probe` command). */
export async function runProbesOnce(config: ProbeConfig, deps: ProbeRunnerDeps): Promise<ProbeRunSummary> {
  const runner = new ProbeRunner(config, deps);
  const results = await runner.runAll();
  const worst = worstState(results.map((r) => r.state));
  return { results, worst, exitCode: exitCodeFor(worst) };
}

/** Fixed-width rows for a terminal table (the CLI may print its own). */
export function formatProbeTable(results: readonly ProbeResult[]): string {
  const rows = [['NAME', 'KIND', 'STATE', 'LATENCY', 'TARGET', 'NOTE']];
  for (const r of results) {
    rows.push([r.name, r.kind, r.state.toUpperCase(), r.latencyMs === null ? '-' : `${r.latencyMs} ms`, r.target, r.error ?? r.reasons.join('; ')]);
  }
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((row) => (row[i] ?? '').length)));
  return rows.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n');
}
