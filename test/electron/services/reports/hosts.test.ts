import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFixture, type Fixture } from '../fixtures';
import { reportService } from './fixture';

// Issue 13: reports say which host each command, artifact and alert came from. The fixture's
// laptop is `laptop-1` (the name local work is recorded under); `web-1` is a target.
describe('reports name the host of commands, alerts and evidence', () => {
  let fx: Fixture;
  let id: number;
  beforeEach(() => {
    fx = createFixture();
    const { incidents, timeline } = fx.services;
    id = incidents.create({ title: 'Disk full on web-1', severity: 'high', services: ['api'] }).id;
    const add = (kind: string, data: Record<string, unknown>) => {
      fx.clock.advance(60_000);
      timeline.append({ incidentId: id, kind, data });
    };
    add('command.finished', { command: 'df -h', exitCode: 0, durationMs: 300, host: 'web-1' });
    add('command.finished', { command: 'curl -fsS https://api.example/health', exitCode: 0, durationMs: 200 });
    add('alert.raised', { source: 'gauge', metric: 'disk', subject: '/', rule: 'disk.level', value: 97, threshold: 90, unit: '%', message: 'disk 97% > 90%', host: 'web-1' });
    add('alert.raised', { source: 'gauge', metric: 'cpu', subject: '', rule: 'cpu.level', value: 91, threshold: 85, unit: '%', message: 'cpu 91% > 85%' });
    add('evidence.collected', {
      collectionId: 1,
      collector: 'remote-files',
      params: { target: 'web-1', hostname: 'web-1.internal', remoteUser: 'ops' },
      final: true,
      status: 'complete',
      totals: { artifacts: 1 },
      artifacts: [{ id: 1, name: 'var/log/syslog', status: 'ok', sha256: 'a'.repeat(64), size: 100 }],
    });
    add('evidence.collected', { collectionId: 2, collector: 'files', params: {}, final: false, artifacts: [{ id: 2, name: 'notes.txt', status: 'ok', sha256: 'b'.repeat(64), size: 10 }] });
  });
  afterEach(() => fx.cleanup());

  it('incident report: a Host column in the command, alert and evidence tables', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'md', redact: true });
    expect(text).toMatch(/\| web-1 \| `df -h` \| 0 \|/);
    expect(text).toMatch(/\| laptop-1 \| `curl -fsS https:\/\/api.example\/health` \| 0 \|/);
    expect(text).toMatch(/\| web-1 \| disk \(\/\) \| raised \| 97% \|/);
    expect(text).toMatch(/\| laptop-1 \| cpu \| raised \| 91% \|/);
    expect(text).toMatch(/\| var\/log\/syslog \| web-1 \| 100 B \|/);
    expect(text).toMatch(/\| notes.txt \| laptop-1 \| 10 B \|/);
    // The actions list says where each command ran.
    expect(text).toContain('`df -h` (web-1) → exit code 0');
  });

  it('postmortem: each timeline line names the host, in English and Japanese', () => {
    const en = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: true }).text;
    expect(en).toContain('Command `df -h` on web-1 → exit 0');
    expect(en).toContain('Alert raised on web-1: disk 97% \\> 90%');
    expect(en).toContain('Alert raised on laptop-1: cpu 91% \\> 85%');
    expect(en).toContain('Evidence collection (remote-files) from web-1 complete: 1 item(s) in total');
    expect(en).toMatch(/\| var\/log\/syslog \| web-1 \|/);
    const ja = reportService(fx.services).render({ incidentId: id, template: 'postmortem', format: 'md', redact: true, language: 'ja' }).text;
    expect(ja).toContain('コマンド `df -h`(web-1)→');
    expect(ja).toContain('アラート発生(web-1): disk 97% \\> 90%');
    expect(ja).toContain('laptop-1 から証拠を収集 (files): 1 件');
  });

  it('HTML shows the host column too', () => {
    const { text } = reportService(fx.services).render({ incidentId: id, template: 'incident-report', format: 'html', redact: true });
    expect(text).toMatch(/<th>Host<\/th>/);
    expect(text).toMatch(/<td>web-1<\/td>/);
  });
});
