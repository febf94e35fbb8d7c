import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../../../electron/services/clock';
import { MIGRATIONS } from '../../../../electron/services/db/migrations';
import { openDatabase, type Db } from '../../../../electron/services/db/open';
import type { GaugeAlert } from '../../../../electron/services/gauges/alerts';
import { GaugeHistoryRepository, MonitorSettingsRepository, RULES_SETTINGS_KEY } from '../../../../electron/services/gauges/repository';
import { DEFAULT_RULES, parseRulesConfig } from '../../../../shared/gauge-rules';
import { ManualScheduler } from '../../../../electron/services/gauges/scheduler';
import { GaugeService } from '../../../../electron/services/gauges/service';
import { timelineAlertSink } from '../../../../electron/services/gauges/timeline-sink';
import { TimelineService } from '../../../../electron/services/timeline';
import { FakeSource } from './fake-source';

let dir: string | undefined;
let db: Db | undefined;
afterEach(() => {
  db?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
  db = undefined;
  dir = undefined;
});

function openDb(): Db {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-gauges-'));
  db = openDatabase(path.join(dir, 'test.db'), { migrations: MIGRATIONS });
  return db;
}

function insertIncident(db: Db): number {
  const now = '2026-01-01T00:00:00.000Z';
  const r = db
    .prepare(`INSERT INTO incidents (title, severity, status, detected_at, created_at, updated_at) VALUES ('t', 'high', 'detected', ?, ?, ?)`)
    .run(now, now, now);
  return Number(r.lastInsertRowid);
}

describe('GaugeService', () => {
  it('raises alerts into the sink and persists one-minute history only while an incident is open', async () => {
    const db = openDb();
    expect(db.pragma('user_version', { simple: true })).toBeGreaterThanOrEqual(3);
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const scheduler = new ManualScheduler(clock);
    const source = new FakeSource();
    const history = new GaugeHistoryRepository(db);
    const alerts: GaugeAlert[] = [];
    let incident: number | null = null;
    const service = new GaugeService({ source, clock, scheduler, history, onAlert: (a) => alerts.push(a), activeIncident: () => incident });
    const levels: string[] = [];
    service.onUpdate((u) => levels.push(u.levels.cpu));
    await service.start();
    await scheduler.advance(120_000); // no incident: nothing stored
    const id = insertIncident(db);
    incident = id;
    source.cpuValue = 95;
    await scheduler.advance(180_000);
    expect(alerts.map((a) => [a.kind, a.to])).toEqual([['alert.raised', 'danger']]);
    expect(levels[levels.length - 1]).toBe('danger');
    source.cpuValue = 10;
    await scheduler.advance(120_000);
    service.stop();
    expect(alerts.map((a) => a.kind)).toEqual(['alert.raised', 'alert.cleared']);
    const rows = history.list(id, { metric: 'cpu' });
    expect(rows.length).toBeGreaterThanOrEqual(5);
    expect(rows.some((r) => r.max === 95)).toBe(true);
    expect(rows.every((r) => r.bucketMs === 60_000 && r.samples <= 60)).toBe(true);
    expect(rows[0]!.bucketStart).toBeGreaterThanOrEqual(Date.parse('2026-01-01T00:02:00Z'));
    expect(history.list(id, { metric: 'disk', subject: '/' }).length).toBeGreaterThan(0);
  });

  it('stores edited rules in monitor_settings, validated', () => {
    const db = openDb();
    const settings = new MonitorSettingsRepository(db, new ManualClock());
    expect(settings.get(RULES_SETTINGS_KEY, parseRulesConfig)).toBeUndefined();
    const edited = { ...DEFAULT_RULES, defaults: { ...DEFAULT_RULES.defaults, hysteresis: 3 } };
    settings.set(RULES_SETTINGS_KEY, edited, parseRulesConfig);
    expect(settings.get(RULES_SETTINGS_KEY, parseRulesConfig)?.defaults.hysteresis).toBe(3);
    expect(() => settings.set(RULES_SETTINGS_KEY, { rules: 'nope' } as never, parseRulesConfig)).toThrow();
  });
});

describe('timelineAlertSink', () => {
  it('appends a forced threshold crossing to the open incident as alert.raised / alert.cleared', async () => {
    const db = openDb();
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const timeline = new TimelineService(db, clock, { actor: 'tester', host: 'box' });
    const scheduler = new ManualScheduler(clock);
    const source = new FakeSource();
    let incident: number | null = null;
    const sink = timelineAlertSink(db, timeline, () => (incident === null ? [] : [incident]));
    const service = new GaugeService({ source, clock, scheduler, onAlert: sink, activeIncident: () => incident });
    await service.start();
    source.memPercent = 95;
    await scheduler.advance(30_000); // raised while no incident is open: dropped
    incident = insertIncident(db);
    source.memPercent = 10;
    await scheduler.advance(120_000);
    source.diskPercent = 97;
    await scheduler.advance(30_000);
    service.stop();
    const entries = timeline.list(incident);
    expect(entries.map((e) => [e.kind, e.data.metric, e.data.to])).toEqual([
      ['alert.cleared', 'memory', 'normal'],
      ['alert.raised', 'disk', 'danger'],
    ]);
    expect(entries[1]!.data).toMatchObject({ source: 'gauge', subject: '/', value: 97, threshold: 90, rule: 'disk.level', from: 'normal' });
    expect(timeline.verify(incident).ok).toBe(true);
  });

  it('writes each crossing once when two processes sample the same profile, and again after a restart', () => {
    const db = openDb();
    const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
    const timeline = new TimelineService(db, clock, { actor: 'tester', host: 'box' });
    const incident = insertIncident(db);
    const alive = new Set([111, 222]);
    const isAlive = (pid: number) => alive.has(pid);
    // The app (111) and `firebreak serve` (222) on one profile.
    const app = timelineAlertSink(db, timeline, () => [incident], { pid: 111, host: 'box', isAlive });
    const serve = timelineAlertSink(db, timeline, () => [incident], { pid: 222, host: 'box', isAlive });
    const disk = (kind: GaugeAlert['kind'], to: GaugeAlert['to'], at: string, subject = '/'): GaugeAlert => ({
      kind,
      source: 'gauge',
      metric: 'disk',
      subject,
      rule: 'disk.level',
      ruleKind: 'level',
      from: 'normal',
      to,
      value: 97,
      threshold: 90,
      unit: '%',
      at,
      message: `disk ${subject} ${to}`,
    });
    app(disk('alert.raised', 'warning', '2026-01-01T00:00:01Z'));
    serve(disk('alert.raised', 'warning', '2026-01-01T00:00:01.400Z'));
    // An escalation is a transition of its own, whoever sees it.
    serve(disk('alert.raised', 'danger', '2026-01-01T00:01:00Z'));
    app(disk('alert.raised', 'danger', '2026-01-01T00:01:00.300Z'));
    serve(disk('alert.cleared', 'normal', '2026-01-01T00:05:00Z'));
    app(disk('alert.cleared', 'normal', '2026-01-01T00:05:00.600Z'));
    // Another subject is its own alert.
    serve(disk('alert.raised', 'danger', '2026-01-01T00:06:00Z', '/var'));
    expect(timeline.list(incident).map((e) => [e.kind, e.data.subject, e.data.to, e.data.at])).toEqual([
      ['alert.raised', '/', 'warning', '2026-01-01T00:00:01Z'],
      ['alert.raised', '/', 'danger', '2026-01-01T00:01:00Z'],
      ['alert.cleared', '/', 'normal', '2026-01-01T00:05:00Z'],
      ['alert.raised', '/var', 'danger', '2026-01-01T00:06:00Z'],
    ]);
    // Both stop while /var is on; the app starts again (333) and still sees it: recorded again.
    alive.clear();
    alive.add(333);
    const restarted = timelineAlertSink(db, timeline, () => [incident], { pid: 333, host: 'box', isAlive });
    restarted(disk('alert.raised', 'danger', '2026-01-01T00:06:30Z', '/var'));
    // A pid that lives again (reused after a reboot) does not silence an old record either.
    alive.add(222);
    const later = timelineAlertSink(db, timeline, () => [incident], { pid: 444, host: 'box', isAlive });
    later(disk('alert.raised', 'danger', '2026-01-01T03:00:00Z', '/var'));
    expect(timeline.list(incident).map((e) => e.data.at).slice(-2)).toEqual(['2026-01-01T00:06:30Z', '2026-01-01T03:00:00Z']);
    expect(timeline.verify(incident).ok).toBe(true);
  });
});
