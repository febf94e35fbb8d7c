// Escalation on a long incident (issue 17): the Communications view and the header ask for
// the escalation state every 30 s per open incident (which runs the triggers first), and
// drafting an update reads the record. Measured on a 100,000-entry incident against a
// 100-entry one, and against the timeline's own newest-page read, in the same run.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ManualClock } from '../../electron/services/clock';
import { createServices, type Services } from '../../electron/services';

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

function time(fn: () => unknown, runs: number): number {
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = process.hrtime.bigint();
    fn();
    samples.push(Number(process.hrtime.bigint() - start) / 1e6);
  }
  return Number(median(samples).toFixed(3));
}

function fill(services: Services, entries: number): number {
  const { incidents, timeline, escalation, updates } = services;
  const id = incidents.create({ title: `incident with ${entries} entries`, severity: 'critical' }).id;
  escalation.escalate({ incidentId: id, level: 2, contact: 'Sato', via: 'phone', reason: 'bench' });
  updates.record({ incidentId: id, language: 'en', via: 'other', text: 'first update', subject: '' });
  const batch = 1000;
  for (let done = 3; done < entries; done += batch) {
    const n = Math.min(batch, entries - done);
    // Mostly what a long incident is made of: alerts and command runs, some notes.
    timeline.appendMany(
      Array.from({ length: n }, (_, i) =>
        (done + i) % 10 === 0
          ? { incidentId: id, kind: 'note', data: { text: `note ${done + i}` } }
          : { incidentId: id, kind: (done + i) % 2 ? 'alert.raised' : 'command.finished', data: { metric: 'cpu', value: (done + i) % 100, command: 'true', exitCode: 0 } },
      ),
    );
  }
  return id;
}

export async function runEscalationBench(options: { entries?: number; runs?: number } = {}): Promise<Record<string, unknown>> {
  const entries = options.entries ?? 100_000;
  const runs = options.runs ?? 30;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-bench-escalation-'));
  const clock = new ManualClock(Date.parse('2026-12-07T01:00:00Z'));
  const services = createServices({ home: dir, clock, identity: { actor: 'bench', host: os.hostname() } });
  try {
    const big = fill(services, entries);
    const small = fill(services, 100);
    const { escalation, updates, timeline } = services;
    const measure = (id: number) => ({
      stateWithCheckMs: time(() => (escalation.check(id), escalation.state(id)), runs),
      draftMs: time(() => updates.draft(id, 'ja'), runs),
      // Baselines: opening the incident (its view counts the timeline) and the timeline view's newest 200 entries.
      incidentGetMs: time(() => services.incidents.get(id), runs),
      newestPageMs: time(() => timeline.list(id, Math.max(0, services.db.prepare<[number], { n: number }>('SELECT MAX(seq) AS n FROM timeline WHERE incident_id = ?').get(id)!.n - 200)), runs),
    });
    const large = measure(big);
    const baseline = measure(small);
    return {
      entries,
      runs,
      [`incident${entries}`]: large,
      incident100: baseline,
      stateOverIncidentGet: Number((large.stateWithCheckMs / large.incidentGetMs).toFixed(2)),
      draftOverIncidentGet: Number((large.draftMs / large.incidentGetMs).toFixed(2)),
      stateOverNewestPage: Number((large.stateWithCheckMs / large.newestPageMs).toFixed(2)),
      target: 'state+check <= 2x and draft <= 3x opening the same incident (incidents.get): no whole-timeline scan of its own',
    };
  } finally {
    services.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void runEscalationBench().then((r) => console.log(JSON.stringify(r, null, 2)));
}
