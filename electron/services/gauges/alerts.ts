import { assertNever } from '../../../shared/assert';
import { crosses, type GaugeRule, type LevelRule, type RulesConfig, type SustainedRule } from '../../../shared/gauge-rules';
import type { AlertKind, GaugeAlert } from '../../../shared/gauges';
import { LEVEL_RANK, type Level, type Measurement } from './types';

export type { AlertKind, GaugeAlert } from '../../../shared/gauges';

export type AlertSink = (alert: GaugeAlert) => void;

interface Pending {
  readonly direction: 'up' | 'down';
  readonly since: number;
  /** Lowest (up) or highest (down) target seen while pending: the level that held throughout. */
  level: Level;
}

interface RuleState {
  level: Level;
  /** When `level` was entered. */
  since: number;
  pending: Pending | null;
  /** Sustained rules: since when the value has been continuously at or above the threshold. */
  aboveSince: number | null;
  lastAt: number;
}

interface Timing {
  readonly hysteresis: number;
  readonly holdMs: number;
  readonly confirmMs: number;
}

/** A gap longer than this in the samples (sleep, stalled sampler) restarts sustained windows. */
const MAX_SAMPLE_GAP_MS = 10_000;

const isLowering = (from: Level, to: Level) => LEVEL_RANK[to] < LEVEL_RANK[from];

/**
 * Turns measurements into alerts: one per transition of a rule's level for a subject.
 * No flapping: a new level must hold for `confirmMs` before it is announced, a raised level
 * is kept at least `holdMs`, and it is only left once the value falls `hysteresis` points
 * below the threshold that raised it.
 */
export class AlertEngine {
  private readonly states = new Map<string, RuleState>();

  constructor(
    private config: RulesConfig,
    private readonly sink: AlertSink,
  ) {}

  setConfig(config: RulesConfig): void {
    this.config = config;
    // Drop state for rules that no longer exist or changed shape; keep the rest.
    const ids = new Set(config.rules.filter((r) => r.enabled).map((r) => r.id));
    for (const key of [...this.states.keys()]) if (!ids.has(key.split('\u0000')[0]!)) this.states.delete(key);
  }

  /** Current level of every (rule, subject) that is not normal. */
  active(): { rule: string; subject: string; level: Level; since: number }[] {
    const out: { rule: string; subject: string; level: Level; since: number }[] = [];
    for (const [key, state] of this.states) {
      if (state.level === 'normal') continue;
      const [rule = '', subject = ''] = key.split('\u0000');
      out.push({ rule, subject, level: state.level, since: state.since });
    }
    return out;
  }

  /** The highest level any rule currently holds for a metric (and subject). */
  levelOf(metric: GaugeRule['metric'], subject = ''): Level {
    let level: Level = 'normal';
    for (const rule of this.config.rules) {
      if (rule.metric !== metric) continue;
      const state = this.states.get(`${rule.id}\u0000${subject}`);
      if (state && LEVEL_RANK[state.level] > LEVEL_RANK[level]) level = state.level;
    }
    return level;
  }

  evaluate(at: number, values: readonly Measurement[]): GaugeAlert[] {
    const emitted: GaugeAlert[] = [];
    const present = new Set<string>();
    for (const rule of this.config.rules) {
      if (!rule.enabled) continue;
      for (const m of values) {
        if (m.metric !== rule.metric || !Number.isFinite(m.value)) continue;
        const key = `${rule.id}\u0000${m.subject}`;
        present.add(key);
        const alert = this.step(rule, key, m, at);
        if (alert) emitted.push(alert);
      }
    }
    // A subject that disappeared (unmounted disk) leaves without an alert.
    for (const key of [...this.states.keys()]) {
      const ruleId = key.split('\u0000')[0]!;
      const rule = this.config.rules.find((r) => r.id === ruleId);
      if (rule && values.some((v) => v.metric === rule.metric) && !present.has(key)) this.states.delete(key);
    }
    for (const alert of emitted) this.sink(alert);
    return emitted;
  }

  private timing(rule: GaugeRule): Timing {
    const d = this.config.defaults;
    return { hysteresis: rule.hysteresis ?? d.hysteresis, holdMs: rule.holdMs ?? d.holdMs, confirmMs: rule.confirmMs ?? d.confirmMs };
  }

  private step(rule: GaugeRule, key: string, m: Measurement, at: number): GaugeAlert | null {
    let state = this.states.get(key);
    if (!state) {
      state = { level: 'normal', since: Number.NEGATIVE_INFINITY, pending: null, aboveSince: null, lastAt: at };
      this.states.set(key, state);
    }
    const gap = at - state.lastAt > MAX_SAMPLE_GAP_MS;
    state.lastAt = at;
    const timing = this.timing(rule);
    switch (rule.kind) {
      case 'level':
        return this.stepLevel(rule, state, m, at, timing);
      case 'sustained':
        return this.stepSustained(rule, state, m, at, timing, gap);
      default:
        return assertNever(rule, 'rule kind');
    }
  }

  /** Target level for a level rule given the current level, with hysteresis on the way down. */
  private levelTarget(rule: LevelRule, current: Level, value: number, h: number): Level {
    const bands: { level: Level; t: NonNullable<LevelRule['danger']> }[] = [];
    if (rule.danger) bands.push({ level: 'danger', t: rule.danger });
    if (rule.warning) bands.push({ level: 'warning', t: rule.warning });
    for (const band of bands) {
      if (crosses(value, band.t)) return band.level;
      // Not crossing, but a level already held is kept until the value falls h points below.
      if (LEVEL_RANK[band.level] <= LEVEL_RANK[current] && value >= band.t.value - h) return band.level;
    }
    return 'normal';
  }

  private stepLevel(rule: LevelRule, state: RuleState, m: Measurement, at: number, timing: Timing): GaugeAlert | null {
    return this.advance(rule, state, m, at, timing, this.levelTarget(rule, state.level, m.value, timing.hysteresis));
  }

  private stepSustained(rule: SustainedRule, state: RuleState, m: Measurement, at: number, timing: Timing, gap: boolean): GaugeAlert | null {
    const above = crosses(m.value, rule.threshold);
    if (!above || gap) state.aboveSince = above ? at : null;
    else state.aboveSince ??= at;
    if (state.level === 'normal') {
      if (state.aboveSince !== null && at - state.aboveSince >= rule.forMs) {
        return this.transition(rule, state, m, at, rule.level, rule.threshold.value, at - state.aboveSince);
      }
      return null;
    }
    // Raised: clear once the value has stayed h points below the threshold for confirmMs.
    const clearBelow = rule.threshold.value - timing.hysteresis;
    const target: Level = m.value < clearBelow ? 'normal' : state.level;
    return this.advance(rule, state, m, at, timing, target);
  }

  /** Debounce (confirmMs) and hold time (holdMs) around a level change. */
  private advance(rule: GaugeRule, state: RuleState, m: Measurement, at: number, timing: Timing, target: Level): GaugeAlert | null {
    if (target === state.level) {
      state.pending = null;
      return null;
    }
    const direction = isLowering(state.level, target) ? 'down' : 'up';
    if (!state.pending || state.pending.direction !== direction) {
      state.pending = { direction, since: at, level: target };
    } else if (direction === 'up' ? LEVEL_RANK[target] < LEVEL_RANK[state.pending.level] : LEVEL_RANK[target] > LEVEL_RANK[state.pending.level]) {
      state.pending.level = target;
    }
    if (at - state.pending.since < timing.confirmMs) return null;
    if (direction === 'down' && at - state.since < timing.holdMs) return null;
    const to = state.pending.level;
    return this.transition(rule, state, m, at, to, this.boundary(rule, to, direction, timing.hysteresis));
  }

  /** The boundary a transition crossed: the raising threshold, or the exit point (threshold − h) on the way down. */
  private boundary(rule: GaugeRule, to: Level, direction: 'up' | 'down', h: number): number {
    if (rule.kind === 'sustained') return direction === 'up' ? rule.threshold.value : rule.threshold.value - h;
    if (direction === 'up') return (to === 'danger' ? rule.danger : rule.warning)?.value ?? 0;
    const left = to === 'warning' ? rule.danger : (rule.warning ?? rule.danger);
    return (left?.value ?? 0) - h;
  }

  private transition(rule: GaugeRule, state: RuleState, m: Measurement, at: number, to: Level, threshold: number, sustainedMs?: number): GaugeAlert {
    const from = state.level;
    state.level = to;
    state.since = at;
    state.pending = null;
    const kind: AlertKind = to === 'normal' ? 'alert.cleared' : 'alert.raised';
    const value = Math.round(m.value * 10) / 10;
    const what = m.subject ? `${rule.metric} ${m.subject}` : rule.metric;
    const message =
      kind === 'alert.cleared'
        ? `${what} back to normal at ${value}% (below ${threshold}%)`
        : isLowering(from, to)
          ? `${what} easing: ${from} → ${to} at ${value}% (below ${threshold}%)`
          : rule.kind === 'sustained'
          ? `${what} at or above ${rule.threshold.value}% for ${Math.round((sustainedMs ?? 0) / 60_000)} min (now ${value}%)`
          : `${what} ${from} → ${to} at ${value}% (threshold ${threshold}%)`;
    return {
      kind,
      source: 'gauge',
      metric: rule.metric,
      subject: m.subject,
      rule: rule.id,
      ruleKind: rule.kind,
      from,
      to,
      value,
      threshold,
      unit: '%',
      at: new Date(at).toISOString(),
      ...(sustainedMs !== undefined ? { sustainedMs } : {}),
      message,
    };
  }
}
