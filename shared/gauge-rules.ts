import { z } from 'zod';
import type { Level } from './gauges';

// Threshold rules for the gauges, editable in settings. The defaults are the seeds':
// seed 000's dashboard bands (CPU <70 / 70–85 / >85 %, memory <80 / 80–90 / >90 %) and
// seed 003's alert table (CPU ≥80 % for 5 min, memory ≥85 % for 5 min, disk ≥90 %).
// Where the two disagree 003 wins, which is why the sustained rules raise `danger`.

export const ruleMetricSchema = z.enum(['cpu', 'memory', 'swap', 'disk']);
export type RuleMetric = z.infer<typeof ruleMetricSchema>;

export const thresholdSchema = z.object({
  value: z.number().min(0).max(100),
  /** `>` for "above 85", `>=` for "85 or more". */
  op: z.enum(['>', '>=']).default('>='),
});
export type Threshold = z.infer<typeof thresholdSchema>;

const ms = z.number().int().min(0).max(24 * 3_600_000);

const commonRuleFields = {
  id: z.string().min(1).max(64).regex(/^[a-z0-9._-]+$/i, 'letters, digits, dot, dash, underscore'),
  metric: ruleMetricSchema,
  enabled: z.boolean().default(true),
  /** Points the value must fall below a threshold before the level is left. */
  hysteresis: z.number().min(0).max(50).optional(),
  /** Minimum time a raised level is kept before it can be lowered or cleared. */
  holdMs: ms.optional(),
  /** How long a new level must hold before it is announced (spikes shorter than this never alert). */
  confirmMs: ms.optional(),
};

export const levelRuleSchema = z
  .object({
    ...commonRuleFields,
    kind: z.literal('level'),
    warning: thresholdSchema.optional(),
    danger: thresholdSchema.optional(),
  })
  .refine((r) => r.warning !== undefined || r.danger !== undefined, { message: 'a level rule needs a warning or a danger threshold' })
  .refine((r) => !r.warning || !r.danger || r.warning.value <= r.danger.value, { message: 'warning must not be above danger' });

export const sustainedRuleSchema = z.object({
  ...commonRuleFields,
  kind: z.literal('sustained'),
  threshold: thresholdSchema,
  /** The value must stay at or above the threshold this long. */
  forMs: ms.refine((v) => v > 0, 'must be positive'),
  level: z.enum(['warning', 'danger']).default('danger'),
});

export const ruleSchema = z.discriminatedUnion('kind', [levelRuleSchema, sustainedRuleSchema]);
export type GaugeRule = z.infer<typeof ruleSchema>;
export type LevelRule = z.infer<typeof levelRuleSchema>;
export type SustainedRule = z.infer<typeof sustainedRuleSchema>;

export const rulesConfigSchema = z
  .object({
    version: z.literal(1).default(1),
    defaults: z
      .object({
        hysteresis: z.number().min(0).max(50).default(5),
        holdMs: ms.default(60_000),
        confirmMs: ms.default(10_000),
      })
      .prefault({}),
    rules: z.array(ruleSchema).max(64),
  })
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) ctx.addIssue({ code: 'custom', message: `duplicate rule id "${rule.id}"`, path: ['rules', index, 'id'] });
      seen.add(rule.id);
    });
  });
export type RulesConfig = z.infer<typeof rulesConfigSchema>;
export type RulesConfigInput = z.input<typeof rulesConfigSchema>;

export const DEFAULT_RULES: RulesConfig = rulesConfigSchema.parse({
  version: 1,
  defaults: { hysteresis: 5, holdMs: 60_000, confirmMs: 10_000 },
  rules: [
    { id: 'cpu.level', kind: 'level', metric: 'cpu', warning: { value: 70, op: '>=' }, danger: { value: 85, op: '>' } },
    { id: 'memory.level', kind: 'level', metric: 'memory', warning: { value: 80, op: '>=' }, danger: { value: 90, op: '>' } },
    { id: 'disk.level', kind: 'level', metric: 'disk', danger: { value: 90, op: '>=' } },
    { id: 'cpu.sustained', kind: 'sustained', metric: 'cpu', threshold: { value: 80, op: '>=' }, forMs: 5 * 60_000, level: 'danger' },
    { id: 'memory.sustained', kind: 'sustained', metric: 'memory', threshold: { value: 85, op: '>=' }, forMs: 5 * 60_000, level: 'danger' },
  ],
});

/** Parses user-edited rules; throws a ZodError naming the bad field. */
export function parseRulesConfig(input: unknown): RulesConfig {
  return rulesConfigSchema.parse(input);
}

export function crosses(value: number, threshold: Threshold): boolean {
  return threshold.op === '>' ? value > threshold.value : value >= threshold.value;
}

/**
 * The instant level of a value under a metric's level rules, with no hysteresis or timing:
 * what the UI uses to colour a gauge.
 */
export function classify(config: RulesConfig, metric: RuleMetric, value: number): Level {
  let level: Level = 'normal';
  for (const rule of config.rules) {
    if (!rule.enabled || rule.kind !== 'level' || rule.metric !== metric) continue;
    if (rule.danger && crosses(value, rule.danger)) return 'danger';
    if (rule.warning && crosses(value, rule.warning)) level = 'warning';
  }
  return level;
}
