import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../../../electron/services/db/open';
import { REPORT_CSS_HASH } from '../../../../electron/services/reports/html';
import { createFixture, type Fixture } from '../fixtures';
import { reportService, seedFullIncident } from './fixture';

describe('reports from the timeline', () => {
  let fx: Fixture;
  let id: number;
  beforeEach(() => {
    fx = createFixture();
    id = seedFullIncident(fx.services, fx.clock);
  });
  afterEach(() => fx.cleanup());

  it('lists the two built-in templates', () => {
    const names = reportService(fx.services).templates().map((t) => `${t.name}:${t.source}`);
    expect(names).toEqual(['incident-report:built-in', 'postmortem:built-in']);
  });

  it('fills the incident report (seed 004) from the record, with prompts where it has nothing', () => {
    const { text, redaction } = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: true });
    fs.writeFileSync(path.join(fx.home, 'out.md'), text);
    expect(text).toContain('# Incident report: INC-0001 Checkout API returns 502');
    expect(text).toContain('**Severity**: high (P1)');
    expect(text).toContain('_[To be completed: when did it start (before it was detected)?]_');
    // Commands with exit codes, and the transcript hash.
    // The password on the command line is redacted in the report (the timeline keeps it as recorded).
    expect(text).toMatch(/\| `redis-cli -a \[REDACTED\] ping` \| 0 \|/);
    expect(text).not.toContain('hunter2pass');
    expect(text).toContain('`systemctl restart api \\| tee out.log`'.replace('\\|', '|'));
    expect(text).toContain('a'.repeat(64));
    // Runbook progress: done / skipped with reason / failed.
    expect(text).toContain('- [x] Ping redis — done');
    expect(text).toContain('- [ ] Flush cache — skipped: cache is not the cause');
    expect(text).toContain('- [ ] Restart api — failed');
    // Evidence table with hashes.
    expect(text).toMatch(/\| logs\/errors.log \| [^|]+ \| 20.0 KiB \| `c{64}` \|/);
    expect(text).toContain('logs/main_recent.log');
    // Alerts.
    expect(text).toMatch(/\| [^|]+ \| cpu \| raised \| 93.5% \| 85% \|/);
    // Root cause came from a "Root cause:" note; prevention is still a prompt.
    expect(text).toContain('the deploy script did not set DATABASE\\_URL for the canary'.replace('\\_', '_'));
    expect(text).toContain('_[To be completed: how we stop it happening again]_');
    // Rollback section (seed 002).
    expect(text).toContain('## Rollback report');
    expect(text).toContain('**Version rolled back to**: 2026.11.1');
    expect(text).toContain('**Verification**: Verify health checks: done');
    expect(text).toContain('Roll back database — skipped: no schema change');
    // SLA: high = 30 min response, 4 h recovery; acknowledged after 11 min.
    expect(text).toMatch(/\| Initial response \| 30m 00s \| 11m 00s \| met \|/);
    // Redaction: the URL password, never the stored timeline.
    expect(text).toContain('postgres://app:[REDACTED]@db');
    expect(text).not.toContain('s3cretpw');
    expect(redaction.applied).toBe(true);
    expect(redaction.matches).toBeGreaterThanOrEqual(1);
    expect(text).toMatch(/Redaction applied before export: \d+ matches\./);
    expect(JSON.stringify(fx.services.timeline.list(id))).toContain('s3cretpw');
  });

  it('fills the postmortem (seed 003) with a condensed timeline and notes corrections', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: true });
    expect(text).toContain('# Postmortem: INC-0001');
    expect(text).toContain('**Level**: P1 (high)');
    expect(text).toMatch(/\*\*Duration of impact\*\*: \d+m/);
    expect(text).toMatch(/Status acknowledged → mitigated\*\* \(skipped investigating\)/);
    expect(text).toMatch(/corrected by #\d+/);
    expect(text).toContain('probe.custom-kind: detail=something another feature added');
    expect(text).toContain('_[To be completed: what we learned]_');
    expect(text).toContain('hash chain verified intact');
    // The head is printed, so a copy of the report anchors the chain (issue 18).
    const head = fx.services.timeline.verify(id).heads![0]!;
    expect(text).toContain(`Timeline head (compare with \`firebreak timeline verify --heads\`): #${head.seq} sha256 ${head.hash}`);
  });

  it('writes self-contained HTML that escapes everything and loads nothing', () => {
    fx.services.incidents.addNote(id, '<script>alert(1)</script> <img src=http://evil.example/x.png> **bold?**');
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'html', redact: true });
    expect(text.startsWith('<!doctype html>')).toBe(true);
    expect(text).not.toMatch(/<script/i);
    expect(text).not.toMatch(/<img/i);
    expect(text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(text).not.toMatch(/<[a-z]+[^>]*\s(src|href)=/i);
    expect(text).toContain('<em class="prompt">');
    expect(text).toMatch(/<table( class="wide")?>/);
    expect(text).toContain(REPORT_CSS_HASH);
  });

  it('refuses to save over the database or into a missing folder', async () => {
    const service = reportService(fx.services);
    const save = (p: string) => service.save({ incidentId: id, template: 'postmortem', format: 'md', paper: 'A4', redact: true, path: p });
    await expect(save(path.join(fx.home, 'firebreak.db'))).rejects.toThrow(/is Firebreak's database/);
    await expect(save(path.join(fx.home, 'nope', 'r.md'))).rejects.toThrow(/the folder .* does not exist/);
    await expect(save(fx.home)).rejects.toThrow(/is a folder/);
    const saved = await save(path.join(fx.home, 'r.md'));
    expect(saved.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readdirSync(fx.home).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('still reports a timeline with an unreadable entry, and says the chain is broken there', () => {
    const seq = fx.services.timeline.list(id)[3]!.seq;
    fx.services.close();
    const db = new Database(path.join(fx.home, DATABASE_FILE));
    db.exec('DROP TRIGGER timeline_no_update');
    db.prepare("UPDATE timeline SET data = 'not json' WHERE incident_id = ? AND seq = ?").run(id, seq);
    db.close();
    const services = fx.reopen();
    const { text } = reportService(services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: true });
    expect(text).toContain('# Incident report: INC-0001 Checkout API returns 502');
    expect(text).toMatch(new RegExp(`#${seq} data is not valid JSON`));
  });

  it('turns redaction off when asked, and says so', () => {
    const { text, redaction } = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: false });
    expect(redaction.applied).toBe(false);
    expect(text).toContain('s3cretpw');
    expect(text).toContain('Redaction was turned off for this export.');
  });

  it('lets a user template override a built-in one, and names file and line when it is broken', () => {
    const dir = path.join(fx.home, 'templates');
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, 'postmortem.md'), '{{! Our postmortem }}\n# PM {{ref}}\n\n{{rootCause}}\n');
    fs.writeFileSync(path.join(dir, 'broken.md'), '# Broken\n\nline 3\n{{#timeline}}\n- {{text}}\n');
    const service = reportService(fx.services);
    const list = service.templates();
    expect(list.find((t) => t.name === 'postmortem')).toMatchObject({ source: 'user', overridesBuiltIn: true, description: 'Our postmortem' });
    expect(service.render({ incidentId: id, template: 'postmortem', format: 'md', redact: true }).text).toMatch(/^# PM INC-0001\n/);
    expect(() => service.render({ incidentId: id, template: 'broken', format: 'md', redact: true })).toThrow(
      `template ${path.join(dir, 'broken.md')}, line 4: Unclosed section "timeline"`,
    );
  });

  it('omits gauge charts without a gauge_history table and draws them when it has rows', () => {
    const service = reportService(fx.services);
    const hasTable = fx.services.db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'gauge_history'").get();
    if (!hasTable) {
      expect(service.render({ incidentId: id, template: 'incident-report', format: 'html', redact: true }).text).not.toContain('<svg');
      return;
    }
    const insert = fx.services.db.prepare('INSERT INTO gauge_history (incident_id, metric, subject, bucket_start, bucket_ms, samples, min, avg, max) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)');
    const start = Date.parse('2026-11-23T09:00:00Z');
    for (let i = 0; i < 60; i++) insert.run(id, 'cpu', '', new Date(start + i * 60_000).toISOString(), 60_000, 60, 20 + i / 2, 30 + i / 2 + (i % 7), 40 + i);
    const html = service.render({ incidentId: id, template: 'incident-report', format: 'html', redact: true }).text;
    expect(html).toContain('<figure class="chart"><svg');
    expect(html).not.toMatch(/<svg[^>]*style=/);
    const md = service.render({ incidentId: id, template: 'incident-report', format: 'md', redact: true }).text;
    expect(md).toContain('## Resource history');
    expect(md).toMatch(/\| cpu \| .* \| 20.0 \|/);
  });
});

describe('the console CSP and the report preview', () => {
  it('allows exactly the report stylesheet, by hash, in the page and the browser host', () => {
    const index = fs.readFileSync(path.resolve(__dirname, '../../../../renderer/index.html'), 'utf8');
    expect(index).toContain(`style-src 'self' '${REPORT_CSS_HASH}'`);
  });
});

describe('gauge history source', () => {
  it('is empty, not an error, when the profile has no gauge_history table', async () => {
    const { default: Database } = await import('better-sqlite3');
    const { readGaugeHistory } = await import('../../../../electron/services/reports/gauges');
    const db = new Database(':memory:');
    expect(readGaugeHistory(db as never, 1)).toEqual([]);
    db.close();
  });
});

describe('rollback section from the runbook feature’s own entries', () => {
  it('takes the target version from the saved variables, never the runbook’s own version', () => {
    const fx = createFixture();
    try {
      const { incidents, timeline, db } = fx.services;
      const { id } = incidents.create({ title: 'Bad release', severity: 'high' });
      const run = { runbookId: 'rollback', runId: 'rr-1' };
      timeline.append({ incidentId: id, kind: 'runbook.started', data: { ...run, title: 'Roll back to the last stable version', version: '1.0.0', sha256: 'x' } });
      timeline.append({ incidentId: id, kind: 'runbook.step', data: { ...run, phaseId: 'decision', stepId: 'trigger', title: 'Confirm the trigger', status: 'done', note: 'health check 503 after deploy v1.3.0' } });
      timeline.append({ incidentId: id, kind: 'runbook.step', data: { ...run, phaseId: 'execution', stepId: 'undo-database', title: 'Roll back the database schema', status: 'skipped', reason: 'no migration in v1.3.0' } });
      timeline.append({ incidentId: id, kind: 'runbook.step', data: { ...run, phaseId: 'verification', stepId: 'verify-health', title: 'Check the system’s health', status: 'done' } });
      timeline.append({ incidentId: id, kind: 'runbook.phase', data: { ...run, phaseId: 'verification', title: 'Verification', usedMs: 120_000, budgetMinutes: 1, overrun: true } });
      timeline.append({ incidentId: id, kind: 'runbook.completed', data: { ...run, title: 'Roll back', status: 'succeeded', failedSteps: 0 } });
      const hasVariables = db.prepare("SELECT 1 FROM sqlite_master WHERE name = 'runbook_variables'").get();
      if (hasVariables) {
        db.prepare('INSERT INTO runbook_variables (incident_id, name, value, secret, updated_at) VALUES (?, ?, ?, 0, ?)').run(id, 'TARGET_VERSION', 'v1.2.9', new Date().toISOString());
      }
      const { text } = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: true });
      expect(text).toContain('## Rollback report');
      expect(text).not.toContain('**Version rolled back to**: 1.0.0');
      expect(text).toContain(hasVariables ? '**Version rolled back to**: v1.2.9' : '**Version rolled back to**: _[To be completed: which version was restored]_');
      expect(text).toContain('**Reason for rollback**: health check 503 after deploy v1.3.0');
      expect(text).toContain('**Verification**: Check the system’s health: done');
      expect(text).toContain('Roll back the database schema — skipped: no migration in v1.3.0');
      expect(text).toContain('Runbook phase Verification finished in 2m 00s (over its 1 min budget)');
      expect(reportService(fx.services).metrics().rollbacks).toMatchObject({ runs: 1, succeeded: 1 });
    } finally {
      fx.cleanup();
    }
  });
});
