import fs from 'node:fs';
import { formatProbeTable, runProbesOnce } from '../services/probes/runner';
import { parse, UsageError } from './args';
import { call, CommandFailed, type CliContext } from './commands';

const NO_TARGETS = 'No probes configured. Add targets on the System screen, or: firebreak probe import FILE';

/**
 * `firebreak probe [--json]`: runs every enabled probe once and prints a table. Exit 0 when
 * all are ok or warning, 1 when any is in danger, 2 when any is down. A one-shot run has no
 * previous state, so nothing is written to the timeline.
 * `firebreak probe export [FILE]` / `import FILE`: settings without secrets.
 */
export async function probeCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'export') return exportSettings(ctx, rest);
  if (sub === 'import') return importSettings(ctx, rest);
  if (sub !== undefined && sub !== 'run' && !sub.startsWith('-')) throw new UsageError(`unknown probe command ${JSON.stringify(sub)}; use run (default), import or export`);
  const { values } = parse(sub === 'run' ? rest : args, { json: { type: 'boolean' } });
  const config = ctx.services.monitor.probeConfig();
  if (!config.targets.some((t) => t.enabled)) {
    if (values.json) ctx.out(JSON.stringify({ results: [], worst: 'ok', exitCode: 0 }, null, 2));
    else ctx.out(NO_TARGETS);
    return 0;
  }
  const summary = await runProbesOnce(config, { secrets: ctx.services.secrets, clock: ctx.services.clock });
  if (values.json) ctx.out(JSON.stringify(summary, null, 2));
  else ctx.out(`${formatProbeTable(summary.results)}\n\nworst: ${summary.worst.toUpperCase()}`);
  return summary.exitCode;
}

async function exportSettings(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const text = `${JSON.stringify(await call(ctx, 'probes.export', {}), null, 2)}\n`;
  if (positionals[0] === undefined) ctx.out(text.trimEnd());
  else {
    fs.writeFileSync(positionals[0], text);
    ctx.out(`Probe settings written to ${positionals[0]} (no passwords: set them again where you import it).`);
  }
  return 0;
}

async function importSettings(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = parse(args, {});
  const file = positionals[0];
  if (file === undefined) throw new UsageError('missing file: firebreak probe import FILE');
  let document: unknown;
  try {
    document = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new CommandFailed(`${file}: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (!document || typeof document !== 'object' || Array.isArray(document)) throw new CommandFailed(`${file}: not a probe settings file (expected a JSON object)`);
  const { view, stripped } = await call(ctx, 'probes.import', { document: document as Record<string, unknown> });
  ctx.out(`Imported ${view.config.targets.length} probe target${view.config.targets.length === 1 ? '' : 's'} from ${file}.`);
  if (stripped.length) ctx.out(`Dropped (secrets are never imported): ${stripped.join(', ')}`);
  return 0;
}
