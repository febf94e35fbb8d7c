import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { ServiceError } from '../errors';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';

// Automatic-backup settings live in <home>/settings/backups.json, so the CLI and the app
// read the same choice.

const count = z.number().int().min(0).max(1000);
export const backupSettingsSchema = z.strictObject({
  enabled: z.boolean().default(true),
  retention: z.strictObject({ daily: count, weekly: count, monthly: count }).default(DEFAULT_RETENTION),
});

export type BackupSettings = z.output<typeof backupSettingsSchema>;

export function backupSettingsFile(home: string): string {
  return path.join(home, 'settings', 'backups.json');
}

/** The saved settings, or the defaults; a damaged file is an error naming the file and field. */
export function readBackupSettings(home: string): BackupSettings {
  const file = backupSettingsFile(home);
  if (!fs.existsSync(file)) return backupSettingsSchema.parse({});
  let raw: unknown;
  try {
    raw = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (error) {
    throw new ServiceError('invalid_input', `${file}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = backupSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ServiceError('invalid_input', `${file}: ${issue.path.join('.') || 'settings'}: ${issue.message}`);
  }
  return parsed.data;
}

export function writeBackupSettings(home: string, settings: { enabled?: boolean; retention?: Partial<RetentionPolicy> }): BackupSettings {
  const current = readBackupSettings(home);
  const next = backupSettingsSchema.parse({ enabled: settings.enabled ?? current.enabled, retention: { ...current.retention, ...settings.retention } });
  const file = backupSettingsFile(home);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(`${file}.tmp`, `${JSON.stringify(next, null, 2)}\n`);
  fs.renameSync(`${file}.tmp`, file);
  return next;
}
