import type { ProbeConfig, ProbeKind, ProbeTarget } from './config';
import type { BreakerState } from './resilience';

/** Health of a probed service, best first. */
export type ProbeState = 'ok' | 'warning' | 'danger' | 'down';

export const PROBE_STATE_RANK: Readonly<Record<ProbeState, number>> = { ok: 0, warning: 1, danger: 2, down: 3 };

export function worstState(states: Iterable<ProbeState>): ProbeState {
  let worst: ProbeState = 'ok';
  for (const s of states) if (PROBE_STATE_RANK[s] > PROBE_STATE_RANK[worst]) worst = s;
  return worst;
}

export type DetailValue = string | number | boolean | null;

/** What one successful attempt measured; the state already reflects the thresholds. */
export interface ProbeOutcome {
  readonly state: ProbeState;
  /** The headline round trip (PING, HTTP response, TCP/Bolt connect). */
  readonly latencyMs: number;
  readonly details: Readonly<Record<string, DetailValue>>;
  /** Why the state is not ok, e.g. "latency 620 ms > 500 ms". */
  readonly reasons: readonly string[];
}

export interface ProbeContext {
  readonly password: string | null;
  readonly thresholds: ProbeConfig['thresholds'];
  /** Aborted at the attempt's deadline: close sockets/drivers when it fires. */
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

/** One attempt against one target. Throws ProbeError (or anything) when the service is down. */
export type ProbeFn<T extends ProbeTarget = ProbeTarget> = (target: T, context: ProbeContext) => Promise<ProbeOutcome>;

/** A table row: safe to print, log and append to the timeline (no secrets). */
export interface ProbeResult {
  readonly name: string;
  readonly kind: ProbeKind;
  /** host:port or URL without credentials. */
  readonly target: string;
  readonly state: ProbeState;
  readonly latencyMs: number | null;
  /** Attempts made (0 when the breaker refused the run). */
  readonly attempts: number;
  readonly at: string;
  readonly durationMs: number;
  readonly breaker: BreakerState;
  /** True when the breaker was open and the service was not contacted. */
  readonly skipped: boolean;
  readonly error: string | null;
  readonly details: Readonly<Record<string, DetailValue>>;
  readonly reasons: readonly string[];
}

/**
 * A probe's state change, for the timeline: appended as `kind` with the whole object as data
 * (same kinds as gauge alerts).
 */
export interface ProbeAlert {
  readonly kind: 'alert.raised' | 'alert.cleared';
  readonly source: 'probe';
  readonly probe: string;
  readonly probeKind: ProbeKind;
  readonly target: string;
  readonly from: ProbeState;
  readonly to: ProbeState;
  readonly at: string;
  readonly latencyMs: number | null;
  readonly error: string | null;
  readonly reasons: readonly string[];
  readonly breaker: BreakerState;
  readonly message: string;
}

/** Level of a measurement against a warning/danger band: < warning ok, ≤ danger warning, > danger danger. */
export function bandState(value: number, band: { warning: number; danger: number }): ProbeState {
  if (value > band.danger) return 'danger';
  if (value >= band.warning) return 'warning';
  return 'ok';
}

/** Collects per-measurement verdicts into one outcome state with reasons. */
export class Verdict {
  state: ProbeState = 'ok';
  readonly reasons: string[] = [];

  check(label: string, value: number, band: { warning: number; danger: number }, unit: string): void {
    const s = bandState(value, band);
    if (s === 'ok') return;
    const limit = s === 'danger' ? `> ${band.danger}` : `≥ ${band.warning}`;
    this.raise(s, `${label} ${Math.round(value * 10) / 10}${unit} ${limit}${unit}`);
  }

  raise(state: ProbeState, reason: string): void {
    if (PROBE_STATE_RANK[state] > PROBE_STATE_RANK[this.state]) this.state = state;
    this.reasons.push(reason);
  }
}

export const elapsedMs = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
export const roundMs = (ms: number): number => Math.round(ms * 10) / 10;
