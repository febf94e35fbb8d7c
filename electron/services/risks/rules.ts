import type { SignalsView } from '../../../shared/metrics';
import type { GaugeSample, ProbeResult } from '../../../shared/monitor';
import { compare, ruleText, type RiskRule } from '../../../shared/risks';

/** The latest of everything an early-warning rule can look at. */
export interface RuleInputs {
  readonly signals: SignalsView | null;
  readonly gauge: GaugeSample | null;
  readonly probes: ReadonlyMap<string, ProbeResult>;
}

export type RuleOutcome = { readonly known: false } | { readonly known: true; readonly firing: boolean; readonly condition: string };

const PROBE_RANK = { ok: 0, warning: 1, danger: 2, down: 3 } as const;

/**
 * One rule against the inputs. A rule whose value is unknown (no source, stale, no gauge
 * reading, no probe result) is not evaluated: it neither fires nor says "all clear".
 */
export function evaluateRule(rule: RiskRule, inputs: RuleInputs): RuleOutcome {
  if ('indicator' in rule) {
    const reading = inputs.signals?.readings.find((r) => r.id === rule.indicator);
    if (!reading || reading.value === null) return { known: false };
    return { known: true, firing: compare(reading.value, rule.op, rule.value), condition: `${ruleText(rule)} (now ${round(reading.value)} ${reading.unit})` };
  }
  if ('gauge' in rule) {
    const sample = inputs.gauge;
    let value: number | null = null;
    if (rule.gauge === 'cpu') value = sample?.cpu?.total ?? null;
    else if (rule.gauge === 'memory') value = sample?.memory?.percent ?? null;
    else value = sample?.memory && sample.memory.swapTotalBytes > 0 ? (100 * sample.memory.swapUsedBytes) / sample.memory.swapTotalBytes : null;
    if (value === null) return { known: false };
    return { known: true, firing: compare(value, rule.op, rule.value), condition: `${ruleText(rule)} (now ${round(value)} %)` };
  }
  const results = rule.probe === '*' ? [...inputs.probes.values()] : [inputs.probes.get(rule.probe)].filter((r): r is ProbeResult => r !== undefined);
  if (results.length === 0) return { known: false };
  const hit = results.find((r) => PROBE_RANK[r.state] >= PROBE_RANK[rule.state]);
  return { known: true, firing: hit !== undefined, condition: hit ? `probe ${hit.name} ${hit.state}` : ruleText(rule) };
}

const round = (value: number) => Math.round(value * 100) / 100;
