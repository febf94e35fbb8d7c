import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliHarness } from './support';

describe('firebreak contacts / oncall / escalate / update', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  it('adds, lists, exports, imports and removes contacts', async () => {
    expect((await cli('contacts', 'add', '--name', 'Sato', '--level', '2', '--tz', 'Asia/Tokyo', '--days', 'mon-fri', '--start', '09:00', '--end', '18:00', '--phone', '+81 3 0000 0000')).code).toBe(0);
    const list = await cli('contacts', 'list');
    expect(list.out).toMatch(/L2 +Sato +person +mon,tue,wed,thu,fri 09:00–18:00 Asia\/Tokyo +\+81 3 0000 0000/);
    expect(list.out).toContain('[System administrators] (placeholder: fill in)');
    const file = path.join(harness.home, 'contacts.csv');
    expect((await cli('contacts', 'export', '--out', file)).code).toBe(0);
    expect(fs.readFileSync(file, 'utf8')).toMatch(/^name,kind,level/);
    fs.writeFileSync(file, 'name,level,email\nKim,3,kim@example.test\nLee,9,\n');
    expect((await cli('contacts', 'import', file)).code).toBe(1);
    expect(harness.errors.join('\n')).toContain(`${file}:3: level: must be 1, 2 or 3`);
    expect((await cli('contacts', 'remove', 'sato')).out).toBe('Removed Sato');
    const json = JSON.parse((await cli('contacts', 'list', '--json')).out) as { name: string }[];
    expect(json.map((c) => c.name)).not.toContain('Sato');
  });

  it('imports a rotation and tells who is on call at a time', async () => {
    const file = path.join(harness.home, 'rotation.csv');
    fs.writeFileSync(file, 'starts_at,primary,secondary\n2026-12-07T00:00:00Z,Alice,Bob\n2026-12-14T00:00:00Z,Carol,Alice\n');
    expect((await cli('oncall', 'import', file)).out).toContain('4 turns from 2026-12-07T00:00:00.000Z to 2026-12-21T00:00:00.000Z');
    const now = await cli('oncall', '--at', '2026-12-08T12:00:00Z');
    expect(now.out).toMatch(/primary +Alice/);
    expect(now.out).toMatch(/next +2026-12-14T00:00:00.000Z: Carol \/ Alice/);
    expect((await cli('oncall', 'override', '--name', 'Dave', '--from', '2026-12-08T00:00:00Z', '--to', '2026-12-09T00:00:00Z', '--reason', 'swap')).code).toBe(0);
    const json = JSON.parse((await cli('oncall', '--at', '2026-12-08T12:00:00Z', '--json')).out) as { primary: { name: string } };
    expect(json.primary.name).toBe('Dave');
    expect((await cli('oncall', '--at', 'tomorrow')).code).toBe(1);
    expect(harness.errors.join('\n')).toContain('at: must be an ISO 8601 date-time');
  });

  it('shows the escalation policy, overrides an update cadence, and names a bad policy file', async () => {
    const shown = await cli('escalation-policy');
    expect(shown.code).toBe(0);
    const file = path.join(harness.home, 'escalation-policy.yaml');
    expect(shown.out).toContain(`Escalation policy: ${file}`);
    expect(shown.out).toMatch(/Level 2 System administrators \(システム管理者\): 24 h for Critical, business hours otherwise/);
    expect(shown.out).toMatch(/critical +update every 30 min · no progress after 20 min/);
    const set = JSON.parse((await cli('escalation-policy', '--cadence', 'critical=15', '--json')).out) as { policy: { updateCadenceMinutes: { critical: number; high: number } }; error: null };
    expect(set).toMatchObject({ policy: { updateCadenceMinutes: { critical: 15, high: 60 } }, error: null });
    expect(fs.readFileSync(file, 'utf8')).toMatch(/critical: 15/);
    expect((await cli('escalation-policy', '--cadence', 'urgent=5')).code).toBe(2);
    expect((await cli('escalation-policy', '--cadence', 'low=0')).code).toBe(1);
    expect(harness.errors.join('\n')).toContain('minutes: must be at least 1 minute');
    fs.writeFileSync(file, 'noProgressMinutes:\n  high: -5\n');
    const broken = await cli('escalation-policy');
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`NOT USED (seed 004's defaults apply): ${file}:2: noProgressMinutes.high: must be at least 1 minute`);
    // A broken file is not overwritten by --cadence: it is named, to be fixed first.
    expect((await cli('escalation-policy', '--cadence', 'high=30')).code).toBe(1);
    expect(fs.readFileSync(file, 'utf8')).toBe('noProgressMinutes:\n  high: -5\n');
  });

  it('escalates, acknowledges and records an update sent', async () => {
    await cli('incident', 'new', '--title', 'API down', '--severity', 'critical');
    const escalated = await cli('escalate', '1', '--level', '2', '--contact', 'Sato', '--via', 'phone', '--reason', 'SLA nearly breached', '--json');
    const state = JSON.parse(escalated.out) as { level: number; escalations: { entryId: number; contact: string }[] };
    expect(state.level).toBe(2);
    expect(state.escalations[0]!.contact).toBe('Sato');
    expect((await cli('escalate', '1', '--ack', String(state.escalations[0]!.entryId))).out).toContain('acknowledged');
    expect((await cli('escalate', '1', '--level', '4', '--reason', 'x')).code).toBe(1);
    expect(harness.errors.join('\n')).toContain('level: must be 1, 2 or 3');

    const draft = await cli('update', 'INC-1', '--lang', 'ja');
    expect(draft.out).toMatch(/^Subject: 【INC-0001】緊急: API down/);
    expect(draft.out).toContain('レベル 2');
    const out = path.join(harness.home, 'update.eml');
    const sent = JSON.parse((await cli('update', '1', '--sent', '--lang', 'ja', '--out', out, '--json')).out) as { via: string; sha256: string; path: string };
    expect(sent.via).toBe('eml');
    expect(sent.path).toBe(out);
    expect(fs.readFileSync(out, 'utf8')).toContain('Content-Type: text/plain; charset=UTF-8');
    const timeline = await cli('timeline', '1', '--json');
    const kinds = (JSON.parse(timeline.out) as { kind: string }[]).map((e) => e.kind);
    expect(kinds).toEqual(expect.arrayContaining(['escalation.escalated', 'escalation.acknowledged', 'update.sent']));
    expect((await cli('timeline', 'verify', '1')).code).toBe(0);
  });
});
