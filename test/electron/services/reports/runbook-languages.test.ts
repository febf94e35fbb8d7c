import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunFixture, type RunFixture } from '../runbook-runs/fixture';
import { TEST_RUNBOOK_JA } from '../runbook-runs/fixture-ja';
import { reportService } from './fixture';

describe('reports quote runbook steps in the report\'s language', () => {
  let f: RunFixture;
  let incidentId: number;
  beforeEach(async () => {
    f = createRunFixture();
    fs.writeFileSync(path.join(f.home, 'runbooks-src', 'drill.ja.md'), TEST_RUNBOOK_JA);
    await f.services.runbooks.reload();
    incidentId = f.services.incidents.create({ title: 'Checkout down', severity: 'high', services: [], tags: ['outage'] }).id;
  });
  afterEach(async () => f.cleanup());

  /** The runbook section's checklist lines (`- [x] step — status`). */
  const stepLines = (text: string) => text.split('\n').filter((l) => /^- \[[ x]\] /.test(l));
  const render = (language: 'en' | 'ja') => reportService(f.services).render({ incidentId, template: 'incident-report', format: 'md', redact: false, language }).text;

  it('a run started in Japanese is quoted in English in an English report, and in Japanese in a Japanese one', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', 'ja');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/target', status: 'skipped', reason: '対象なし' });
    // The timeline keeps what the operator saw: the Japanese text.
    expect(f.services.timeline.list(incidentId).find((e) => e.kind === 'runbook.step')!.data).toMatchObject({ title: 'あいさつする' });

    const en = render('en');
    expect(en).toContain('**Drill**');
    expect(en).toMatch(/Say hello — /);
    expect(en).toMatch(/Look at the target — .*対象なし/); // the operator's reason stays as written
    // The runbook section quotes the steps; the timeline section keeps the record as written.
    expect(stepLines(en).length).toBeGreaterThan(1);
    expect(stepLines(en).join('\n')).not.toContain('あいさつする');

    const ja = render('ja');
    expect(ja).toContain('**訓練**');
    expect(ja).toMatch(/あいさつする — /);
    expect(ja).toMatch(/対象を確認する — /);
    expect(stepLines(ja).join('\n')).not.toContain('Say hello');
  });

  it('a run started in English is quoted in Japanese in a Japanese report', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', 'en');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    expect(render('ja')).toMatch(/あいさつする — /);
    expect(render('en')).toMatch(/Say hello — /);
  });
});
