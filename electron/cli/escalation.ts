import fs from 'node:fs';
import path from 'node:path';
import { parseDays, type Contact, type EscalationPolicyView, type EscalationState, type OnCallView } from '../../shared/escalation';
import { SEVERITIES, type Severity } from '../../shared/severity';
import { formatIncidentRef } from '../services/incidents';
import { parse, parseIncidentId, UsageError } from './args';
import { call, CommandFailed, type CliContext } from './commands';
import { table } from './format';

// `firebreak contacts …`, `oncall`, `escalate` and `update` (issue 17). Every command goes
// through the contract channels, so the CLI validates and records exactly as the UI does.

/** Prints the value as JSON; exit code 0. */
const json = (ctx: CliContext, value: unknown): number => {
  ctx.out(JSON.stringify(value, null, 2));
  return 0;
};

function readInput(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new CommandFailed(`cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`);
  }
}

function formatOf(file: string, given: string | undefined, allowed: readonly string[]): string {
  const ext = path.extname(file).slice(1).toLowerCase().replace(/^yml$/, 'yaml');
  const format = given ?? ext;
  if (!allowed.includes(format)) throw new UsageError(`--format: give one of ${allowed.join(', ')} (could not tell from "${path.basename(file)}")`);
  return format;
}

function reach(c: Pick<Contact, 'phone' | 'email' | 'chat'>): string {
  return [c.phone, c.email, c.chat].filter(Boolean).join(' · ');
}

function hoursText(c: Contact): string {
  return c.hours ? `${c.hours.days.join(',')} ${c.hours.start}–${c.hours.end} ${c.timeZone}` : `24h (${c.timeZone})`;
}

export async function contactsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case undefined:
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } });
      const contacts = await call(ctx, 'contacts.list', undefined);
      if (values.json) return json(ctx, contacts);
      ctx.out(
        table([
          ['LEVEL', 'NAME', 'KIND', 'HOURS', 'REACH', 'ROLE'],
          ...contacts.map((c) => [c.level === null ? '-' : `L${c.level}`, `${c.name}${c.placeholder ? ' (placeholder: fill in)' : ''}`, c.kind, hoursText(c), reach(c) || '-', c.role]),
        ]),
      );
      return 0;
    }
    case 'add': {
      const { values } = parse(rest, {
        name: { type: 'string' },
        kind: { type: 'string' },
        level: { type: 'string' },
        role: { type: 'string' },
        phone: { type: 'string' },
        email: { type: 'string' },
        chat: { type: 'string' },
        tz: { type: 'string' },
        days: { type: 'string' },
        start: { type: 'string' },
        end: { type: 'string' },
        notes: { type: 'string' },
        json: { type: 'boolean' },
      });
      if (!values.name) throw new UsageError('--name is required');
      const days = values.days === undefined ? undefined : parseDays(values.days);
      if (values.days !== undefined && !days) throw new UsageError(`--days: "${values.days}" is not a list of days such as mon-fri or sat,sun`);
      const hours = days || values.start || values.end ? { days: days ?? ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], start: values.start ?? '00:00', end: values.end ?? '24:00' } : null;
      const contact = await call(ctx, 'contacts.add', {
        name: values.name,
        ...(values.kind !== undefined && { kind: values.kind as Contact['kind'] }),
        level: values.level === undefined ? null : (Number(values.level) as 1),
        ...(values.role !== undefined && { role: values.role }),
        ...(values.phone !== undefined && { phone: values.phone }),
        ...(values.email !== undefined && { email: values.email }),
        ...(values.chat !== undefined && { chat: values.chat }),
        ...(values.tz !== undefined && { timeZone: values.tz }),
        ...(values.notes !== undefined && { notes: values.notes }),
        hours: hours as never,
      });
      if (values.json) return json(ctx, contact);
      ctx.out(`Saved ${contact.name}${contact.level ? ` (Level ${contact.level})` : ''}: ${hoursText(contact)}`);
      return 0;
    }
    case 'remove': {
      const { positionals } = parse(rest, {});
      if (positionals.length !== 1) throw new UsageError('contacts remove takes one NAME');
      const removed = await call(ctx, 'contacts.remove', { name: positionals[0]! });
      ctx.out(`Removed ${removed.name}`);
      return 0;
    }
    case 'import': {
      const { values, positionals } = parse(rest, { format: { type: 'string' }, json: { type: 'boolean' } });
      if (positionals.length !== 1) throw new UsageError('contacts import takes one FILE (.yaml or .csv)');
      const file = positionals[0]!;
      const format = formatOf(file, values.format, ['yaml', 'csv']) as 'yaml' | 'csv';
      const result = await call(ctx, 'contacts.import', { format, text: readInput(file), source: file });
      if (values.json) return json(ctx, result);
      ctx.out(`Imported ${file}: ${result.added} added, ${result.updated} updated (${result.contacts.length} contacts)`);
      return 0;
    }
    case 'export': {
      const { values } = parse(rest, { format: { type: 'string' }, out: { type: 'string' } });
      const format = (values.format ?? (values.out ? formatOf(values.out, undefined, ['yaml', 'csv']) : 'yaml')) as 'yaml' | 'csv';
      if (format !== 'yaml' && format !== 'csv') throw new UsageError('--format: give yaml or csv');
      const text = await call(ctx, 'contacts.export', { format });
      if (values.out) {
        fs.writeFileSync(values.out, text);
        ctx.out(`Wrote ${values.out}`);
      } else ctx.out(text.trimEnd());
      return 0;
    }
    default:
      throw new UsageError(`unknown contacts subcommand ${JSON.stringify(sub)} (list, add, remove, import, export)`);
  }
}

function onCallText(view: OnCallView): string {
  const slot = (label: string, s: OnCallView['primary']) =>
    s ? `${label.padEnd(10)} ${s.name}  until ${s.endsAt}${s.override ? `  (override: ${s.override.reason})` : ''}${s.contact && reach(s.contact) ? `  ${reach(s.contact)}` : ''}` : `${label.padEnd(10)} nobody (no rotation covers this time)`;
  const lines = [`On call at ${view.at}`, slot('primary', view.primary), slot('secondary', view.secondary)];
  if (view.next) lines.push(`${'next'.padEnd(10)} ${view.next.at}: ${view.next.primary ?? '-'} / ${view.next.secondary ?? '-'}`);
  return lines.join('\n');
}

export async function oncallCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') {
    const { values, positionals } = parse(rest, { format: { type: 'string' }, json: { type: 'boolean' } });
    if (positionals.length !== 1) throw new UsageError('oncall import takes one FILE (.csv or .ics)');
    const file = positionals[0]!;
    const format = formatOf(file, values.format, ['csv', 'ics']) as 'csv' | 'ics';
    const result = await call(ctx, 'oncall.import', { format, text: readInput(file), source: file });
    if (values.json) return json(ctx, result);
    ctx.out(`Imported ${file}: ${result.shifts} turns from ${result.from} to ${result.to}`);
    return 0;
  }
  if (sub === 'override') {
    const { values } = parse(rest, { role: { type: 'string' }, name: { type: 'string' }, from: { type: 'string' }, to: { type: 'string' }, reason: { type: 'string' }, remove: { type: 'string' }, json: { type: 'boolean' } });
    if (values.remove !== undefined) {
      const removed = await call(ctx, 'oncall.removeOverride', { id: Number(values.remove) });
      ctx.out(`Removed override #${removed.id} (${removed.name})`);
      return 0;
    }
    if (!values.name || !values.from || !values.to || !values.reason) throw new UsageError('oncall override needs --name, --from, --to and --reason (and --role primary|secondary)');
    const override = await call(ctx, 'oncall.addOverride', { role: (values.role ?? 'primary') as 'primary', name: values.name, startsAt: values.from, endsAt: values.to, reason: values.reason });
    if (values.json) return json(ctx, override);
    ctx.out(`Override #${override.id}: ${override.name} is ${override.role} from ${override.startsAt} to ${override.endsAt}`);
    return 0;
  }
  const { values, positionals } = parse(args, { at: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`unknown oncall subcommand ${JSON.stringify(positionals[0])} (import, override, or none for who is on call)`);
  const view = await call(ctx, 'oncall.now', values.at ? { at: values.at } : {});
  if (values.json) return json(ctx, view);
  ctx.out(onCallText(view));
  return 0;
}

function escalationText(state: EscalationState): string {
  const lines = [`${formatIncidentRef(state.incidentId)} at Level ${state.level}`];
  for (const e of state.escalations) {
    lines.push(`  #${e.entryId} ${e.at} Level ${e.level}${e.contact ? ` ${e.contact}` : ''}${e.via ? ` by ${e.via}` : ''}: ${e.reason}${e.acknowledgedAt ? ` (acknowledged ${e.acknowledgedAt})` : ''}`);
  }
  for (const s of state.suggestions.filter((x) => x.open)) {
    lines.push(`  suggested: Level ${s.level} (${s.detail}): ${s.contacts.map((c) => `${c.name}${c.inCover ? '' : ' (out of hours)'}`).join(', ') || 'nobody at that level is in hours now'}`);
  }
  return lines.join('\n');
}

export async function escalateCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { level: { type: 'string' }, contact: { type: 'string' }, via: { type: 'string' }, reason: { type: 'string' }, ack: { type: 'string' }, json: { type: 'boolean' } });
  const incidentId = parseIncidentId(positionals[0]);
  let state: EscalationState;
  if (values.ack !== undefined) {
    state = await call(ctx, 'escalation.acknowledge', { incidentId, entryId: Number(values.ack.replace(/^#/, '')) });
  } else if (values.level === undefined && values.reason === undefined) {
    state = await call(ctx, 'escalation.state', { incidentId });
  } else {
    if (values.level === undefined) throw new UsageError('--level is required (1, 2 or 3)');
    if (!values.reason) throw new UsageError('--reason is required');
    state = await call(ctx, 'escalation.escalate', {
      incidentId,
      level: Number(values.level) as 1,
      ...(values.contact !== undefined && { contact: values.contact }),
      ...(values.via !== undefined && { via: values.via as 'phone' }),
      reason: values.reason,
    });
  }
  if (values.json) return json(ctx, state);
  ctx.out(escalationText(state));
  return 0;
}

export async function updateCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { lang: { type: 'string' }, out: { type: 'string' }, sent: { type: 'boolean' }, text: { type: 'string' }, json: { type: 'boolean' } });
  const incidentId = parseIncidentId(positionals[0]);
  const language = (values.lang ?? 'en') as 'en';
  const draft = await call(ctx, 'updates.draft', { incidentId, language });
  // --text FILE: what was actually sent, when the operator edited the draft.
  const text = values.text ? readInput(values.text) : draft.text;
  if (!values.sent) {
    if (values.out) {
      fs.writeFileSync(values.out, `Subject: ${draft.subject}\n\n${text}`);
      if (!values.json) ctx.out(`Wrote the draft to ${values.out} (not recorded as sent; run with --sent once it is)`);
    }
    if (values.json) return json(ctx, draft);
    if (!values.out) ctx.out(`Subject: ${draft.subject}\n\n${text.trimEnd()}`);
    return 0;
  }
  const sent = values.out
    ? await call(ctx, 'updates.save', { incidentId, language, format: path.extname(values.out).toLowerCase() === '.eml' ? 'eml' : 'md', text, subject: draft.subject, path: path.resolve(values.out) })
    : await call(ctx, 'updates.record', { incidentId, language, via: 'other', text, subject: draft.subject });
  if (values.json) return json(ctx, sent);
  ctx.out(`Recorded update #${sent.entryId} (${sent.onTime ? 'on time' : `late: was due ${sent.dueAt}`}), sha256 ${sent.sha256}${sent.path ? `, saved to ${sent.path}` : ''}`);
  return 0;
}

function policyText(view: EscalationPolicyView): string {
  const { policy } = view;
  const lines = [
    `Escalation policy: ${view.path ?? '(built in)'}`,
    ...(view.error ? [`NOT USED (seed 004's defaults apply): ${view.error}`] : []),
    ...policy.levels.map((l) => `  Level ${l.level} ${l.name} (${l.nameJa}): ${l.cover === 'always' ? '24 h' : l.cover === 'critical' ? '24 h for Critical, business hours otherwise' : 'business hours, 24 h in an emergency'}`),
    ...SEVERITIES.map((s) => `  ${s.padEnd(8)} update every ${policy.updateCadenceMinutes[s]} min · no progress after ${policy.noProgressMinutes[s]} min suggests escalating`),
  ];
  return lines.join('\n');
}

/** `firebreak escalation-policy [--cadence SEVERITY=MINUTES] [--json]`: the policy in force; --cadence overrides one update cadence. */
export async function escalationPolicyCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { cadence: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError('escalation-policy takes no arguments (--cadence SEVERITY=MINUTES, --json)');
  let view: EscalationPolicyView;
  if (values.cadence !== undefined) {
    const match = /^(\w+)=(\d+)$/.exec(values.cadence.trim());
    if (!match || !(SEVERITIES as readonly string[]).includes(match[1]!.toLowerCase())) throw new UsageError(`--cadence: give SEVERITY=MINUTES with SEVERITY one of ${SEVERITIES.join(', ')} (got ${JSON.stringify(values.cadence)})`);
    view = await call(ctx, 'escalation.setCadence', { severity: match[1]!.toLowerCase() as Severity, minutes: Number(match[2]) });
  } else view = await call(ctx, 'escalation.policy', undefined);
  if (values.json) {
    ctx.out(JSON.stringify(view, null, 2));
  } else ctx.out(policyText(view));
  return view.error ? 1 : 0;
}
