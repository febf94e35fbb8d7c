export { BackupService, type BackupRecord, type RestoreReport } from './backup-service';
export { DEFAULT_RETENTION, selectRetained, isoWeekKey, type RetentionPolicy } from './retention';
export { startAutoBackups } from './scheduler';
export { readBackupSettings, writeBackupSettings, backupSettingsSchema, type BackupSettings } from './settings';
