import type { DeviceInfo, DeviceVerification } from '../services/team';
import { formatIncidentRef } from '../services/incidents';
import { parse, UsageError } from './args';
import type { CliContext } from './commands';

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
  const { values } = parse(rest, { json: { type: 'boolean' } });
  const devices = ctx.services.devices;
  await devices.ready();
  switch (sub) {
    case 'devices': {
      const list = devices.list();
      if (values.json) ctx.out(JSON.stringify(list, null, 2));
      else ctx.out(['Devices:', ...list.map(deviceLine)].join('\n'));
      return 0;
    }
    case 'status': {
      const self = devices.self();
      const status = { deviceId: self.deviceId, fingerprint: self.fingerprint, keyProblem: devices.unavailable ?? null, joined: false };
      if (values.json) ctx.out(JSON.stringify(status, null, 2));
      else ctx.out(`This device: ${self.deviceId} (${self.fingerprint ?? 'no key'})${devices.unavailable ? `\nKey problem: ${devices.unavailable}` : ''}\nTeam: not joined`);
      return 0;
    }
    default:
      throw new UsageError(`unknown team command${sub ? ` "${sub}"` : ''}: team status|devices [--json]`);
  }
}
