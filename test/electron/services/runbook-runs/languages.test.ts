import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runbookInLanguage } from '../../../../shared/runbook-runs';
import { createRunFixture, type RunFixture } from './fixture';
import { TEST_RUNBOOK_JA } from './fixture-ja';

describe('runbook runs in the operator\'s language', () => {
  let f: RunFixture;
  let incidentId: number;
  let jaFile: string;
  beforeEach(async () => {
    f = createRunFixture();
    jaFile = path.join(f.home, 'runbooks-src', 'drill.ja.md');
    fs.writeFileSync(jaFile, TEST_RUNBOOK_JA);
    await f.services.runbooks.reload();
    incidentId = f.services.incidents.create({ title: 'Checkout down', severity: 'high', services: [], tags: ['outage'] }).id;
  });
  afterEach(async () => f.cleanup());

  it('lists and suggests each runbook in the language asked for, falling back to its own', async () => {
    expect((await f.services.runbooks.catalogView('ja')).runbooks.map((r) => r.title)).toEqual(['訓練']);
    expect((await f.services.runbooks.catalogView('en')).runbooks.map((r) => r.title)).toEqual(['Drill']);
    expect((await f.services.runbooks.catalogView('de')).runbooks.map((r) => r.title)).toEqual(['Drill']);
    expect((await f.services.runbooks.suggest(incidentId, 'ja')).map((s) => s.runbook.title)).toEqual(['訓練']);
  });

  it('a run records the language and the hash of the file it used, and keeps the other language', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', 'ja');
    expect(run).toMatchObject({ lang: 'ja', title: '訓練', runbookChanged: false });
    expect(run.sha256).toBe(createHash('sha256').update(fs.readFileSync(jaFile)).digest('hex'));
    expect(run.runbook.file).toBe(jaFile);
    expect(Object.keys(run.translations)).toEqual(['en']);
    expect(run.translations.en!.title).toBe('Drill');
    const started = f.services.timeline.list(incidentId).find((e) => e.kind === 'runbook.started')!;
    expect(started.data).toMatchObject({ lang: 'ja', sha256: run.sha256, file: jaFile });

    const fallback = await f.services.runbooks.start(incidentId, 'drill', 'de');
    expect(fallback).toMatchObject({ lang: 'en', title: 'Drill' });
    expect(Object.keys(fallback.translations)).toEqual(['ja']);
  });

  it('progress is keyed by the shared step ids, so it reads the same in either language and after a restart', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', 'ja');
    f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/hello', status: 'done' });
    const view = f.services.runbooks.setStep({ runId: run.id, stepId: 'drill/check/target', status: 'skipped', reason: '対象なし' });
    const idsOf = (r: typeof view.runbook) => r.phases.flatMap((p) => p.steps.map((s) => s.id));
    expect(idsOf(view.translations.en!)).toEqual(idsOf(view.runbook));
    const english = view.translations.en!.phases[0]!.steps.map((s) => [s.text, view.steps[s.id]!.status]);
    expect(english.slice(0, 3)).toEqual([
      ['Say hello', 'done'],
      ['Look at the target', 'skipped'],
      ['Fail on purpose', 'pending'],
    ]);
    const again = f.reopen().runbooks.get(run.id);
    expect(again).toMatchObject({ lang: 'ja', title: '訓練' });
    expect(again.steps['drill/check/hello']!.status).toBe('done');
  });

  it('a run started before runbooks had languages (no language recorded) shows as it was in every language', async () => {
    const run = await f.services.runbooks.start(incidentId, 'drill', 'en');
    f.services.db.prepare('UPDATE runbook_runs SET runbook_lang = NULL, translations_json = NULL WHERE id = ?').run(run.id);
    const legacy = f.services.runbooks.get(run.id);
    expect(legacy).toMatchObject({ lang: null, translations: {}, runbookChanged: false });
    expect(runbookInLanguage(legacy, 'ja').title).toBe('Drill');
  });
});
