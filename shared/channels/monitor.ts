import { z } from 'zod';
import { rulesConfigSchema } from '../gauge-rules';
import { probeConfigSchema } from '../probe-config';
import { channel, event, noInput } from '../channel-def';
import type {
  AlertHistoryPage,
  AlertsView,
  AlertTarget,
  GaugeUpdate,
  GaugeWindow,
  HistoryRow,
  ProbeResult,
  ProbeSettingsExport,
  ProbesView,
  ProcessSnapshot,
  RulesConfig,
  RulesView,
} from '../monitor';
import { incidentIdSchema } from '../schemas';

// Live gauges, service probes and the alerts they raise. The settings schemas are here and the
// services validate with these same schemas (shared/gauge-rules.ts, shared/probe-config.ts).

const secretRefSchema = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, 'letters, digits, dot, dash, underscore, colon (1–128)');
const epochMs = z.number().int().nonnegative();

export const monitorChannels = {
  'monitor.alerts': channel<AlertsView>()(noInput),
  /** Pin the incident that receives alerts; null returns to "the most urgent open incident". */
  'monitor.setAlertTarget': channel<AlertTarget>()(z.strictObject({ incidentId: incidentIdSchema.nullable() })),
  /** Every alert the profile saw, newest first, one page at a time (older: `before`; newer: `after`). */
  'monitor.alertHistory': channel<AlertHistoryPage>()(
    z.strictObject({
      before: z.number().int().positive().optional(),
      after: z.number().int().nonnegative().optional(),
      limit: z.number().int().min(1).max(1000).optional(),
    }),
  ),

  /** The in-memory window (15 min), optionally only samples after `sinceMs`. */
  'gauges.recent': channel<GaugeWindow>()(z.strictObject({ sinceMs: epochMs.optional() }).optional()),
  /** Downsampled (one-minute min/avg/max) history kept while the incident was open. */
  'gauges.history': channel<HistoryRow[]>()(
    z.strictObject({
      incidentId: incidentIdSchema,
      metric: z.enum(['cpu', 'memory', 'swap', 'disk', 'load1', 'disk_read_ops', 'disk_write_ops', 'net_rx', 'net_tx']).optional(),
      subject: z.string().max(512).optional(),
      from: epochMs.optional(),
      to: epochMs.optional(),
    }),
  ),
  'gauges.rules': channel<RulesView>()(noInput),
  'gauges.setRules': channel<RulesConfig>()(rulesConfigSchema),
  'gauges.refreshProcesses': channel<ProcessSnapshot | null>()(noInput),

  'probes.config': channel<ProbesView>()(noInput),
  'probes.setConfig': channel<ProbesView>()(z.strictObject({ config: probeConfigSchema })),
  /** Runs one probe (by name) or every enabled one now. */
  'probes.run': channel<ProbeResult[]>()(z.strictObject({ name: z.string().min(1).max(64).optional() }).optional()),
  /** Stores a password; it is never sent back, only whether it is set (ProbesView.secretsSet). */
  'probes.setSecret': channel<{ readonly ref: string; readonly set: true }>()(
    z.strictObject({ ref: secretRefSchema, value: z.string().min(1, { error: 'must not be empty' }).max(4096) }),
  ),
  'probes.deleteSecret': channel<{ readonly ref: string; readonly set: false }>()(z.strictObject({ ref: secretRefSchema })),
  'probes.export': channel<ProbeSettingsExport>()(noInput),
  /** Imports settings (an export or a bare config); secret-looking fields are dropped and listed. */
  'probes.import': channel<{ readonly view: ProbesView; readonly stripped: readonly string[] }>()(
    z.strictObject({ document: z.record(z.string(), z.unknown()) }),
  ),
} as const;

export const monitorEvents = {
  'gauges.sample': event<GaugeUpdate>(),
  'gauges.processes': event<ProcessSnapshot>(),
  'probes.result': event<{ readonly result: ProbeResult }>(),
  'alerts.changed': event<AlertsView>(),
} as const;
