import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath } from '../../../e2e/support/browser';
import { createFixture, type Fixture } from '../fixtures';
import { reportService, seedFullIncident } from './fixture';

// Issue 15: a Japanese report must not fall back to English for the words Firebreak writes
// (action lines, evidence export/verify lines, the footer). What the operator typed stays as typed.
const ENGLISH = /\b(done|skipped|failed|pending|not run|raised|cleared|exported|verified|intact|Evidence|Command|Alert|Runbook|Status|Note|item\(s\)|folder|on laptop-1|from laptop-1)\b/;

describe('Japanese reports say everything Firebreak writes in Japanese', () => {
  let fx: Fixture;
  let id: number;
  beforeAll(() => {
    fx = createFixture();
    id = seedFullIncident(fx.services, fx.clock);
    const add = (kind: string, data: Record<string, unknown>) => fx.services.timeline.append({ incidentId: id, kind, data });
    add('evidence.exported', { path: '/srv/bags/INC-0001', format: 'dir', tagManifestSha256: 'e'.repeat(64) });
    add('evidence.verified', { target: 'bag', path: '/srv/bags/INC-0001', ok: true, filesChecked: 2 });
    add('evidence.verified', { target: 'store', ok: false, failureCount: 1 });
  });
  afterAll(() => fx.cleanup());

  for (const template of ['incident-report', 'postmortem']) {
    it(`${template}: no English words of Firebreak's own`, () => {
      const text = reportService(fx.services).render({ incidentId: id, template, format: 'md', redact: true, language: 'ja' }).text;
      fs.writeFileSync(artifactPath(`report-ja-complete-${template}.md`), text);
      const leftovers = text.split('\n').filter((line) => ENGLISH.test(line));
      expect(leftovers).toEqual([]);
      expect(text).not.toMatch(/件\.$/m);
    });
  }

  it('action lines use the Japanese outcome words and reason brackets', () => {
    const text = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: true, language: 'ja' }).text;
    expect(text).toContain('— Ping redis: 完了');
    expect(text).toContain('— Flush cache: スキップ(cache is not the cause)');
    expect(text).toContain('— Restart api: 失敗');
    const pm = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: true, language: 'ja' }).text;
    expect(pm).toContain('証拠を BagIt バッグ(フォルダー)として /srv/bags/INC-0001 にエクスポート');
    expect(pm).toContain('証拠を検証 (/srv/bags/INC-0001): 改ざんなし');
    expect(pm).toContain('証拠を検証: 不一致(1 件の問題)');
  });
});
