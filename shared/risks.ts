import { z } from 'zod';
import { INDICATOR_IDS } from './metrics';

// The risk register (seed 000, 特定されたリスクと対策): each risk scored impact × probability
// (1–5 each), with monitoring indicators, an early-warning rule, mitigations and linked
// runbooks. Pure: the risks service and the renderer both use it.

export type RiskLevel = 'low' | 'medium' | 'high';

/** Seed 000 calls 10 and 12 高リスク, 8 and 9 中リスク; below 5 is low. */
export function riskLevel(score: number): RiskLevel {
  if (score >= 10) return 'high';
  if (score >= 5) return 'medium';
  return 'low';
}

const text = z.string().min(1).max(2000);
const localized = z.strictObject({ en: text, ja: text.optional() });
const scale = z.number().int().min(1, { error: 'must be 1–5' }).max(5, { error: 'must be 1–5' });
const op = z.enum(['>', '>=', '<', '<=']);

/** What an early warning watches: a service indicator, a machine gauge, or a probe. */
export const riskRuleSchema = z.union([
  z.strictObject({ indicator: z.enum(INDICATOR_IDS), op, value: z.number() }),
  z.strictObject({ gauge: z.enum(['cpu', 'memory', 'swap']), op, value: z.number() }),
  /** Any probe (`*`) or the named one in this state (or worse). */
  z.strictObject({ probe: z.string().min(1).max(64), state: z.enum(['warning', 'danger', 'down']) }),
]);
export type RiskRule = z.infer<typeof riskRuleSchema>;

export const riskIdSchema = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,31}$/, 'letters, digits, dot, dash, underscore (1–32)');

export const riskSchema = z.strictObject({
  id: riskIdSchema,
  title: localized,
  category: z.enum(['technical', 'integration', 'operations']),
  impact: scale,
  probability: scale,
  description: localized.optional(),
  effect: localized.optional(),
  /** 監視指標: what to watch, in words. */
  indicators: z.array(localized).max(20).default([]),
  /** 早期警告: the words of the seed and the rules that implement them (any one fires). */
  warning: z.strictObject({ text: localized, rules: z.array(riskRuleSchema).max(10).default([]) }),
  mitigations: z.array(localized).max(20).default([]),
  runbooks: z.array(z.string().regex(/^[a-z0-9][a-z0-9._-]*$/)).max(10).default([]),
});
export type Risk = z.infer<typeof riskSchema>;
export type RiskInput = z.input<typeof riskSchema>;

export const registerSchema = z
  .strictObject({ version: z.literal(1), risks: z.array(riskSchema).max(200) })
  .superRefine((register, context) => {
    const seen = new Set<string>();
    register.risks.forEach((risk, index) => {
      if (seen.has(risk.id)) context.addIssue({ code: 'custom', path: ['risks', index, 'id'], message: `duplicate risk id ${risk.id}` });
      seen.add(risk.id);
    });
  });
export type Register = z.infer<typeof registerSchema>;

/** A risk as the UI and CLI show it: with its score and level. */
export interface RiskView extends Risk {
  readonly score: number;
  readonly level: RiskLevel;
  /** Incidents that realised it (from their timelines). */
  readonly incidents: readonly number[];
  /** Whether its early warning is firing now; null when no rule can be evaluated. */
  readonly warningActive: boolean | null;
}

export interface RescoreRecord {
  readonly risk: string;
  readonly at: string;
  readonly actor: string;
  readonly from: { readonly impact: number; readonly probability: number; readonly score: number };
  readonly to: { readonly impact: number; readonly probability: number; readonly score: number };
  readonly reason: string;
  /** The review or incident it came from. */
  readonly context: string | null;
  readonly incidentId: number | null;
}

/** An early warning that fired: what the console shows and writes to the timeline. */
export interface RiskWarning {
  readonly risk: string;
  readonly title: string;
  readonly score: number;
  readonly level: RiskLevel;
  /** The rule that fired, in words ("error_rate > 5 (now 8.2)"). */
  readonly condition: string;
  readonly mitigation: string | null;
  readonly runbooks: readonly string[];
  readonly at: number;
  /** The incident whose timeline got it; null when no incident was open. */
  readonly incidentId: number | null;
  readonly entryId: number | null;
}

export interface RisksView {
  readonly risks: readonly RiskView[];
  readonly warnings: readonly RiskWarning[];
  /** The register file, for "edit in your editor". */
  readonly path: string;
}

/** Where each risk sits on the 5×5 map: cells[probability-1][impact-1] lists risk ids. */
export function heatMap(risks: readonly Pick<Risk, 'id' | 'impact' | 'probability'>[]): string[][][] {
  const cells: string[][][] = Array.from({ length: 5 }, () => Array.from({ length: 5 }, () => [] as string[]));
  for (const risk of risks) cells[risk.probability - 1]![risk.impact - 1]!.push(risk.id);
  return cells;
}

export function ruleText(rule: RiskRule): string {
  if ('indicator' in rule) return `${rule.indicator} ${rule.op} ${rule.value}`;
  if ('gauge' in rule) return `${rule.gauge} ${rule.op} ${rule.value}%`;
  return `probe ${rule.probe === '*' ? 'any' : rule.probe} ${rule.state}`;
}

export type RuleOp = z.infer<typeof op>;

export function compare(value: number, operator: RuleOp, threshold: number): boolean {
  switch (operator) {
    case '>':
      return value > threshold;
    case '>=':
      return value >= threshold;
    case '<':
      return value < threshold;
    case '<=':
      return value <= threshold;
  }
}
