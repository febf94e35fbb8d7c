import type { Clock } from '../clock';
import type { Db } from '../db/open';
import { BackupService } from './backup-service';
import { DEFAULT_RETENTION, type RetentionPolicy } from './retention';

const HOUR = 3_600_000;

/**
 * While the app or `serve` runs: claims the profile (so a restore elsewhere refuses to
 * run), makes the day's automatic backup at start and checks again every hour.
 */
export function startAutoBackups(home: string, clock: Clock, db: Db, policy: RetentionPolicy = DEFAULT_RETENTION): () => void {
  const backups = new BackupService(home, clock, db);
  const release = backups.claimProfile();
  const run = () =>
    backups.autoBackup(policy).catch((error: unknown) => {
      // A full disk must not take the console down; the next check tries again.
      console.warn('firebreak: automatic backup failed:', error instanceof Error ? error.message : error);
    });
  void run();
  const timer = setInterval(run, HOUR);
  timer.unref();
  return () => {
    clearInterval(timer);
    release();
  };
}
