import { BackupService, writeBackupSettings } from '../services/backup';
import { systemClock } from '../services/clock';
import { ServiceError } from '../services/errors';
import { parse, UsageError } from './args';
import { CommandFailed, type CliContext } from './commands';
import { chainHeadsText } from './format';

async function reported<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ServiceError) throw new CommandFailed(error.message);
    throw error;
  }
}

function retentionCount(flag: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 1000) throw new UsageError(`--${flag}: "${value}" is not a whole number from 0 to 1000`);
  return n;
}

/** `firebreak backup config [--on|--off] [--daily N] [--weekly N] [--monthly N]`: automatic backups. */
async function backupConfig(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = parse(args, {
    on: { type: 'boolean' },
    off: { type: 'boolean' },
    daily: { type: 'string' },
    weekly: { type: 'string' },
    monthly: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (values.on && values.off) throw new UsageError('--on and --off contradict each other');
  const retention = {
    ...(values.daily !== undefined && { daily: retentionCount('daily', values.daily) }),
    ...(values.weekly !== undefined && { weekly: retentionCount('weekly', values.weekly) }),
    ...(values.monthly !== undefined && { monthly: retentionCount('monthly', values.monthly) }),
  };
  const settings = await reported(async () =>
    writeBackupSettings(ctx.services.home, { ...(values.on ? { enabled: true } : values.off ? { enabled: false } : {}), retention }),
  );
  if (values.json) ctx.out(JSON.stringify(settings, null, 2));
  else
    ctx.out(
      `Automatic backups ${settings.enabled ? 'on' : 'off'}: keep ${settings.retention.daily} daily, ${settings.retention.weekly} weekly, ${settings.retention.monthly} monthly (in ${ctx.services.home}/backups/auto).`,
    );
  return 0;
}

/** `firebreak backup --out FILE`: an online backup (safe while the app runs), hashed and recorded. */
export async function backupCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args[0] === 'config') return backupConfig(ctx, args.slice(1));
  const { values } = parse(args, { out: { type: 'string', short: 'o' }, json: { type: 'boolean' } });
  if (!values.out) throw new UsageError('--out FILE is required');
  const backups = new BackupService(ctx.services.home, ctx.services.clock, ctx.services.db, ctx.services.secrets);
  const record = await reported(() => backups.backup(values.out!));
  if (values.json) ctx.out(JSON.stringify(record, null, 2));
  else {
    const heads = record.heads ?? [];
    ctx.out(
      `Backup written: ${record.path} (${record.bytes} bytes, ${record.durationMs} ms)\nsha256 ${record.sha256}` +
        (heads.length ? `\nChain heads (recorded in ${ctx.services.home}/backups/backups.jsonl):\n${chainHeadsText(heads)}` : ''),
    );
  }
  return 0;
}

/**
 * `firebreak restore FILE`: runs without opening the live database, verifies the backup
 * (recorded hash, SQLite integrity, schema version, every hash chain) before replacing
 * anything, and keeps the replaced database aside.
 */
export async function restoreCommand(home: string, args: string[], out: (text: string) => void): Promise<number> {
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, unrecorded: { type: 'boolean' } });
  const file = positionals[0];
  if (!file) throw new UsageError('missing backup file: restore FILE [--unrecorded]');
  if (positionals.length > 1) throw new UsageError(`restore takes one file, not ${positionals.length}`);
  const report = await reported(() => new BackupService(home, systemClock).restore(file, { unrecorded: values.unrecorded === true }));
  if (values.json) out(JSON.stringify(report, null, 2));
  else
    out(
      [
        `Restored ${report.restoredFrom} (${report.timelineEntries} timeline entries verified, ${report.durationMs} ms).`,
        report.previousKeptAt ? `The database it replaced is kept at ${report.previousKeptAt}.` : 'There was no database to replace.',
        ...(report.heads.length ? ['Chain heads:', chainHeadsText(report.heads)] : []),
      ].join('\n'),
    );
  return 0;
}
