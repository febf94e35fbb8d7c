import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../fixtures';

// Issue 17: the report and postmortem show escalations and exactly what stakeholders were
// told; metrics give time to first escalation and the share of updates sent on time.

describe('escalations and communications in reports and metrics', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = createFixture('2026-12-07T01:00:00.000Z');
  });
  afterEach(() => fx.cleanup());

  function story() {
    const { incidents, escalation, updates } = fx.services;
    const incident = incidents.create({ title: 'API down', severity: 'critical', detectedAt: '2026-12-07T01:00:00.000Z' });
    fx.clock.advance(12 * 60_000);
    escalation.check();
    const state = escalation.escalate({ incidentId: incident.id, level: 2, contact: 'Sato', via: 'phone', reason: 'response SLA nearly breached' });
    fx.clock.advance(3 * 60_000);
    escalation.acknowledge(incident.id, state.escalations[0]!.entryId);
    const draft = updates.draft(incident.id, 'ja');
    const first = updates.record({ incidentId: incident.id, language: 'ja', via: 'clipboard', text: draft.text, subject: draft.subject });
    fx.clock.advance(40 * 60_000);
    const second = updates.record({ incidentId: incident.id, language: 'en', via: 'eml', text: 'Second update: token=abcdef0123456789abcdef', subject: 'API down' });
    return { incident, draft, first, second };
  }

  it('puts both sections in the incident report and the postmortem, in English and Japanese', () => {
    const { incident, draft, first } = story();
    const { reports } = fx.services;
    const en = reports.render({ incidentId: incident.id, template: 'incident-report', format: 'md', redact: true }).text;
    expect(en).toContain('## Escalations');
    expect(en).toMatch(/\| 2026-12-07 01:12:00 UTC \| 2 \| Sato \| phone \| response SLA nearly breached \| 2026-12-07 01:15:00 UTC \|/);
    expect(en).toContain('Suggested by Firebreak:\n\n- 2026-12-07 01:12:00 UTC — Level 2: Initial response SLA about to breach: 3m 00s left of 15m 00s');
    expect(en).toContain('**Time to first escalation**: 12m');
    expect(en).toContain('## Stakeholder communications');
    expect(en).toContain('**Updates sent on time**: 1 / 2');
    expect(en).toContain(`Text SHA-256: \`${first.sha256}\``);
    expect(en).toContain(`> ${draft.text.split('\n')[0]}`);
    // The report quotes a redacted copy and says so; the hash stays that of what was sent.
    expect(en).toMatch(/late, due 2026-12-07 01:45:00 UTC/);
    expect(en).toContain('(shown redacted; the hash is of the text as sent)');
    expect(en).not.toContain('abcdef0123456789abcdef');
    const ja = reports.render({ incidentId: incident.id, template: 'postmortem', format: 'md', redact: true, language: 'ja' }).text;
    expect(ja).toContain('## エスカレーション');
    expect(ja).toContain('## 関係者への連絡');
    expect(ja).toContain('レベル 2: 初期対応の SLA 期限が迫っています: 残り 3分00秒(目標 15分00秒)');
    expect(ja).toContain('**最初のエスカレーションまでの時間**: 12分');
    expect(ja).toContain('**レベル 2 にエスカレーション** — Sato (phone): response SLA nearly breached');
  });

  it('says so when nothing was escalated or sent', () => {
    const incident = fx.services.incidents.create({ title: 'Quiet', severity: 'low' });
    const text = fx.services.reports.render({ incidentId: incident.id, template: 'incident-report', format: 'md', redact: true }).text;
    expect(text).toContain('No escalation recorded.');
    expect(text).toContain('No stakeholder update recorded.');
  });

  it('gives time to first escalation and the share of updates on time', () => {
    story();
    fx.services.incidents.create({ title: 'Quiet', severity: 'low' });
    const m = fx.services.reports.metrics();
    expect(m.communications).toEqual({ escalated: 1, meanTimeToFirstEscalationMs: 12 * 60_000, updatesSent: 2, updatesOnTime: 1, onTimeRate: 0.5 });
    expect(m.perIncident.find((p) => p.title === 'API down')).toMatchObject({ timeToFirstEscalationMs: 12 * 60_000, updatesSent: 2, updatesOnTime: 1 });
  });
});
