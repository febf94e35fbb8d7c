import fs from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ESCALATION_POLICY_FILE } from '../../../../electron/services/escalation';
import { DEFAULT_ESCALATION_POLICY } from '../../../../shared/escalation';
import { createFixture, type Fixture } from '../fixtures';

// The escalation policy is the operator's file (<profile>/escalation-policy.yaml): written with
// seed 004's defaults on first use, read by the suggestions, the update clock and the drafts;
// a bad file is named file:line: field and leaves the defaults in force.

const MINUTE = 60_000;
let fx: Fixture;
let file: string;
let stamp = Date.parse('2026-12-01T00:00:00Z') / 1000;

/** Writes the policy with an explicit, ever newer mtime (the file is re-read when it changes). */
function writePolicy(text: string): void {
  fs.writeFileSync(file, text);
  stamp += 60;
  fs.utimesSync(file, stamp, stamp);
}

beforeEach(() => {
  // Monday 7 December 2026, 10:00 in Tokyo.
  fx = createFixture('2026-12-07T01:00:00.000Z');
  file = path.join(fx.home, ESCALATION_POLICY_FILE);
});
afterEach(() => fx.cleanup());

describe('escalation policy file', () => {
  it('is written with seed 004’s levels, cadence and no-progress times on first use', () => {
    const incident = fx.services.incidents.create({ title: 'Checkout down', severity: 'critical' });
    expect(fs.existsSync(file)).toBe(false);
    const state = fx.services.escalation.state(incident.id);
    expect(state).toMatchObject({ updateCadenceMs: 30 * MINUTE, policyError: null });
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toMatch(/^# Firebreak escalation policy/);
    expect(YAML.parse(text)).toEqual(DEFAULT_ESCALATION_POLICY);
    expect(DEFAULT_ESCALATION_POLICY).toMatchObject({
      levels: [
        { level: 1, name: 'Operations', cover: 'always' },
        { level: 2, name: 'System administrators', cover: 'critical' },
        { level: 3, name: 'Development team', cover: 'emergency' },
      ],
      updateCadenceMinutes: { critical: 30, high: 60, medium: 120, low: 240 },
      noProgressMinutes: { critical: 20, high: 45, medium: 120, low: 480 },
    });
  });

  it('drives the update cadence (state, draft, on-time record) and the no-progress trigger', async () => {
    const { incidents, escalation, updates } = fx.services;
    fx.services.escalation.state(incidents.create({ title: 'seed the file', severity: 'low' }).id);
    // Only what is changed needs to be written; the rest keeps seed 004's values.
    writePolicy('updateCadenceMinutes:\n  critical: 15\nnoProgressMinutes:\n  low: 60\n');
    const critical = incidents.create({ title: 'Checkout down', severity: 'critical', detectedAt: '2026-12-07T01:00:00.000Z' });
    expect(escalation.state(critical.id).updateCadenceMs).toBe(15 * MINUTE);
    const draft = await updates.draft(critical.id, 'en');
    expect(draft.nextUpdateAt).toBe('2026-12-07T01:15:00.000Z');
    fx.clock.advance(16 * MINUTE);
    const sent = updates.record({ incidentId: critical.id, language: 'en', via: 'clipboard', text: draft.text, subject: draft.subject });
    expect(sent).toMatchObject({ dueAt: '2026-12-07T01:15:00.000Z', onTime: false });

    const low = incidents.create({ title: 'Disk filling', severity: 'low' });
    incidents.pauseSla(low.id, 'waiting for the vendor');
    fx.clock.advance(59 * MINUTE);
    escalation.check(low.id);
    expect(escalation.state(low.id).suggestions).toEqual([]);
    fx.clock.advance(2 * MINUTE);
    escalation.check(low.id);
    expect(escalation.state(low.id).suggestions[0]).toMatchObject({ trigger: 'no.progress', level: 2, facts: { limitMs: 60 * MINUTE } });
  });

  it('decides who may be called out of hours by each level’s cover', () => {
    const { contacts, escalation } = fx.services;
    // Saturday 03:00 in Tokyo: Sato is out of hours.
    fx.clock.set('2026-12-04T18:00:00.000Z');
    contacts.add({ name: 'Sato', level: 2, timeZone: 'Asia/Tokyo', hours: { days: ['mon', 'tue', 'wed', 'thu', 'fri'], start: '09:00', end: '18:00' } });
    escalation.policy(); // first use writes the defaults
    const sato = () => escalation.contactsFor(2, 'high', fx.clock.now()).filter((c) => c.name === 'Sato');
    expect(sato()).toEqual([]);
    const edited = { ...DEFAULT_ESCALATION_POLICY, levels: DEFAULT_ESCALATION_POLICY.levels.map((l) => (l.level === 2 ? { ...l, cover: 'always' } : l)) };
    writePolicy(YAML.stringify(edited));
    expect(sato().map((c) => [c.name, c.inCover])).toEqual([['Sato', false]]);
  });

  it('names file:line: field for a bad file and keeps seed 004’s defaults in force', () => {
    const { incidents, escalation } = fx.services;
    const incident = incidents.create({ title: 'Checkout down', severity: 'critical' });
    escalation.state(incident.id);
    const cases: [string, string][] = [
      ['# tuned\nupdateCadenceMinutes:\n  critical: 0\n', `${file}:3: updateCadenceMinutes.critical: must be at least 1 minute`],
      ['noProgressMinutes:\n  high: 45\n  urgent: 10\n', `${file}:3: noProgressMinutes: Unrecognized key: "urgent"`],
      ['levels:\n  - level: 1\n    name: Ops\n    nameJa: 運用\n    cover: sometimes\n', `${file}:5: levels.0.cover: must be always, critical or emergency`],
      ['updateCadenceMinutes: [1, 2\n', `${file}:2: Flow sequence`],
    ];
    for (const [text, message] of cases) {
      writePolicy(text);
      const state = escalation.state(incident.id);
      expect(state.policyError, text).toContain(message);
      expect(state.updateCadenceMs).toBe(30 * MINUTE);
    }
    // Fixed: in force at once.
    writePolicy('updateCadenceMinutes:\n  critical: 10\n');
    expect(escalation.state(incident.id)).toMatchObject({ updateCadenceMs: 10 * MINUTE, policyError: null });
  });
});
