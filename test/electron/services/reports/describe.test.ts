import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../../shared/domain';
import { describeEntry } from '../../../../electron/services/reports/describe';
import { EN_REPORT_EVENTS } from '../../../../electron/services/reports/labels';
import { JA_REPORT_EVENTS } from '../../../../electron/services/reports/labels-ja';
import { mdCode, mdInline } from '../../../../electron/services/reports/markdown';

const entry = (kind: string, data: Record<string, unknown>): TimelineEntry => ({ id: 1, incidentId: 1, seq: 1, at: '2026-11-23T09:00:00Z', actor: 'a', host: 'h', kind, data, corrects: null, prevHash: '', hash: '' });
const line = (kind: string, data: Record<string, unknown>) => describeEntry(entry(kind, data), mdInline, mdCode, EN_REPORT_EVENTS);

describe('condensed timeline lines', () => {
  it('reads the other features’ kinds by their stable fields', () => {
    expect(line('command.finished', { command: 'df -h', exitCode: 0, durationMs: 1500 })).toBe('Command `df -h` on h → exit 0 in 0m 01s');
    expect(line('command.finished', { command: 'sleep 999', timedOut: true })).toBe('Command `sleep 999` on h → timed out');
    expect(line('alert.raised', { source: 'probe', probe: 'redis', to: 'down', message: 'redis is down' })).toBe('Alert raised on h: redis is down');
    expect(line('evidence.collected', { collector: 'logs', final: false, artifacts: [{}, {}] })).toBe('Evidence collected (logs) from h: 2 item(s)');
    expect(line('evidence.collected', { collector: 'logs', final: true, status: 'complete', totals: { artifacts: 7 }, artifacts: [] })).toBe('Evidence collection (logs) from h complete: 7 item(s) in total');
    expect(line('evidence.collection-incomplete', { collector: 'snapshot', committedArtifacts: 3 })).toBe('Evidence collection (snapshot) did not finish (the process stopped); 3 item(s) kept');
    expect(line('terminal.exited', { exitCode: 130 })).toBe('Terminal closed (exit 130)');
    expect(line('runbook.step', { title: 'Flush cache', status: 'skipped', reason: 'not the cause' })).toBe('Runbook step Flush cache: skipped (not the cause)');
  });

  it('reports a step down as a recovery under way, in English and Japanese, never as raised', () => {
    const eased = { source: 'gauge', metric: 'cpu', from: 'danger', to: 'warning', value: 28.1, message: 'cpu danger → warning at 28.1%' };
    expect(line('alert.raised', eased)).toBe('Alert easing (recovering) on h: cpu danger → warning at 28.1%');
    expect(describeEntry(entry('alert.raised', eased), mdInline, mdCode, JA_REPORT_EVENTS)).toBe('アラート回復中(h): cpu danger → warning at 28.1%');
    expect(line('alert.raised', { ...eased, from: 'warning', to: 'danger' })).toMatch(/^Alert escalated on h: /);
    expect(line('alert.raised', { ...eased, from: 'normal', to: 'warning' })).toMatch(/^Alert raised on h: /);
    expect(line('alert.cleared', { ...eased, to: 'normal' })).toMatch(/^Alert cleared on h: /);
  });

  it('words the newer kinds: reopen, targets, alert pins, retraction, a run moved to another machine', () => {
    expect(line('status.reopened', { from: 'closed', to: 'investigating', reason: 'errors are back' })).toBe('**Reopened closed → investigating**: errors are back');
    expect(line('incident.target-added', { target: 'web-1' })).toBe('Affected target added: web-1');
    expect(line('alerts.pinned', { target: 'local' })).toBe('Alerts of this laptop pinned to this incident');
    expect(line('evidence.retracted', { artifactId: 3, name: 'app.log', reason: 'wrong host' })).toBe('Evidence retracted: app.log: wrong host');
    expect(line('runbook.target', { target: 'web-1', previous: null })).toBe('Runbook run moved to web-1 (was this laptop)');
    expect(describeEntry(entry('alerts.unpinned', { target: 'db-1' }), mdInline, mdCode, JA_REPORT_EVENTS)).toBe('db-1 のアラートの固定を解除');
  });

  it('never drops an unknown kind, and escapes what it shows', () => {
    expect(line('future.kind', { a: 1, b: 'x|y', nested: { c: 2 } })).toBe('future.kind: a=1, b=x\\|y');
    expect(line('future.empty', {})).toBe('future.empty');
  });
});
