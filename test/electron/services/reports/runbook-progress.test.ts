import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRunFixture, type RunFixture } from '../runbook-runs/fixture';
import { reportService } from './fixture';

// Issue 15: "4/5 done" for a 12-step runbook, because only touched steps were counted.
describe('runbook progress in reports counts every step of the runbook', () => {
  let f: RunFixture;
  let incidentId: number;
  beforeEach(() => {
    f = createRunFixture();
    incidentId = f.services.incidents.create({ title: 'Checkout down', severity: 'high', services: [], tags: [] }).id;
  });
  afterEach(async () => f.cleanup());

  it('says done out of all steps and lists the pending ones, in English and Japanese', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', 'en');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/target', status: 'skipped', reason: 'no target' });
    const render = (language: 'en' | 'ja') => reportService(f.services).render({ incidentId, template: 'incident-report', format: 'md', redact: false, language }).text;
    const en = render('en');
    expect(en).toMatch(/1\/6 done, 1 skipped, 0 failed; not run: Fail on purpose; Never reached; Restart it; Write it down/);
    expect(en).toContain('- [ ] Write it down — not run');
    expect(render('ja')).toMatch(/1\/6 完了.*; 未実施: /);
  });
});
