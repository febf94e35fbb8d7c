import fs from 'node:fs';
import path from 'node:path';
import type { MetricsSummary } from '../../shared/reports';
import { formatDuration } from '../../shared/sla';
import { parse, parseIncidentId, UsageError } from './args';
import { call, type CliContext } from './commands';
import { table } from './format';

// `firebreak report`, `firebreak metrics`, `firebreak timeline export` (issue 7). They go
// through the same contract channels as the UI, so validation and results are identical.

const pick = <T extends string>(value: string | undefined, allowed: readonly T[], flag: string): T | undefined => {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) throw new UsageError(`${flag}: must be one of ${allowed.join(', ')}, got "${value}"`);
  return value as T;
};

/** The format named by --format, else the --out file's extension. */
function formatFor<T extends string>(format: string | undefined, out: string | undefined, allowed: readonly T[], fallback: T): T {
  const explicit = pick(format, allowed, '--format');
  if (explicit) return explicit;
  const ext = out ? path.extname(out).slice(1).toLowerCase() : '';
  return (allowed as readonly string[]).includes(ext) ? (ext as T) : fallback;
}

/** ISO date-times, or "7d" / "12h" / "30m" back from now. */
export function parseWhen(value: string | undefined, flag: string, now: number): string | undefined {
  if (value === undefined) return undefined;
  const rel = /^(\d+)([dhm])$/.exec(value.trim());
  if (rel) return new Date(now - Number(rel[1]) * { d: 86_400_000, h: 3_600_000, m: 60_000 }[rel[2] as 'd' | 'h' | 'm']).toISOString();
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new UsageError(`${flag}: "${value}" is not a date-time (ISO 8601 such as 2026-11-01T00:00:00Z, or 7d / 12h / 30m)`);
  return new Date(ms).toISOString();
}

export async function reportCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args[0] === 'templates') {
    const list = await call(ctx, 'reports.templates', {});
    ctx.out(table([['NAME', 'SOURCE', 'FILE'], ...list.map((t) => [t.name, t.source + (t.overridesBuiltIn ? ' (overrides built-in)' : ''), t.path])]));
    return 0;
  }
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    template: { type: 'string', short: 't' },
    out: { type: 'string', short: 'o' },
    paper: { type: 'string' },
    'no-redact': { type: 'boolean' },
    'redact-pattern': { type: 'string', multiple: true },
    lang: { type: 'string' },
  });
  const incidentId = parseIncidentId(positionals[0]);
  const language = pick(values.lang, ['en', 'ja'] as const, '--lang') ?? 'en';
  const format = formatFor(values.format, values.out, ['md', 'html', 'pdf'] as const, 'md');
  const template = values.template ?? 'incident-report';
  const paper = pick(values.paper, ['A4', 'Letter'] as const, '--paper') ?? 'A4';
  const redact = !values['no-redact'];
  const patterns = values['redact-pattern'] ?? [];
  if (values.out === undefined) {
    if (format === 'pdf') throw new UsageError('a PDF needs --out FILE');
    const rendered = await call(ctx, 'reports.render', { incidentId, template, format, redact, patterns, language });
    ctx.out(rendered.text.trimEnd());
    return 0;
  }
  const target = path.resolve(values.out);
  const saved = await call(ctx, 'reports.save', { incidentId, template, format, paper, redact, patterns, language, path: target });
  const redaction = saved.redaction.applied ? `redaction applied, ${saved.redaction.matches} match${saved.redaction.matches === 1 ? '' : 'es'}` : 'NOT redacted';
  ctx.out(`Saved ${saved.path}\n  ${saved.bytes} bytes, sha256 ${saved.sha256}\n  ${redaction}`);
  return 0;
}

const pct = (rate: number | null) => (rate === null ? '–' : `${(rate * 100).toFixed(1)}%`);
const dur = (ms: number | null) => (ms === null ? '–' : formatDuration(ms));

export function metricsText(m: MetricsSummary): string {
  const period = `${m.since ?? 'the beginning'} → ${m.until ?? 'now'}`;
  const lines = [
    `Incidents detected ${period}: ${m.incidents}  (critical ${m.bySeverity.critical}, high ${m.bySeverity.high}, medium ${m.bySeverity.medium}, low ${m.bySeverity.low})`,
    `MTTA ${dur(m.mttaMs)}   MTTM ${dur(m.mttmMs)}   MTTR ${dur(m.mttrMs)}`,
    `SLA compliance ${pct(m.sla.complianceRate)}  (met ${m.sla.met}, breached ${m.sla.breached}, running ${m.sla.running})`,
    `Rollbacks ${m.rollbacks.runs}: succeeded ${m.rollbacks.succeeded}, failed ${m.rollbacks.failed}, unfinished ${m.rollbacks.unfinished}; success rate ${pct(m.rollbacks.successRate)}`,
    `Escalated ${m.communications.escalated}: mean time to first escalation ${dur(m.communications.meanTimeToFirstEscalationMs)}; stakeholder updates on time ${pct(m.communications.onTimeRate)} (${m.communications.updatesOnTime} of ${m.communications.updatesSent})`,
  ];
  if (m.perIncident.length) {
    lines.push(
      '',
      table([
        ['ID', 'SEVERITY', 'STATUS', 'ACK', 'MITIGATE', 'RESOLVE', 'SLA'],
        ...m.perIncident.map((p) => [
          p.ref,
          p.severity,
          p.status,
          dur(p.timeToAcknowledgeMs),
          dur(p.timeToMitigateMs),
          dur(p.timeToResolveMs),
          p.sla === 'breached' ? `breached by ${formatDuration(Math.max(p.response.overByMs, p.recovery.overByMs))}` : p.sla,
        ]),
      ]),
    );
  }
  return lines.join('\n');
}

export async function metricsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse(args, { since: { type: 'string' }, until: { type: 'string' }, json: { type: 'boolean' } });
  const now = ctx.services.clock.now();
  const since = parseWhen(values.since, '--since', now);
  const until = parseWhen(values.until, '--until', now);
  const summary = await call(ctx, 'metrics.summary', { ...(since && { since }), ...(until && { until }) });
  ctx.out(values.json ? JSON.stringify(summary, null, 2) : metricsText(summary));
  return 0;
}

/** `timeline export [ID] --format csv|json [--out FILE] [--kind K]… [--since T] [--until T]` */
export async function timelineExportCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    format: { type: 'string', short: 'f' },
    out: { type: 'string', short: 'o' },
    kind: { type: 'string', multiple: true },
    since: { type: 'string' },
    until: { type: 'string' },
  });
  const now = ctx.services.clock.now();
  const incidentId = positionals[0] === undefined ? undefined : parseIncidentId(positionals[0]);
  const format = formatFor(values.format, values.out, ['csv', 'json'] as const, 'csv');
  const since = parseWhen(values.since, '--since', now);
  const until = parseWhen(values.until, '--until', now);
  const filter = { ...(values.kind && { kinds: values.kind }), ...(since && { since }), ...(until && { until }) };
  const result = await call(ctx, 'timeline.export', { ...(incidentId !== undefined && { incidentId }), format, filter });
  if (values.out === undefined) {
    ctx.out(result.text.trimEnd());
    return 0;
  }
  const target = path.resolve(values.out);
  fs.writeFileSync(target, result.text, 'utf8');
  ctx.out(`Exported ${result.entries} entries to ${target}\n  sha256 ${result.sha256}`);
  return 0;
}
