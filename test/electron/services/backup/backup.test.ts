import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackupService, selectRetained } from '../../../../electron/services/backup';
import { ManualClock } from '../../../../electron/services/clock';
import { createServices } from '../../../../electron/services';
import { tempHome } from '../../../support/temp-home';

describe('BackupService', () => {
  let home: ReturnType<typeof tempHome>;
  let profile: string;
  const clock = new ManualClock(Date.parse('2026-11-23T09:00:00Z'));
  beforeEach(() => {
    home = tempHome();
    profile = path.join(home.dir, 'profile');
  });
  afterEach(() => home.cleanup());

  function seed(notes: number) {
    const services = createServices({ home: profile, clock });
    const incident = services.incidents.create({ title: 'Disk full', severity: 'high' });
    for (let i = 0; i < notes; i++) services.incidents.addNote(incident.id, `note ${i}`);
    return services;
  }

  it('backs up while the app writes, then restores and verifies (seed 003: within 10 minutes)', async () => {
    const services = seed(500);
    const backups = new BackupService(profile, clock, services.db);
    const record = await backups.backup(path.join(home.dir, 'out', 'b1.db'));
    expect(record.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(`${record.path}.sha256`, 'utf8')).toContain(record.sha256);
    services.incidents.addNote(1, 'written after the backup');
    services.close();

    const report = await new BackupService(profile, clock).restore(record.path);
    console.info(`backup ${record.durationMs} ms, restore ${report.durationMs} ms for ${report.timelineEntries} entries`);
    expect(report.timelineEntries).toBe(501);
    expect(report.durationMs).toBeLessThan(10 * 60_000);
    expect(report.previousKeptAt && fs.existsSync(report.previousKeptAt)).toBe(true);

    const restored = createServices({ home: profile, clock });
    expect(restored.timeline.list(1)).toHaveLength(501);
    expect(restored.timeline.verify().ok).toBe(true);
    restored.close();
  });

  it('refuses a backup that changed after it was made, replacing nothing', async () => {
    const services = seed(3);
    const record = await new BackupService(profile, clock, services.db).backup(path.join(home.dir, 'b.db'));
    services.close();
    fs.chmodSync(record.path, 0o600);
    const bytes = fs.readFileSync(record.path);
    const at = bytes.length - 100;
    bytes.writeUInt8(bytes.readUInt8(at) ^ 0xff, at);
    fs.writeFileSync(record.path, bytes);
    const before = fs.readFileSync(path.join(profile, 'firebreak.db'));
    await expect(new BackupService(profile, clock).restore(record.path)).rejects.toThrow(/does not match its recorded SHA-256/);
    expect(fs.readFileSync(path.join(profile, 'firebreak.db')).equals(before)).toBe(true);
  });

  it('refuses a file that is not a Firebreak database, and a missing one', async () => {
    const junk = path.join(home.dir, 'junk.db');
    fs.writeFileSync(junk, 'not sqlite at all');
    await expect(new BackupService(profile, clock).restore(junk)).rejects.toThrow(/not a Firebreak backup|integrity|not a database/);
    await expect(new BackupService(profile, clock).restore(path.join(home.dir, 'nope.db'))).rejects.toThrow(/does not exist/);
  });

  it('refuses to restore under a running app', async () => {
    const services = seed(1);
    const backups = new BackupService(profile, clock, services.db);
    const record = await backups.backup(path.join(home.dir, 'b.db'));
    fs.writeFileSync(path.join(profile, 'firebreak.pid'), String(process.ppid));
    await expect(new BackupService(profile, clock).restore(record.path)).rejects.toThrow(/running on this profile/);
    services.close();
  });

  it('makes one automatic backup a day and prunes by the retention policy', async () => {
    const services = seed(1);
    const backups = new BackupService(profile, clock, services.db);
    for (let day = 0; day < 40; day++) {
      clock.set(Date.parse('2026-10-01T03:00:00Z') + day * 86_400_000);
      expect(await backups.autoBackup()).toBeDefined();
      expect(await backups.autoBackup()).toBeUndefined();
    }
    const kept = fs.readdirSync(path.join(profile, 'backups', 'auto')).filter((n) => n.endsWith('.db'));
    expect(kept.length).toBeGreaterThanOrEqual(7);
    expect(kept.length).toBeLessThanOrEqual(7 + 4 + 2);
    services.close();
  });
});

describe('retention (7 daily, 4 weekly, 12 monthly)', () => {
  it('keeps the newest of each recent day, week and month', () => {
    const items = Array.from({ length: 400 }, (_, i) => ({ at: new Date(Date.parse('2026-11-23T00:00:00Z') - i * 86_400_000) }));
    const keep = selectRetained(items);
    const days = [...keep].map((k) => k.at.toISOString().slice(0, 10)).sort().reverse();
    expect(days.slice(0, 7)).toEqual(['2026-11-23', '2026-11-22', '2026-11-21', '2026-11-20', '2026-11-19', '2026-11-18', '2026-11-17']);
    expect(keep.size).toBeLessThanOrEqual(7 + 4 + 12);
    expect(days.at(-1)! >= '2025-12-01').toBe(true);
  });
});

describe('automatic backup settings', () => {
  it('defaults to on with 7/4/12, saves changes, and names the field of a bad file', async () => {
    const { readBackupSettings, writeBackupSettings, backupSettingsFile } = await import('../../../../electron/services/backup/settings');
    const home = tempHome();
    try {
      expect(readBackupSettings(home.dir)).toEqual({ enabled: true, retention: { daily: 7, weekly: 4, monthly: 12 } });
      expect(writeBackupSettings(home.dir, { enabled: false, retention: { monthly: 24 } })).toEqual({ enabled: false, retention: { daily: 7, weekly: 4, monthly: 24 } });
      expect(readBackupSettings(home.dir).retention.monthly).toBe(24);
      fs.writeFileSync(backupSettingsFile(home.dir), JSON.stringify({ retention: { daily: -1, weekly: 4, monthly: 12 } }));
      expect(() => readBackupSettings(home.dir)).toThrow(/backups\.json: retention\.daily: /);
      fs.writeFileSync(backupSettingsFile(home.dir), '{oops');
      expect(() => readBackupSettings(home.dir)).toThrow(/backups\.json: not valid JSON/);
    } finally {
      home.cleanup();
    }
  });
});
