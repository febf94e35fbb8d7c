import {
  alertClassOf,
  classifySignal,
  INDICATOR_IDS,
  INDICATORS,
  mappingFor,
  type IndicatorId,
  type IndicatorReading,
  type MetricsConfig,
  type MetricsSource,
  type QueryResult,
  type SignalHistory,
  type SignalPoint,
  type SignalsView,
  type SourceStatus,
} from '../../../shared/metrics';
import type { Clock } from '../clock';
import { conflict, invalidInput, ServiceError } from '../errors';
import { snapshotOf, type Snapshot } from './derive';
import { detectFormat, parseExposition } from './exposition';
import type { FetchText } from './fetch';
import { indicatorFromScrapes } from './indicators';
import { MetricsConfigStore } from './config';
import { findVariableReferences } from '../runbooks/variables';
import { PrometheusClient } from './prometheus';

/** What the Accept header asks a /metrics endpoint for (OpenMetrics first, as Prometheus does). */
const SCRAPE_ACCEPT = 'application/openmetrics-text;version=1.0.0;q=0.9,text/plain;version=0.0.4;q=0.5,*/*;q=0.1';
/** Chart history kept in memory: 15 minutes at the default 5 s interval. */
const HISTORY_POINTS = 720;
/** Availability of a scrape source: the share of the last this-many scrapes it answered. */
const AVAILABILITY_SCRAPES = 60;

interface SourceState {
  prev: Snapshot | null;
  cur: Snapshot | null;
  lastOkAt: number | null;
  lastTryAt: number | null;
  error: string | null;
  /** Whether each of the last scrapes was answered (availability of a scrape source). */
  answered: boolean[];
  /** Last indicator values from a Prometheus source, with their time. */
  values: Partial<Record<IndicatorId, { value: number | null; reason: string | null; at: number }>>;
}

export interface MetricsServiceDeps {
  readonly home: string;
  readonly clock: Clock;
  readonly fetchText: FetchText;
  /** Waits between the two scrapes of a fresh reading (tests pass a fake). */
  readonly sleep?: (ms: number) => Promise<void>;
  readonly timeoutMs?: number;
  /** Keeps every view on disk for the reports (the live monitor passes one; one-shot commands do not). */
  readonly recorder?: { record(view: SignalsView): void };
  /** Called with every new view (the live monitor forwards it to the UI and the risk rules). */
  readonly onSignals?: (view: SignalsView) => void;
}

/** The metric names the indicators read from a scrape (only these are kept from a page). */
function scrapedNames(config: MetricsConfig): Set<string> {
  const names = new Set<string>();
  for (const id of INDICATOR_IDS) {
    const mapping = mappingFor(config, id);
    for (const name of [mapping.errors, mapping.requests, mapping.gauge]) if (name) names.add(name);
    if (mapping.histogram) names.add(`${mapping.histogram}_bucket`);
  }
  return names;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Service metrics: the configured sources (a Prometheus server, or a service's /metrics
 * scraped directly) turned into seed 000's indicators with their bands. A source that is
 * unreachable, stale or lacks a series gives "unknown" with the reason — never "normal".
 */
export class MetricsService {
  readonly config: MetricsConfigStore;
  private readonly states = new Map<string, SourceState>();
  private history: SignalPoint[] = [];
  private last: SignalsView | null = null;
  private timer: NodeJS.Timeout | null = null;
  private polling: Promise<SignalsView> | null = null;

  constructor(private readonly deps: MetricsServiceDeps) {
    this.config = new MetricsConfigStore(deps.home);
  }

  private get timeoutMs(): number {
    return this.deps.timeoutMs ?? 5_000;
  }

  sources(): MetricsSource[] {
    return [...this.config.load().sources];
  }

  addSource(source: MetricsSource): MetricsSource[] {
    const config = this.config.load();
    if (config.sources.some((s) => s.name === source.name)) throw conflict(`name: metrics source ${source.name} already exists`);
    this.config.save({ ...config, sources: [...config.sources, source] });
    return this.sources();
  }

  removeSource(name: string): MetricsSource[] {
    const config = this.config.load();
    if (!config.sources.some((s) => s.name === name)) throw new ServiceError('not_found', `name: metrics source ${name} does not exist`);
    this.config.save({ ...config, sources: config.sources.filter((s) => s.name !== name) });
    this.states.delete(name);
    return this.sources();
  }

  private state(name: string): SourceState {
    let state = this.states.get(name);
    if (!state) this.states.set(name, (state = { prev: null, cur: null, lastOkAt: null, lastTryAt: null, error: null, answered: [], values: {} }));
    return state;
  }

  /** Scrapes or queries every source once and returns the indicators. */
  poll(): Promise<SignalsView> {
    // One poll at a time: the timer and a CLI/UI request share the in-flight one.
    this.polling ??= this.pollOnce().finally(() => (this.polling = null));
    return this.polling;
  }

  private async pollOnce(): Promise<SignalsView> {
    const config = this.config.load();
    await Promise.all(config.sources.map((source) => this.pollSource(config, source)));
    const view = this.evaluate(config);
    this.record(view);
    return view;
  }

  private async pollSource(config: MetricsConfig, source: MetricsSource): Promise<void> {
    const state = this.state(source.name);
    const at = this.deps.clock.now();
    state.lastTryAt = at;
    try {
      if (source.kind === 'scrape') {
        const fetched = await this.deps.fetchText(source.url, { timeoutMs: this.timeoutMs, accept: SCRAPE_ACCEPT, ...(source.target ? { target: source.target } : {}) });
        const exposition = parseExposition(fetched.body, detectFormat(fetched.contentType, fetched.body), scrapedNames(config));
        state.prev = state.cur;
        state.cur = snapshotOf(exposition, this.deps.clock.now());
      } else {
        const client = new PrometheusClient(source.url, this.deps.fetchText, { timeoutMs: this.timeoutMs, ...(source.target ? { target: source.target } : {}) });
        const values: SourceState['values'] = {};
        await Promise.all(
          INDICATOR_IDS.map(async (id) => {
            const promql = mappingFor(config, id).promql;
            if (!promql) {
              values[id] = { value: null, reason: 'no PromQL mapped', at };
              return;
            }
            const series = await client.instant(promql);
            const point = series[0]?.points[0];
            if (!point) values[id] = { value: null, reason: 'series missing', at };
            else if (!Number.isFinite(point[1])) values[id] = { value: null, reason: 'no traffic', at };
            else values[id] = { value: point[1], reason: null, at };
          }),
        );
        state.values = values;
      }
      state.lastOkAt = this.deps.clock.now();
      state.error = null;
      this.recordAnswer(state, true);
    } catch (error) {
      state.error = error instanceof Error ? error.message : String(error);
      this.recordAnswer(state, false);
    }
  }

  private recordAnswer(state: SourceState, ok: boolean): void {
    state.answered.push(ok);
    if (state.answered.length > AVAILABILITY_SCRAPES) state.answered.splice(0, state.answered.length - AVAILABILITY_SCRAPES);
  }

  /** The indicators from what the sources last answered (no I/O). */
  evaluate(config: MetricsConfig = this.config.load()): SignalsView {
    const now = this.deps.clock.now();
    const statuses: SourceStatus[] = config.sources.map((source) => this.status(source, config, now));
    const readings = INDICATOR_IDS.map((id): IndicatorReading => {
      const def = INDICATORS[id];
      let firstReason: { source: string; reason: string } | null = null;
      for (const source of config.sources) {
        const status = statuses.find((s) => s.name === source.name)!;
        const state = this.state(source.name);
        let value: number | null = null;
        let reason: string | null = null;
        let at: number | null = state.lastOkAt;
        if (status.state === 'unreachable') reason = `unreachable: ${status.error}`;
        else if (status.state === 'stale') reason = `stale (last answer ${Math.round((now - (status.lastOkAt ?? 0)) / 1000)} s ago)`;
        else if (status.state === 'never') reason = 'not read yet';
        else if (source.kind === 'scrape') {
          if (id === 'availability') {
            const answered = state.answered.filter(Boolean).length;
            value = (100 * answered) / state.answered.length;
            at = state.lastOkAt;
          } else if (!state.prev || !state.cur) reason = 'needs two scrapes';
          else {
            const derived = indicatorFromScrapes(config, id, state.prev, state.cur);
            if (derived.value === null) reason = derived.reason;
            else value = derived.value;
            at = state.cur.at;
          }
        } else {
          const entry = state.values[id];
          if (!entry) reason = 'not read yet';
          else {
            value = entry.value;
            reason = entry.reason;
            at = entry.at;
          }
        }
        if (value !== null) {
          const level = classifySignal(value, def.bands);
          return { id, value, unit: def.unit, level, alert: alertClassOf(def, level), source: source.name, at, reason: null };
        }
        firstReason ??= { source: source.name, reason: reason ?? 'no value' };
      }
      return {
        id,
        value: null,
        unit: def.unit,
        level: 'unknown',
        alert: null,
        source: firstReason?.source ?? null,
        at: null,
        reason: firstReason?.reason ?? 'no metrics source configured',
      };
    });
    return { at: now, readings, sources: statuses };
  }

  private status(source: MetricsSource, config: MetricsConfig, now: number): SourceStatus {
    const state = this.state(source.name);
    const base = { name: source.name, kind: source.kind, url: source.url, target: source.target ?? null, lastOkAt: state.lastOkAt, error: state.error };
    if (state.error !== null) return { ...base, state: 'unreachable' };
    if (state.lastOkAt === null) return { ...base, state: 'never' };
    if (now - state.lastOkAt > config.staleAfterMs) return { ...base, state: 'stale' };
    return { ...base, state: 'ok' };
  }

  private record(view: SignalsView): void {
    this.last = view;
    const values: Partial<Record<IndicatorId, number | null>> = {};
    for (const reading of view.readings) values[reading.id] = reading.value;
    this.history.push({ at: view.at, values });
    if (this.history.length > HISTORY_POINTS) this.history = this.history.slice(-HISTORY_POINTS);
    // Only the live monitor's polls go to disk: `signals --once` must not leave files behind.
    if (this.timer) {
      try {
        this.deps.recorder?.record(view);
      } catch {
        // A full disk stops the history, not the indicators.
      }
    }
    this.deps.onSignals?.(view);
  }

  /**
   * The current indicators. With no recent answer from a scrape source (none within the stale
   * window, or only one scrape) it scrapes twice, a second apart, so that rates are real.
   */
  async signals(options: { readonly fresh?: boolean } = {}): Promise<SignalsView> {
    const config = this.config.load();
    const now = this.deps.clock.now();
    const needsTwo = config.sources.some((source) => {
      const state = this.state(source.name);
      if (state.lastOkAt === null || now - state.lastOkAt > config.staleAfterMs || state.error !== null) return true;
      return source.kind === 'scrape' && (!state.prev || now - state.prev.at > config.staleAfterMs);
    });
    if (options.fresh || needsTwo || !this.last) {
      await this.poll();
      if (config.sources.some((s) => s.kind === 'scrape')) {
        await (this.deps.sleep ?? realSleep)(1_000);
        return this.poll();
      }
      return this.last ?? this.evaluate(config);
    }
    return this.evaluate(config);
  }

  historyView(sinceMs?: number): SignalHistory {
    return { points: sinceMs === undefined ? [...this.history] : this.history.filter((p) => p.at > sinceMs) };
  }

  /** A read-only PromQL query against a Prometheus source (the first one unless named). */
  async query(request: { readonly query: string; readonly source?: string; readonly from?: number; readonly to?: number; readonly stepMs?: number }): Promise<QueryResult> {
    // A runbook's promql block may use its variables (`${SERVICE}`); one left unfilled is
    // never sent: Prometheus would answer a parse error, or worse, match nothing and look calm.
    const unfilled = findVariableReferences(request.query);
    if (unfilled.length > 0) throw invalidInput('query', `${unfilled.map((name) => `\${${name}}`).join(', ')} not filled in: give ${unfilled.length === 1 ? 'its value' : 'their values'} first`);
    const config = this.config.load();
    const source = request.source
      ? config.sources.find((s) => s.name === request.source)
      : config.sources.find((s) => s.kind === 'prometheus');
    if (!source) throw request.source ? new ServiceError('not_found', `source: metrics source ${request.source} does not exist`) : invalidInput('source', 'no Prometheus source is configured (firebreak metrics-source add NAME --prometheus URL)');
    if (source.kind !== 'prometheus') throw invalidInput('source', `${source.name} is a /metrics scrape; PromQL needs a Prometheus source`);
    const client = new PrometheusClient(source.url, this.deps.fetchText, { timeoutMs: this.timeoutMs, ...(source.target ? { target: source.target } : {}) });
    if (request.from === undefined) {
      const series = await client.instant(request.query, request.to);
      // The server's evaluation time (its clock), so the evidence names the moment it answered for.
      const at = series[0]?.points[0]?.[0] ?? request.to ?? this.deps.clock.now();
      return { source: source.name, query: request.query, kind: 'instant', from: at, to: at, stepMs: null, series };
    }
    const to = request.to ?? this.deps.clock.now();
    if (request.from > to) throw invalidInput('from', 'must not be after to');
    // At most ~1,100 points a series (Prometheus refuses more than 11,000).
    const stepMs = request.stepMs ?? Math.max(1_000, Math.ceil((to - request.from) / 1_100 / 1000) * 1000);
    return { source: source.name, query: request.query, kind: 'range', from: request.from, to, stepMs, series: await client.range(request.query, request.from, to, stepMs) };
  }

  /** Polls every `intervalMs` from the config (the app and serve only). */
  start(): void {
    if (this.timer) return;
    const interval = this.config.load().intervalMs;
    this.timer = setInterval(() => void this.poll().catch(() => undefined), interval);
    this.timer.unref?.();
    void this.poll().catch(() => undefined);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
