import type { ProbeConfig, ProbeTarget } from '../../../shared/probe-config';

import type { DetailValue, ProbeState } from '../../../shared/monitor';

// The data shapes live in shared/monitor.ts (the renderer needs them too).
export type { DetailValue, ProbeAlert, ProbeResult, ProbeState } from '../../../shared/monitor';

export const PROBE_STATE_RANK: Readonly<Record<ProbeState, number>> = { ok: 0, warning: 1, danger: 2, down: 3 };

export function worstState(states: Iterable<ProbeState>): ProbeState {
  let worst: ProbeState = 'ok';
  for (const s of states) if (PROBE_STATE_RANK[s] > PROBE_STATE_RANK[worst]) worst = s;
  return worst;
}

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
