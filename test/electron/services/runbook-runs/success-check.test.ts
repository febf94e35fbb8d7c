import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Services } from '../../../../electron/services';
import { checkFailure } from '../../../../shared/command-check';
import { parseFenceInfo } from '../../../../electron/services/runbooks/attributes';
import { createRunFixture, type RunFixture } from './fixture';

const RUNBOOK = `---
id: checks
title: Checks
severity: [high]
applies_to: [outage]
version: 1.0.0
---

# Checks

## Verify

- [ ] Health {#health}

  \`\`\`sh {name=health rejectOutput="health check failed"}
  false || echo "health check failed"
  \`\`\`

- [ ] Answers {#answers}

  \`\`\`sh {name=answers expectOutput="^HTTP 2\\d\\d"}
  echo "HTTP 200"
  \`\`\`

- [ ] Grep finds nothing {#none}

  \`\`\`sh {name=none expectExit=1}
  exit 1
  \`\`\`
`;

// Issue 15: a step can say what success means; exit 0 with "health check failed" is a failure.
describe('runbook success checks (expectExit / expectOutput / rejectOutput)', () => {
  let f: RunFixture;
  let s: Services;
  let incidentId: number;
  beforeEach(() => {
    f = createRunFixture();
    fs.writeFileSync(path.join(f.home, 'runbooks-src', 'checks.md'), RUNBOOK);
    s = f.reopen();
    incidentId = s.incidents.create({ title: 'API down', severity: 'high', services: [] }).id;
  });
  afterEach(async () => f.cleanup());

  it('shows exit 0 with "health check failed" in the output as failed, in the run, on the step and on the timeline', async () => {
    const run = await s.runbooks.start(incidentId, 'checks');
    const term = s.terminals.create({ incidentId, cols: 120, rows: 30 });
    const outcome = await s.runner.runStep({ runId: run.id, stepId: 'checks/verify/health', terminalId: term.id });
    expect(outcome.exitCode).toBe(0);
    expect(outcome.checkFailed).toBe('output matched "health check failed"');
    expect(outcome.run.steps['checks/verify/health']!.lastRun).toMatchObject({ exitCode: 0, checkFailed: 'output matched "health check failed"' });
    const entry = s.timeline.list(incidentId).filter((e) => e.kind === 'command.finished').at(-1)!;
    expect(entry.data).toMatchObject({ exitCode: 0, checkFailed: 'output matched "health check failed"' });
  });

  it('Run all: an expected non-zero exit and matching output pass; a failed check stops it and marks the step failed', async () => {
    const run = await s.runbooks.start(incidentId, 'checks');
    const term = s.terminals.create({ incidentId, cols: 120, rows: 30 });
    s.runbooks.setStep({ runId: run.id, stepId: 'checks/verify/health', status: 'skipped', reason: 'later' });
    const all = await s.runner.runAll({ runId: run.id, phaseId: 'verify', terminalId: term.id });
    expect(all.stoppedAt).toBeNull();
    expect(all.run.steps['checks/verify/answers']!.status).toBe('done');
    expect(all.run.steps['checks/verify/none']!.status).toBe('done');

    const again = await s.runbooks.start(incidentId, 'checks');
    const stopped = await s.runner.runAll({ runId: again.id, phaseId: 'verify', terminalId: term.id });
    expect(stopped.stoppedAt).toBe('checks/verify/health');
    expect(stopped.run.steps['checks/verify/health']).toMatchObject({ status: 'failed', note: 'Run all stopped here: output matched "health check failed"' });
  });

  it('a pattern RE2 cannot run is a lint error naming the attribute', () => {
    const parsed = parseFenceInfo('sh {rejectOutput="(a)\\1"}', 1);
    expect(parsed.problems.map((p) => p.message)).toEqual([expect.stringMatching(/^attribute rejectOutput: .*backreferences/)]);
    expect(parseFenceInfo('sh {expectExit=300}', 1).problems.map((p) => p.message)).toEqual(['attribute expectExit="300" is invalid: expected an exit code from 0 to 255']);
  });

  it('the bundled recovery checks use it (en and ja alike): a loop that never got an answer, or the wrong version, is a failure', async () => {
    const bundled = createRunFixture();
    try {
      // The bundled folder, as the app loads it.
      const { createServices } = await import('../../../../electron/services');
      const app = createServices({ home: path.join(bundled.home, 'app'), identity: { actor: 'a', host: 'h' } });
      try {
        for (const lang of ['en', 'ja']) {
          const books = { rollback: await app.runbooks.runbook('rollback', lang), 'critical-total-outage': await app.runbooks.runbook('critical-total-outage', lang) };
          expect(books.rollback.lang).toBe(lang);
          const byName = (id: keyof typeof books, name: string) =>
            books[id].phases.flatMap((p) => p.steps.flatMap((st) => st.commands)).find((b) => b.attributes.name === name)!.attributes;
          expect(checkFailure(byName('rollback', 'verify-version'), 0, 'NOT on v1.4.2\n')).toBe('output matched "NOT on "');
          expect(checkFailure(byName('rollback', 'verify-version'), 0, 'running v1.4.2\n')).toBeNull();
          for (const [id, name] of [['rollback', 'verify-health'], ['rollback', 'verify-health-win'], ['critical-total-outage', 'verify-up'], ['critical-total-outage', 'verify-up-win']] as const) {
            expect(checkFailure(byName(id, name), 0, 'curl: (7) Failed to connect\n'), `${lang} ${id} ${name}`).toMatch(/did not match/);
            expect(checkFailure(byName(id, name), 0, 'HTTP 200 in 0.01s\n')).toBeNull();
          }
        }
      } finally {
        app.close();
      }
    } finally {
      await bundled.cleanup();
    }
  });
});
