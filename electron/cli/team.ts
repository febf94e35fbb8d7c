import type { DeviceInfo, DeviceVerification } from '../services/team';
import { formatIncidentRef } from '../services/incidents';
import { TeamError } from '../services/team';
import { parse, parseIncidentId, UsageError } from './args';
import { CommandFailed, type CliContext } from './commands';

/** The device-chain half of `timeline verify` (docs/team.md). */
export function deviceVerificationText(v: DeviceVerification): string {
  const legacy = v.legacyEntries > 0 ? ` ${v.legacyEntries} earlier entries predate device identity and are in no device chain.` : '';
  if (v.ok) return `Device chains intact: ${v.entriesChecked} signed entries in ${v.chainsChecked} device chains verified.${legacy}`;
  return [
    `Device chains FAILED: ${v.failures.length} problem${v.failures.length > 1 ? 's' : ''} (${v.entriesChecked} entries checked).${legacy}`,
    ...v.failures.map((f) => `  ${formatIncidentRef(f.incidentId)}${f.entryId ? ` (entry id ${f.entryId})` : ''}: ${f.reason}`),
  ].join('\n');
}

function deviceLine(d: DeviceInfo): string {
  return `  ${d.deviceId}  ${d.state.padEnd(8)}  ${d.fingerprint ?? '(no key yet)'}  ${d.name}`;
}

/** `firebreak team …`: this profile's device identity and the devices it knows. */
export async function teamCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  const { values, positionals } = parse(rest, { json: { type: 'boolean' }, team: { type: 'string' }, ca: { type: 'string' }, 'max-mib': { type: 'string' } });
  const devices = ctx.services.devices;
  const team = ctx.services.team;
  await devices.ready();
  try {
    switch (sub) {
      case 'join': {
        const url = positionals[0];
        if (!url || !values.team) throw new UsageError('team join redis[s]://[user:pass@]host:port[/db] | redis[s]+sentinel://[user:pass@]host:port[,host:port…]/MASTER[/db] --team NAME [--ca FILE]');
        const result = await team.join(url, values.team, values.ca);
        const self = devices.self();
        ctx.out(
          result.founder
            ? `Joined team "${values.team}" as its first device (${self.deviceId}, ${self.fingerprint}): trusted by itself.`
            : `Joined team "${values.team}" as ${self.deviceId} (${self.fingerprint}). Waiting for approval: a member runs\n  firebreak team approve ${self.deviceId.slice(0, 8)}\nafter comparing this fingerprint with you.`,
        );
        return 0;
      }
      case 'leave':
        await team.leave();
        ctx.out('Left the team; shared incidents stay in this laptop\'s log.');
        return 0;
      case 'approve': {
        if (!positionals[0]) throw new UsageError('team approve DEVICE (its id or the start of it; see team devices)');
        ctx.out(`Approved ${await team.approve(positionals[0])}.`);
        return 0;
      }
      case 'share': {
        const id = parseIncidentId(positionals[0]);
        const uid = await team.share(id);
        const round = await team.syncOnce().catch((error: Error) => error);
        ctx.out(`Shared ${formatIncidentRef(id)} · ${uid.slice(0, 8)} (${uid}).${round instanceof Error ? ` Not synced now (${round.message}); serve or the app will push it.` : ` Pushed ${round.pushed} entries.`}`);
        return 0;
      }
      case 'unshare': {
        const id = parseIncidentId(positionals[0]);
        team.unshare(id);
        ctx.out(`${formatIncidentRef(id)} is no longer synced; what was shared stays with the team.`);
        return 0;
      }
      case 'sync': {
        const round = await team.syncOnce();
        ctx.out(`Pushed ${round.pushed}, merged ${round.merged}, quarantined ${round.quarantined}.`);
        return 0;
      }
      case 'push-evidence': {
        const id = parseIncidentId(positionals[0]);
        const artifacts = positionals.slice(1).map((a) => {
          if (!/^\d+$/.test(a)) throw new UsageError(`not an artifact id: ${a} (team push-evidence ID [ARTIFACT…] [--max-mib N])`);
          return Number(a);
        });
        const mib = values['max-mib'] === undefined ? 50 : Number(values['max-mib']);
        if (!Number.isFinite(mib) || mib <= 0) throw new UsageError(`--max-mib must be a positive number (got ${values['max-mib']})`);
        const result = await team.pushEvidence(id, artifacts, Math.floor(mib * 1024 * 1024));
        if (values.json) ctx.out(JSON.stringify(result, null, 2));
        else
          ctx.out(
            [
              `Pushed ${result.pushed.length} blob${result.pushed.length === 1 ? '' : 's'} (${result.pushed.reduce((n, p) => n + p.size, 0)} bytes).`,
              ...result.skipped.map((s) => `  skipped artifact ${s.artifactId} ${s.name}: ${s.reason}`),
            ].join('\n'),
          );
        return 0;
      }
      case 'fetch-evidence': {
        const id = parseIncidentId(positionals[0]);
        if (!positionals[1]) {
          const pushed = await team.pushedEvidence(id);
          if (values.json) ctx.out(JSON.stringify(pushed, null, 2));
          else ctx.out(pushed.length ? pushed.map((b) => `  ${b.sha256}  ${String(b.size).padStart(10)}  ${b.name}  (from ${b.device.slice(0, 8)})`).join('\n') : 'No evidence pushed for this incident.');
          return 0;
        }
        const fetched = await team.fetchEvidence(id, positionals[1]);
        ctx.out(`Fetched ${fetched.size} bytes, hash verified: ${fetched.path}`);
        return 0;
      }
      case 'quarantine': {
        const rows = team.quarantine();
        if (values.json) ctx.out(JSON.stringify(rows, null, 2));
        else ctx.out(rows.length ? rows.map((q) => `  ${q.receivedAt}  ${q.incidentUid.slice(0, 8)}  ${q.reason}`).join('\n') : 'Nothing quarantined.');
        return 0;
      }
      default:
        break;
    }
  } catch (error) {
    if (error instanceof TeamError) throw new CommandFailed(error.message);
    throw error;
  }
  switch (sub) {
    case 'devices': {
      const list = devices.list();
      if (values.json) ctx.out(JSON.stringify(list, null, 2));
      else ctx.out(['Devices:', ...list.map(deviceLine)].join('\n'));
      return 0;
    }
    case 'status': {
      const self = devices.self();
      if (team.config()) await team.syncOnce().catch(() => undefined); // a one-shot process: connect once to see
      const sync = await team.status();
      const status = { deviceId: self.deviceId, fingerprint: self.fingerprint, keyProblem: devices.unavailable ?? null, ...sync };
      await team.stop();
      if (values.json) ctx.out(JSON.stringify(status, null, 2));
      else
        ctx.out(
          [
            `This device: ${self.deviceId} (${self.fingerprint ?? 'no key'})${devices.unavailable ? `\nKey problem: ${devices.unavailable}` : ''}`,
            sync.joined
              ? `Team: ${sync.team} at ${sync.url}: ${sync.connected ? 'connected' : `offline${sync.lastError ? ` (${sync.lastError})` : ''}`}; ${sync.shared} shared incidents, ${sync.unpushed} entries to push, behind by ${sync.behind}, ${sync.quarantined} quarantined`
              : 'Team: not joined',
          ].join('\n'),
        );
      return 0;
    }
    default:
      throw new UsageError(`unknown team command${sub ? ` "${sub}"` : ''}: team join|status|devices|approve|share|unshare|sync|quarantine|leave`);
  }
}
