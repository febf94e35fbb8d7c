import type { ChannelInput, ChannelName, ChannelOutput } from '../../shared/contract';
import type { Dispatch } from '../dispatch';
import type { Services } from '../services';
import { parse, parseIncidentId, UsageError } from './args';
import type { ChainVerifyProgress } from '../../shared/domain';
import { chainHeadsText, incidentDetail, incidentTable, timelineText, verificationText } from './format';
import { timelineExportCommand } from './report';
import { deviceVerificationText } from './team';
import { incidentTargetsCommand } from './targets';

export interface CliContext {
  readonly services: Services;
  readonly dispatch: Dispatch;
  readonly out: (text: string) => void;
}

export class CommandFailed extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** Calls a contract channel exactly as the UI would; errors become CommandFailed. */
export async function call<K extends ChannelName>(ctx: CliContext, channel: K, input: ChannelInput<K>): Promise<ChannelOutput<K>> {
  const result = await ctx.dispatch(channel, input);
  if (!result.ok) throw new CommandFailed(result.error.message);
  return result.value as ChannelOutput<K>;
}

const json = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));

export async function incidentCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const now = ctx.services.clock.now();
  switch (sub) {
    case 'targets':
      return incidentTargetsCommand(ctx, rest);
    case 'new': {
      const { values } = parse(rest, {
        title: { type: 'string' },
        severity: { type: 'string', short: 's' },
        summary: { type: 'string' },
        impact: { type: 'string' },
        responder: { type: 'string' },
        service: { type: 'string', multiple: true },
        tag: { type: 'string', multiple: true },
        'detected-at': { type: 'string' },
        json: { type: 'boolean' },
      });
      if (values.title === undefined) throw new UsageError('--title is required');
      if (values.severity === undefined) throw new UsageError('--severity is required (critical, high, medium, low or P0–P3)');
      const incident = await call(ctx, 'incidents.create', {
        title: values.title,
        severity: values.severity,
        ...(values.summary !== undefined && { summary: values.summary }),
        ...(values.impact !== undefined && { impact: values.impact }),
        ...(values.responder !== undefined && { responder: values.responder }),
        ...(values.service && { services: values.service }),
        ...(values.tag && { tags: values.tag }),
        ...(values['detected-at'] !== undefined && { detectedAt: values['detected-at'] }),
      });
      if (values.json) json(ctx, incident);
      else ctx.out(incidentDetail(incident, now));
      return 0;
    }
    case 'list': {
      const { values } = parse(rest, {
        status: { type: 'string', multiple: true },
        severity: { type: 'string', multiple: true },
        open: { type: 'boolean' },
        query: { type: 'string', short: 'q' },
        json: { type: 'boolean' },
      });
      const incidents = await call(ctx, 'incidents.list', {
        ...(values.status && { status: values.status as never }),
        ...(values.severity && { severity: values.severity }),
        ...(values.open && { openOnly: true }),
        ...(values.query !== undefined && { query: values.query }),
      });
      if (values.json) json(ctx, incidents);
      else ctx.out(incidentTable(incidents, now));
      return 0;
    }
    case 'show': {
      const { values, positionals } = parse(rest, { json: { type: 'boolean' } });
      const incident = await call(ctx, 'incidents.get', { id: parseIncidentId(positionals[0]) });
      if (values.json) json(ctx, incident);
      else ctx.out(incidentDetail(incident, now));
      return 0;
    }
    case 'status': {
      const { values, positionals } = parse(rest, { reason: { type: 'string' }, at: { type: 'string' }, json: { type: 'boolean' } });
      const to = positionals[1];
      if (to === undefined) throw new UsageError('missing status: incident status ID STATUS [--reason R]');
      const incident = await call(ctx, 'incidents.transition', {
        id: parseIncidentId(positionals[0]),
        to: to as never,
        ...(values.reason !== undefined && { reason: values.reason }),
        ...(values.at !== undefined && { at: values.at }),
      });
      if (values.json) json(ctx, incident);
      else ctx.out(`${incident.title}: now ${incident.status}`);
      return 0;
    }
    case 'reopen': {
      const { values, positionals } = parse(rest, { reason: { type: 'string' }, json: { type: 'boolean' } });
      if (values.reason === undefined) throw new UsageError('missing --reason: incident reopen ID --reason R');
      const incident = await call(ctx, 'incidents.reopen', { id: parseIncidentId(positionals[0]), reason: values.reason });
      if (values.json) json(ctx, incident);
      else ctx.out(`${incident.title}: reopened, now ${incident.status}`);
      return 0;
    }
    case 'severity': {
      const { values, positionals } = parse(rest, { reason: { type: 'string' }, json: { type: 'boolean' } });
      const severity = positionals[1];
      if (severity === undefined) throw new UsageError('missing severity: incident severity ID SEVERITY [--reason R]');
      const incident = await call(ctx, 'incidents.setSeverity', {
        id: parseIncidentId(positionals[0]),
        severity,
        ...(values.reason !== undefined && { reason: values.reason }),
      });
      if (values.json) json(ctx, incident);
      else ctx.out(`${incident.title}: severity ${incident.severity}`);
      return 0;
    }
    default:
      throw new UsageError(`unknown incident command ${JSON.stringify(sub ?? '')}; use new, list, show, status, reopen or severity`);
  }
}

export async function noteCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const [id, ...words] = positionals;
  const text = words.join(' ');
  if (text.trim() === '') throw new UsageError('missing note text: note ID TEXT');
  const entry = await call(ctx, 'timeline.addNote', { incidentId: parseIncidentId(id), text });
  if (values.json) json(ctx, entry);
  else ctx.out(`Note added as entry #${entry.seq} (${entry.hash.slice(0, 12)}…)`);
  return 0;
}

/** Corrections never change the original: they are new entries pointing at it (by its #seq). */
export async function correctCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const [id, seqText, ...words] = positionals;
  const incidentId = parseIncidentId(id);
  const seq = Number(seqText?.replace(/^#/, ''));
  if (!Number.isInteger(seq) || seq <= 0) throw new UsageError('missing entry number: correct ID ENTRY TEXT (ENTRY is the #number in `firebreak timeline ID`)');
  const text = words.join(' ');
  if (text.trim() === '') throw new UsageError('missing correction text: correct ID ENTRY TEXT');
  const target = (await call(ctx, 'timeline.list', { incidentId })).find((e) => e.seq === seq);
  if (!target) throw new CommandFailed(`${id} has no timeline entry #${seq}`);
  const entry = await call(ctx, 'timeline.correct', { incidentId, entryId: target.id, text });
  if (values.json) json(ctx, entry);
  else ctx.out(`Correction of #${seq} added as entry #${entry.seq}`);
  return 0;
}

export async function timelineCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args[0] === 'export') return timelineExportCommand(ctx, args.slice(1));
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, heads: { type: 'boolean' } });
  if (positionals[0] === 'verify') {
    const id = positionals[1] === undefined ? undefined : parseIncidentId(positionals[1]);
    if (id !== undefined) await call(ctx, 'incidents.get', { id });
    // Streams page by page (a 1,000,000-entry profile is never loaded whole), with progress on stderr.
    await ctx.services.anchors.ready();
    const result = await ctx.services.timeline.verifyStreaming(id, progressPrinter());
    // Team mode: every device's own signed chain as well (docs/team.md).
    await ctx.services.devices.ready();
    const devices = ctx.services.devices.verify(id);
    if (values.json) json(ctx, { ...result, ok: result.ok && devices.ok, devices });
    else ctx.out(`${verificationText(result)}\n${deviceVerificationText(devices)}${values.heads && result.heads?.length ? `\nChain heads:\n${chainHeadsText(result.heads)}` : ''}`);
    return result.ok && devices.ok ? 0 : 1;
  }
  const entries = await call(ctx, 'timeline.list', { incidentId: parseIncidentId(positionals[0]) });
  if (values.json) json(ctx, entries);
  else ctx.out(timelineText(entries));
  return 0;
}

/** `123,000 / 1,000,000 entries verified` on stderr: redrawn on a terminal, a line every 10% otherwise. */
function progressPrinter(): (p: ChainVerifyProgress) => void {
  const tty = process.stderr.isTTY === true;
  let lastTenth = 0;
  let printed = false;
  return (p) => {
    if (p.entriesTotal === 0) return;
    const line = `${p.entriesChecked.toLocaleString('en')} / ${p.entriesTotal.toLocaleString('en')} entries verified`;
    const tenth = Math.floor((p.entriesChecked / p.entriesTotal) * 10);
    if (tty) {
      process.stderr.write(`\r\x1b[K${line}${p.entriesChecked === p.entriesTotal && printed ? '\n' : ''}`);
      printed = true;
    } else if (tenth > lastTenth && p.entriesChecked < p.entriesTotal) {
      lastTenth = tenth;
      process.stderr.write(`${line}\n`);
    }
  };
}
