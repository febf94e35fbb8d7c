import type { Services } from '../../../../electron/services';
import type { ManualClock } from '../../../../electron/services/clock';
import { ReportService, type PdfRenderer } from '../../../../electron/services/reports';

const MIN = 60_000;

/** A reports service over the fixture's real services (the app wires the same in createServices). */
export function reportService(services: Services, pdf?: PdfRenderer): ReportService {
  // Times in UTC whatever the machine's zone, so expectations never depend on where tests run.
  return new ReportService({ db: services.db, timeline: services.timeline, incidents: services.incidents, clock: services.clock, home: services.home, timeZone: 'UTC', ...(pdf ? { pdf } : {}) });
}

/**
 * An incident that went through everything the other features write: a runbook run with
 * done/skipped/failed steps, commands with exit codes, evidence with hashes, alerts, a
 * rollback, notes (one with a secret in it), a correction. Appended with TimelineService
 * directly, using the stable timeline kinds.
 */
export function seedFullIncident(services: Services, clock: ManualClock): number {
  const { incidents, timeline } = services;
  const incident = incidents.create({
    title: 'Checkout API returns 502',
    severity: 'high',
    summary: 'Error rate above 40% on /checkout since 09:12.',
    impact: 'All customers could not pay for about 50 minutes.',
    responder: 'alice',
    services: ['api', 'redis'],
  });
  const id = incident.id;
  const add = (kind: string, data: Record<string, unknown>, advance = MIN) => {
    clock.advance(advance);
    return timeline.append({ incidentId: id, kind, data });
  };
  add('alert.raised', { source: 'gauge', metric: 'cpu', subject: '', rule: 'cpu.level', value: 93.5, threshold: 85, unit: '%', message: 'cpu 93.5% > 85%' });
  clock.advance(10 * MIN);
  incidents.transition({ id, to: 'acknowledged' });
  add('runbook.started', { runId: 'r1', runbookId: 'redis-recovery', title: 'Redis recovery' });
  add('command.finished', { runId: 'r1', stepId: 's1', command: 'redis-cli -a hunter2pass ping', exitCode: 0, durationMs: 1200, hash: 'a'.repeat(64) });
  add('runbook.step', { runId: 'r1', runbookId: 'redis-recovery', stepId: 's1', title: 'Ping redis', status: 'done' });
  add('runbook.step', { runId: 'r1', runbookId: 'redis-recovery', stepId: 's2', title: 'Flush cache', status: 'skipped', reason: 'cache is not the cause' });
  add('command.finished', { runId: 'r1', stepId: 's3', command: 'systemctl restart api | tee out.log', exitCode: 1, durationMs: 4000, hash: 'b'.repeat(64) });
  add('runbook.step', { runId: 'r1', runbookId: 'redis-recovery', stepId: 's3', title: 'Restart api', status: 'failed' });
  add('runbook.finished', { runId: 'r1', runbookId: 'redis-recovery', status: 'failed' });
  add('evidence.collected', {
    collectionId: 1,
    collector: 'logs',
    final: true,
    artifacts: [
      { id: 1, name: 'logs/errors.log', status: 'ok', sha256: 'c'.repeat(64), size: 20480 },
      { id: 2, name: 'logs/main_recent.log', status: 'ok', sha256: 'd'.repeat(64), size: 512 },
    ],
  });
  const note = incidents.addNote(id, 'Deploy 2026.11.2 set DATABASE_URL=postgres://app:s3cretpw@db:5432/app wrongly');
  incidents.correct(id, note.id, 'It was deploy 2026.11.3');
  add('runbook.started', { runId: 'rb1', runbookId: 'rollback', title: 'Rollback', variables: { version: '2026.11.1', reason: 'bad environment variable in 2026.11.3' } });
  add('runbook.step', { runId: 'rb1', runbookId: 'rollback', stepId: 'switch', title: 'Switch traffic to blue', status: 'done' });
  add('runbook.step', { runId: 'rb1', runbookId: 'rollback', stepId: 'db', title: 'Roll back database', status: 'skipped', reason: 'no schema change' });
  add('runbook.step', { runId: 'rb1', runbookId: 'rollback', stepId: 'verify', title: 'Verify health checks', status: 'done' });
  add('runbook.finished', { runId: 'rb1', runbookId: 'rollback', status: 'succeeded' });
  add('alert.cleared', { source: 'gauge', metric: 'cpu', subject: '', rule: 'cpu.level', value: 40, threshold: 80, unit: '%', message: 'cpu back to 40%' });
  add('probe.custom-kind', { detail: 'something another feature added' });
  incidents.addNote(id, 'Root cause: the deploy script did not set DATABASE_URL for the canary');
  clock.advance(5 * MIN);
  incidents.transition({ id, to: 'mitigated', reason: 'skipping investigating: cause was obvious' });
  clock.advance(5 * MIN);
  incidents.transition({ id, to: 'resolved' });
  return id;
}
