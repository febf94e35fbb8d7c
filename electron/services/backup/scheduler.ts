import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { BackupService } from './backup-service';
import { readBackupSettings } from './settings';

const HOUR = 3_600_000;

/**
 * While the app or `serve` runs: claims the profile (so a restore elsewhere refuses to
 * run), makes the day's automatic backup at start and checks again every hour, following
 * <home>/settings/backups.json (on by default, 7 daily / 4 weekly / 12 monthly).
 */
export function startAutoBackups(home: string, clock: Clock, db: Db): () => void {
  const backups = new BackupService(home, clock, db);
  const release = backups.claimProfile();
  const run = async () => {
    // Read each time, so `firebreak backup config` takes effect without a restart.
    const settings = readBackupSettings(home);
    if (settings.enabled) await backups.autoBackup(settings.retention);
  };
  const safeRun = () =>
    run().catch((error: unknown) => {
      // A full disk must not take the console down; the next check tries again.
      console.warn('firebreak: automatic backup failed:', error instanceof Error ? error.message : error);
    });
  void safeRun();
  const timer = setInterval(safeRun, HOUR);
  timer.unref();
  return () => {
    clearInterval(timer);
    release();
  };
}
