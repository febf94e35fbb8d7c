import path from 'node:path';
import { formatDiagnostic, notLoaded } from '../services/runbooks';
import { parse, UsageError } from './args';
import type { CliContext } from './commands';

// `firebreak runbook lint [PATH…]`, `firebreak runbook list [--lang LANG] [--json]` and
// `firebreak runbook runs INCIDENT [--json]` (the incident's runs, with where each runs).
// Lint checks language variants (`name.ja.md`) against their base file too.

export async function runbookCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'lint':
      return lint(ctx, rest);
    case 'list':
      return list(ctx, rest);
    case 'runs':
      return runs(ctx, rest);
    case undefined:
      throw new UsageError('runbook needs a subcommand: lint [PATH…], list [--lang LANG] [--json] or runs INCIDENT [--json]');
    default:
      throw new UsageError(`unknown runbook subcommand ${JSON.stringify(sub)} (lint, list, runs)`);
  }
}

async function lint(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  // No PATH: what the app loads (bundled + the folders configured in settings).
  const result = await ctx.services.runbooks.lint(positionals.map((p) => path.resolve(p)));
  if (values.json) {
    ctx.out(JSON.stringify(result, null, 2));
  } else {
    for (const d of result.diagnostics) ctx.out(formatDiagnostic(d, { relativeTo: process.cwd() }));
    const warnings = result.diagnostics.length - result.errors;
    ctx.out(`${result.files} file${result.files === 1 ? '' : 's'} checked: ${result.errors} error${result.errors === 1 ? '' : 's'}, ${warnings} warning${warnings === 1 ? '' : 's'}`);
  }
  return result.errors > 0 ? 1 : 0;
}

async function list(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, lang: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError('runbook list takes no arguments');
  const lang = values.lang;
  if (lang !== undefined && !/^[a-z]{2}(?:-[A-Za-z]{2,4})?$/.test(lang)) throw new UsageError(`--lang: ${JSON.stringify(lang)} is not a language code such as en or ja`);
  // Each runbook in LANG where it has that language, else in its own (the LANG column says which).
  const catalog = await ctx.services.runbooks.catalogView(lang);
  // Every file left out, with the first reason: a runbook folder must never shrink silently.
  const failed = notLoaded(catalog.diagnostics);
  if (values.json) {
    ctx.out(JSON.stringify({ runbooks: catalog.runbooks, notLoaded: failed }, null, 2));
    return 0;
  }
  const rows = catalog.runbooks.map((r) => [r.id, r.severities.join(','), r.version || '-', r.source, r.lang, `${r.phases}/${r.steps}`, r.title]);
  const header = ['ID', 'SEVERITY', 'VERSION', 'SOURCE', 'LANG', 'PHASES/STEPS', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  ctx.out(line(header));
  for (const r of rows) ctx.out(line(r));
  if (failed.length > 0) {
    ctx.out(`\n${failed.length} file${failed.length === 1 ? '' : 's'} did not load (\`firebreak runbook lint\` lists every problem):`);
    for (const f of failed) ctx.out(`${path.relative(process.cwd(), f.file) || f.file}:${f.line}: ${f.reason}${f.errors > 1 ? ` (+${f.errors - 1} more)` : ''}`);
  }
  return 0;
}

function runs(ctx: CliContext, args: string[]): number {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const [id, ...extra] = positionals;
  if (id === undefined || extra.length > 0 || !/^[1-9][0-9]*$/.test(id)) throw new UsageError('runbook runs needs one incident id: runbook runs INCIDENT [--json]');
  const list = ctx.services.runbooks.list(Number(id));
  if (values.json) {
    ctx.out(JSON.stringify(list.map(({ runbook: _r, translations: _t, ...run }) => run), null, 2));
    return 0;
  }
  const rows = list.map((r) => {
    const steps = Object.values(r.steps);
    return [r.id, r.runbookId, r.status, r.target, r.startedAt, `${steps.filter((s) => s.status !== 'pending').length}/${steps.length}`, r.title];
  });
  const header = ['RUN', 'RUNBOOK', 'STATUS', 'RUNS ON', 'STARTED', 'STEPS', 'TITLE'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!))).join('  ');
  ctx.out(line(header));
  for (const r of rows) ctx.out(line(r));
  return 0;
}
