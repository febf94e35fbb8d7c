import type { IndicatorReading, SignalsView } from '../../shared/metrics';
import type { RiskView } from '../../shared/risks';
import { parse, parseIncidentId, UsageError } from './args';
import { call, CommandFailed, type CliContext } from './commands';

// `firebreak metrics-source …`, `firebreak signals` and `firebreak risk …` (issue 21).

const json = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));

export async function metricsSourceCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse(rest, { prometheus: { type: 'string' }, scrape: { type: 'string' }, target: { type: 'string' }, json: { type: 'boolean' } });
      const name = positionals[0];
      if (name === undefined) throw new UsageError('missing name: firebreak metrics-source add NAME (--prometheus URL | --scrape URL) [--target HOST]');
      if ((values.prometheus === undefined) === (values.scrape === undefined)) throw new UsageError('give exactly one of --prometheus URL or --scrape URL');
      const kind = values.prometheus !== undefined ? 'prometheus' : 'scrape';
      const url = (values.prometheus ?? values.scrape)!;
      const sources = await call(ctx, 'metrics.addSource', { name, kind, url, ...(values.target ? { target: values.target } : {}) });
      if (values.json) json(ctx, sources);
      else ctx.out(`Added ${kind === 'prometheus' ? 'Prometheus' : '/metrics scrape'} source ${name}: ${url}${values.target ? ` via ${values.target}` : ''}`);
      return 0;
    }
    case 'remove': {
      const { positionals } = parse(rest, {});
      if (positionals[0] === undefined) throw new UsageError('missing name: firebreak metrics-source remove NAME');
      await call(ctx, 'metrics.removeSource', { name: positionals[0] });
      ctx.out(`Removed metrics source ${positionals[0]}`);
      return 0;
    }
    case 'list':
    case undefined: {
      const { values } = parse(sub === undefined ? [] : rest, { json: { type: 'boolean' } });
      const sources = await call(ctx, 'metrics.sources', {});
      if (values.json) json(ctx, sources);
      else if (sources.length === 0) ctx.out('No metrics sources. Add one: firebreak metrics-source add NAME (--prometheus URL | --scrape URL)');
      else for (const s of sources) ctx.out(`${s.name.padEnd(16)} ${s.kind.padEnd(10)} ${s.url}${s.target ? `  via ${s.target}` : ''}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown metrics-source command ${JSON.stringify(sub)}; use add, list or remove`);
  }
}

const NAMES: Record<IndicatorReading['id'], string> = {
  response_time_p95: 'API response time (p95)',
  throughput: 'Throughput',
  availability: 'Availability',
  error_rate: 'Error rate',
  pool_use: 'DB connection pool use',
  query_time: 'Query time (p95)',
};

function formatValue(reading: IndicatorReading): string {
  if (reading.value === null) return 'unknown';
  const digits = reading.unit === '%' ? 2 : 1;
  return `${reading.value.toFixed(digits)} ${reading.unit}`;
}

export function formatSignals(view: SignalsView): string {
  const lines = view.readings.map((r) => {
    const level = r.level.toUpperCase() + (r.alert ? ` (${r.alert})` : '');
    return `${NAMES[r.id].padEnd(26)} ${formatValue(r).padStart(14)}  ${level.padEnd(18)} ${r.reason ?? r.source ?? ''}`.trimEnd();
  });
  if (view.sources.length === 0) lines.push('', 'No metrics sources: every indicator is unknown. Add one: firebreak metrics-source add NAME (--prometheus URL | --scrape URL)');
  return lines.join('\n');
}

/** 1 when any indicator is in danger, 2 when none is but some are unknown, else 0. */
function exitCodeOf(view: SignalsView): number {
  if (view.readings.some((r) => r.level === 'danger')) return 1;
  return view.readings.some((r) => r.level === 'unknown') ? 2 : 0;
}

export async function signalsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse(args, { once: { type: 'boolean' }, json: { type: 'boolean' } });
  const show = (view: SignalsView) => (values.json ? json(ctx, view) : ctx.out(formatSignals(view)));
  // A one-shot process has no history: signals() scrapes twice, a second apart, so rates are real.
  const first = await call(ctx, 'metrics.signals', {});
  show(first);
  if (values.once) return exitCodeOf(first);
  const interval = ctx.services.metrics.config.load().intervalMs;
  let stopped = false;
  const stop = () => (stopped = true);
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  let last = first;
  while (!stopped) {
    await new Promise((resolve) => setTimeout(resolve, interval));
    if (stopped) break;
    last = await ctx.services.metrics.poll();
    if (!values.json) ctx.out(`\n${new Date(last.at).toISOString()}`);
    show(last);
  }
  return exitCodeOf(last);
}

function riskLine(risk: RiskView): string {
  const warning = risk.warningActive === true ? '  WARNING' : '';
  return `${risk.id.padEnd(4)} ${`${risk.impact}×${risk.probability}=${risk.score}`.padEnd(8)} ${risk.level.padEnd(7)} ${risk.title.en}${risk.incidents.length ? `  (incidents: ${risk.incidents.join(', ')})` : ''}${warning}`;
}

function scaleOf(flag: string, value: string | undefined): number {
  if (value === undefined) throw new UsageError(`missing --${flag} N (1–5)`);
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 5) throw new UsageError(`--${flag}: "${value}" is not 1–5`);
  return n;
}

export async function riskCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'list':
    case undefined: {
      const { values } = parse(sub === undefined ? [] : rest, { json: { type: 'boolean' } });
      const view = await call(ctx, 'risks.list', {});
      if (values.json) json(ctx, view);
      else {
        for (const risk of view.risks) ctx.out(riskLine(risk));
        ctx.out(`\nRegister: ${view.path}`);
      }
      return 0;
    }
    case 'show': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      if (positionals[0] === undefined) throw new UsageError('missing risk id: firebreak risk show ID');
      const risk = await call(ctx, 'risks.get', { id: positionals[0] });
      if (values.json) {
        json(ctx, risk);
        return 0;
      }
      ctx.out(riskLine(risk));
      if (risk.description) ctx.out(`\n${risk.description.en}`);
      ctx.out(`\nIndicators: ${risk.indicators.map((i) => i.en).join(', ') || '—'}`);
      ctx.out(`Early warning: ${risk.warning.text.en}${risk.warning.rules.length === 0 ? ' (no rule bound: checked in the weekly review)' : ''}`);
      ctx.out(`Mitigations:\n${risk.mitigations.map((m) => `  - ${m.en}`).join('\n') || '  —'}`);
      ctx.out(`Runbooks: ${risk.runbooks.join(', ') || '—'}`);
      if (risk.history.length) {
        ctx.out('History:');
        for (const h of risk.history) ctx.out(`  ${h.at}  ${h.from.score} → ${h.to.score}  ${h.actor}: ${h.reason}`);
      }
      return 0;
    }
    case 'link': {
      const { values, positionals } = parse(rest, { note: { type: 'string' }, json: { type: 'boolean' } });
      const incidentId = parseIncidentId(positionals[0]);
      if (positionals[1] === undefined) throw new UsageError('missing risk id: firebreak risk link INCIDENT RISK');
      const risk = await call(ctx, 'risks.link', { incidentId, risk: positionals[1], ...(values.note ? { note: values.note } : {}) });
      if (values.json) json(ctx, risk);
      else ctx.out(`Linked incident ${incidentId} to ${risk.id} (${risk.title.en}, score ${risk.score})`);
      return 0;
    }
    case 'rescore': {
      const { values, positionals } = parse(rest, {
        impact: { type: 'string' },
        probability: { type: 'string' },
        reason: { type: 'string' },
        incident: { type: 'string' },
        context: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (positionals[0] === undefined) throw new UsageError('missing risk id: firebreak risk rescore RISK --impact N --probability N --reason R');
      if (!values.reason?.trim()) throw new UsageError('missing --reason R (why the score changes)');
      const record = await call(ctx, 'risks.rescore', {
        risk: positionals[0],
        impact: scaleOf('impact', values.impact),
        probability: scaleOf('probability', values.probability),
        reason: values.reason,
        ...(values.context ? { context: values.context } : {}),
        ...(values.incident ? { incidentId: parseIncidentId(values.incident) } : {}),
      });
      if (values.json) json(ctx, record);
      else ctx.out(`${record.risk}: ${record.from.impact}×${record.from.probability}=${record.from.score} → ${record.to.impact}×${record.to.probability}=${record.to.score} (${record.reason})`);
      return 0;
    }
    default:
      throw new CommandFailed(`unknown risk command ${JSON.stringify(sub)}; use list, show, link or rescore`, 2);
  }
}
