import type { TargetStatus } from '../../shared/targets';
import { parse, parseIncidentId, UsageError } from './args';
import { call, CommandFailed, type CliContext } from './commands';
import { RemoteProcSource, sampleOnce } from '../services/targets/remote-source';
import { table } from './format';

// `firebreak target …` and `firebreak incident targets …` (issue 13), through the target
// channels so validation matches the UI.

const json = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));

export function statusText(s: TargetStatus): string {
  switch (s.state) {
    case 'connected':
      return `connected${s.hostKeyFingerprint ? ` (host key ${s.hostKeyFingerprint})` : ''}`;
    case 'unreachable':
      return `unreachable since ${s.since}${s.message ? `: ${s.message}` : ''}`;
    case 'idle':
      return 'not connected';
    case 'connecting':
      return 'connecting…';
    case 'auth-required':
    case 'host-key-unknown':
    case 'host-key-changed':
      return s.message ?? s.state;
  }
}

const USAGE = 'target add NAME [--no-connect] | target list [--json] | target remove NAME | target connect NAME | target accept NAME FINGERPRINT';

/** After add / connect: the state, and for an unknown host its fingerprints and how to accept one. */
async function reportConnection(ctx: CliContext, name: string, status: TargetStatus): Promise<number> {
  ctx.out(`${name}: ${statusText(status)}`);
  if (status.state === 'connected') return 0;
  if (status.state === 'host-key-unknown') {
    const offer = await call(ctx, 'targets.hostKey', { name });
    ctx.out(`\nThe host offers (as ${offer.knownHostsName}):`);
    for (const k of offer.keys) ctx.out(`  ${k.type}  ${k.fingerprint}`);
    ctx.out(`\nCompare with the fingerprint the server's administrator gives you, then:\n  firebreak target accept ${name} ${offer.keys[0]?.fingerprint ?? 'SHA256:…'}`);
  }
  return 1;
}

export async function targetCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  switch (sub) {
    case 'add': {
      const { values, positionals } = parse(rest, { 'no-connect': { type: 'boolean' } });
      const name = positionals[0];
      if (!name || positionals.length > 1) throw new UsageError('target add NAME: one ssh alias or user@host[:port]');
      const record = await call(ctx, 'targets.add', { name });
      ctx.out(`Added target ${record.name}.`);
      if (values['no-connect']) return 0;
      return reportConnection(ctx, record.name, await call(ctx, 'targets.connect', { name: record.name }));
    }
    case 'list': {
      const { values } = parse(rest, { json: { type: 'boolean' } });
      const list = await call(ctx, 'targets.list', undefined);
      if (values.json) json(ctx, list);
      else ctx.out(list.length === 0 ? 'No targets. Add one: firebreak target add web-1' : table([['NAME', 'ADDED', 'STATE'], ...list.map((t) => [t.name, t.addedAt, statusText(t.status)])]));
      return 0;
    }
    case 'remove': {
      const { positionals } = parse(rest, {});
      if (positionals.length !== 1) throw new UsageError('target remove NAME');
      await call(ctx, 'targets.remove', { name: positionals[0]! });
      ctx.out(`Removed target ${positionals[0]}.`);
      return 0;
    }
    case 'connect': {
      const { positionals } = parse(rest, {});
      if (positionals.length !== 1) throw new UsageError('target connect NAME');
      return reportConnection(ctx, positionals[0]!, await call(ctx, 'targets.connect', { name: positionals[0]! }));
    }
    case 'accept': {
      const { positionals } = parse(rest, {});
      if (positionals.length !== 2) throw new UsageError('target accept NAME FINGERPRINT (SHA256:… as shown by target add / connect)');
      const [name, fingerprint] = positionals as [string, string];
      await call(ctx, 'targets.acceptHostKey', { name, fingerprint });
      ctx.out(`Accepted ${fingerprint} for ${name}.`);
      return reportConnection(ctx, name, await call(ctx, 'targets.connect', { name }));
    }
    default:
      throw new UsageError(sub === undefined ? `say what to do: ${USAGE}` : `unknown target command ${JSON.stringify(sub)}: ${USAGE}`);
  }
}

/**
 * `incident targets ID [add|remove|pin|unpin HOST]`: the hosts an incident affects, and the
 * machines whose alerts are pinned to it (`local` is this laptop); each change is on its timeline.
 */
export async function incidentTargetsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' } });
  const incidentId = parseIncidentId(positionals[0]);
  const [action, name, ...extra] = positionals.slice(1);
  if (extra.length) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (action === 'add' || action === 'remove') {
    if (!name) throw new UsageError(`incident targets ID ${action} HOST`);
    await call(ctx, action === 'add' ? 'targets.addToIncident' : 'targets.removeFromIncident', { incidentId, name });
    ctx.out(`${action === 'add' ? 'Added' : 'Removed'} ${name} ${action === 'add' ? 'to' : 'from'} the incident's targets.`);
    return 0;
  }
  if (action === 'pin' || action === 'unpin') {
    if (!name) throw new UsageError(`incident targets ID ${action} HOST (local: this laptop)`);
    await call(ctx, action === 'pin' ? 'targets.pinAlerts' : 'targets.unpinAlerts', { incidentId, name });
    ctx.out(action === 'pin' ? `Alerts about ${name} now go to this incident.` : `Alerts about ${name} no longer go to this incident.`);
    return 0;
  }
  if (action !== undefined) throw new UsageError('incident targets ID [add|remove|pin|unpin HOST]');
  const list = await call(ctx, 'targets.ofIncident', { incidentId });
  const pins = values.json ? [] : await call(ctx, 'targets.alertPins', { incidentId });
  if (values.json) json(ctx, list);
  else {
    ctx.out(list.length ? list.join('\n') : 'No targets: the incident is on this laptop only.');
    if (pins.length) ctx.out(`Alerts pinned: ${pins.join(', ')}`);
  }
  return 0;
}


/**
 * `gauges --target HOST --once [--json]`: one reading of a target's gauges over its reused
 * connection (the loop's prelude and first frame, a fifth of a second apart, so rates are real).
 */
export async function gaugesCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { target: { type: 'string' }, once: { type: 'boolean' }, json: { type: 'boolean' } });
  if (positionals.length) throw new UsageError(`unexpected argument ${JSON.stringify(positionals[0])}`);
  if (values.target === undefined) throw new UsageError('gauges --target HOST --once: the laptop\'s own gauges are on the console (firebreak serve)');
  if (!values.once) throw new UsageError('gauges --target HOST needs --once (live gauges are on the console)');
  const status = await call(ctx, 'targets.connect', { name: values.target });
  if (status.state !== 'connected') throw new CommandFailed(`${values.target}: ${statusText(status)}`);
  const target = ctx.services.targets.ssh(values.target);
  const source = new RemoteProcSource(target);
  try {
    await source.prime();
    await source.frames(2);
    const sample = await sampleOnce(source, ctx.services.clock.now());
    const origin = await target.origin();
    if (values.json) json(ctx, { target: values.target, hostname: origin.hostname, hostKeyFingerprint: origin.hostKeyFingerprint, sample });
    else {
      const disks = (sample.disks ?? []).map((d) => `${d.mount} ${d.percent}%`).join(', ');
      ctx.out(`${values.target}: cpu ${sample.cpu?.total ?? '–'}%, memory ${sample.memory?.percent ?? '–'}%, load ${sample.load?.load1 ?? '–'} (${sample.load?.cores ?? '?'} cores)${disks ? `, disks ${disks}` : ''}`);
    }
    return sample.errors.length ? 1 : 0;
  } finally {
    source.stop();
  }
}
