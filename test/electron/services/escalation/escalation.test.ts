import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isInCover, parseDays, zonedTimeToUtc, type Contact } from '../../../../shared/escalation';
import { createFixture, type Fixture } from '../fixtures';

const contact = (hours: Contact['hours'], timeZone: string): Pick<Contact, 'hours' | 'timeZone'> => ({ hours, timeZone });
const weekdays = ['mon', 'tue', 'wed', 'thu', 'fri'] as const;

describe('hours of cover across time zones', () => {
  it('reads business hours in the contact’s own zone', () => {
    const tokyo = contact({ days: [...weekdays], start: '09:00', end: '18:00' }, 'Asia/Tokyo');
    expect(isInCover(tokyo, Date.parse('2026-12-07T00:30:00Z'))).toBe(true); // Mon 09:30 JST
    expect(isInCover(tokyo, Date.parse('2026-12-06T23:59:00Z'))).toBe(false); // Mon 08:59 JST
    expect(isInCover(tokyo, Date.parse('2026-12-07T09:00:00Z'))).toBe(false); // Mon 18:00 JST
    expect(isInCover(tokyo, Date.parse('2026-12-05T03:00:00Z'))).toBe(false); // Sat 12:00 JST
    const london = contact({ days: [...weekdays], start: '09:00', end: '17:00' }, 'Europe/London');
    // The same instant: Monday 10:00 in London is Monday 19:00 in Tokyo.
    expect(isInCover(london, Date.parse('2026-12-07T10:00:00Z'))).toBe(true);
    expect(isInCover(tokyo, Date.parse('2026-12-07T10:00:00Z'))).toBe(false);
  });

  it('follows daylight saving time', () => {
    const newYork = contact({ days: [...weekdays], start: '09:00', end: '17:00' }, 'America/New_York');
    // 13:30 UTC is 08:30 EST on Friday 6 March 2026 and 09:30 EDT on Monday 9 March.
    expect(isInCover(newYork, Date.parse('2026-03-06T13:30:00Z'))).toBe(false);
    expect(isInCover(newYork, Date.parse('2026-03-09T13:30:00Z'))).toBe(true);
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 9, hour: 9, minute: 0 }, 'America/New_York')).toBe(Date.parse('2026-03-09T13:00:00Z'));
    expect(zonedTimeToUtc({ year: 2026, month: 3, day: 6, hour: 9, minute: 0 }, 'America/New_York')).toBe(Date.parse('2026-03-06T14:00:00Z'));
  });

  it('runs an overnight window past midnight into the next day', () => {
    const night = contact({ days: ['fri'], start: '22:00', end: '06:00' }, 'Asia/Tokyo');
    expect(isInCover(night, Date.parse('2026-12-04T13:30:00Z'))).toBe(true); // Fri 22:30 JST
    expect(isInCover(night, Date.parse('2026-12-04T20:00:00Z'))).toBe(true); // Sat 05:00 JST
    expect(isInCover(night, Date.parse('2026-12-04T21:30:00Z'))).toBe(false); // Sat 06:30 JST
    expect(isInCover(night, Date.parse('2026-12-03T20:00:00Z'))).toBe(false); // Fri 05:00 JST (Thursday not covered)
  });

  it('reads day lists and ranges, wrapping past Sunday', () => {
    expect(parseDays('mon-fri')).toEqual(['mon', 'tue', 'wed', 'thu', 'fri']);
    expect(parseDays('friday-monday')).toEqual(['mon', 'fri', 'sat', 'sun']);
    expect(parseDays('sat, sun')).toEqual(['sat', 'sun']);
    expect(parseDays('weekdays')).toBeUndefined();
  });

  it('treats no hours as around the clock', () => {
    expect(isInCover(contact(null, 'UTC'), Date.parse('2026-12-06T03:00:00Z'))).toBe(true);
  });
});

describe('escalation service', () => {
  let fx: Fixture;
  // Monday 7 December 2026, 10:00 in Tokyo.
  beforeEach(() => {
    fx = createFixture('2026-12-07T01:00:00.000Z');
    const { contacts } = fx.services;
    contacts.add({ name: 'Sato', level: 2, timeZone: 'Asia/Tokyo', hours: { days: [...weekdays], start: '09:00', end: '18:00' }, phone: '+81 3 0000 0000' });
    contacts.add({ name: 'Jones', level: 2, timeZone: 'Europe/London', hours: { days: [...weekdays], start: '09:00', end: '17:00' }, email: 'jones@example.test' });
    contacts.add({ name: 'Dev team', kind: 'team', level: 3, timeZone: 'Asia/Tokyo', hours: { days: [...weekdays], start: '09:00', end: '18:00' } });
    for (const name of ['[System administrators]', '[Development team]']) contacts.remove(name);
  });
  afterEach(() => fx.cleanup());

  const suggestions = (id: number) => fx.services.escalation.state(id).suggestions;

  it('suggests Level 2 when the response SLA is about to breach, once', () => {
    const { incidents, escalation } = fx.services;
    const incident = incidents.create({ title: 'API down', severity: 'critical' });
    expect(escalation.check()).toBe(0);
    fx.clock.advance(12 * 60_000); // 3 min of 15 left: under a quarter
    expect(escalation.check()).toBe(1);
    expect(escalation.check()).toBe(0);
    expect(escalation.check(incident.id)).toBe(0);
    const [s] = suggestions(incident.id);
    expect(s).toMatchObject({ trigger: 'sla.warning', level: 2, open: true });
    expect(s!.detail).toContain('response SLA about to breach');
    // Critical allows Level 2 at any hour: both, and Jones (03:12 in London) is marked out of hours.
    expect(s!.contacts.map((c) => [c.name, c.inCover])).toEqual([['Jones', false], ['Sato', true]]);
    // The breach comes while the Level 2 suggestion is still open: no second suggestion.
    fx.clock.advance(4 * 60_000);
    expect(escalation.check()).toBe(0);
    expect(fx.services.timeline.list(incident.id).filter((e) => e.kind === 'escalation.suggested')).toHaveLength(1);
  });

  it('suggests no more once another process has claimed the trigger', () => {
    const incident = fx.services.incidents.create({ title: 'API down', severity: 'critical' });
    fx.clock.advance(12 * 60_000);
    const other = fx.reopen();
    expect(other.escalation.check() + fx.services.escalation.check()).toBe(1);
    expect(suggestions(incident.id)).toHaveLength(1);
  });

  it('records an escalation, raises the level, settles the suggestion and suggests the next level on the next trigger', () => {
    const { incidents, escalation, timeline } = fx.services;
    const incident = incidents.create({ title: 'API down', severity: 'critical' });
    fx.clock.advance(12 * 60_000);
    escalation.check();
    const state = escalation.escalate({ incidentId: incident.id, level: 2, contact: 'sato', via: 'phone', reason: 'response SLA nearly breached' });
    expect(state.level).toBe(2);
    expect(state.escalations[0]).toMatchObject({ level: 2, contact: 'Sato', via: 'phone', reason: 'response SLA nearly breached', acknowledgedAt: null });
    expect(state.suggestions[0]!.open).toBe(false);
    expect(escalation.levels()).toEqual({ [incident.id]: 2 });
    const acked = escalation.acknowledge(incident.id, state.escalations[0]!.entryId);
    expect(acked.escalations[0]!.acknowledgedAt).not.toBeNull();
    expect(() => escalation.acknowledge(incident.id, state.escalations[0]!.entryId)).toThrow(/already acknowledged/);
    // Breach of the response clock: next level.
    fx.clock.advance(4 * 60_000);
    expect(escalation.check()).toBe(1);
    expect(suggestions(incident.id).at(-1)).toMatchObject({ trigger: 'sla.breached', level: 3, open: true });
    expect(timeline.verify(incident.id).ok).toBe(true);
    expect(() => escalation.escalate({ incidentId: incident.id, level: 3, contact: 'Sato', via: null, reason: 'x' })).toThrow(/Level 2 contact/);
  });

  it('suggests on a severity raised to high, with only the contacts in their hours', () => {
    const { incidents, escalation } = fx.services;
    // Monday 10:00 in Tokyo is 01:00 in London: only Sato is in hours, and high allows business hours only.
    const incident = incidents.create({ title: 'Slow queries', severity: 'medium' });
    expect(escalation.check()).toBe(0);
    incidents.setSeverity(incident.id, 'high', 'customers affected');
    expect(escalation.check()).toBe(1);
    const [s] = suggestions(incident.id);
    expect(s).toMatchObject({ trigger: 'severity.raised', level: 2 });
    expect(s!.contacts.map((c) => c.name)).toEqual(['Sato']);
    // Lowering it again is no trigger.
    incidents.setSeverity(incident.id, 'medium');
    expect(escalation.check()).toBe(0);
  });

  it('suggests after no progress for the severity’s limit, and again only after fresh progress', () => {
    const { incidents, escalation } = fx.services;
    const incident = incidents.create({ title: 'Disk filling', severity: 'low', detectedAt: '2026-12-07T01:00:00.000Z' });
    // Low: 4 h response target reaches amber at 3 h; pause the clock so only the idle trigger fires.
    incidents.pauseSla(incident.id, 'waiting for the vendor');
    fx.clock.advance(7 * 3_600_000);
    expect(escalation.check()).toBe(0);
    fx.clock.advance(1 * 3_600_000 + 60_000);
    expect(escalation.check()).toBe(1);
    expect(suggestions(incident.id)[0]).toMatchObject({ trigger: 'no.progress', level: 2 });
    expect(escalation.check()).toBe(0);
    escalation.escalate({ incidentId: incident.id, level: 2, contact: 'Sato', via: 'email', reason: 'no progress' });
    incidents.addNote(incident.id, 'vendor replied');
    fx.clock.advance(8 * 3_600_000 + 60_000);
    expect(escalation.check()).toBe(1);
    expect(suggestions(incident.id).at(-1)).toMatchObject({ trigger: 'no.progress', level: 3 });
  });

  it('names Level 1 from the on-call rotation', () => {
    fx.services.rotation.importCsv('starts_at,primary,secondary\n2026-12-07 09:00,Alice,Bob\n2026-12-14 09:00,Carol,Alice\n', 'rotation.csv', 'Asia/Tokyo');
    const names = fx.services.escalation.contactsFor(1, 'high', fx.clock.now()).map((c) => c.name);
    expect(names).toEqual(['Alice', 'Bob']);
  });
});

describe('on-call rotation', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = createFixture('2026-12-07T01:00:00.000Z');
  });
  afterEach(() => fx.cleanup());

  it('imports weekly turns from CSV and answers now, next and overrides', () => {
    const { rotation } = fx.services;
    const result = rotation.importCsv('starts_at,primary,secondary,time_zone\n2026-12-07 09:00,Alice,Bob,Asia/Tokyo\n2026-12-14 09:00,Carol,Alice,Asia/Tokyo\n', 'rotation.csv');
    expect(result).toEqual({ shifts: 4, from: '2026-12-07T00:00:00.000Z', to: '2026-12-21T00:00:00.000Z' });
    const now = rotation.at();
    expect([now.primary?.name, now.secondary?.name]).toEqual(['Alice', 'Bob']);
    expect(now.next).toEqual({ at: '2026-12-14T00:00:00.000Z', primary: 'Carol', secondary: 'Alice' });
    // A holiday: Dave covers Alice on Wednesday.
    rotation.addOverride({ role: 'primary', name: 'Dave', startsAt: '2026-12-09T00:00:00Z', endsAt: '2026-12-10T00:00:00Z', reason: 'Alice on holiday' });
    const wednesday = rotation.at(Date.parse('2026-12-09T05:00:00Z'));
    expect(wednesday.primary).toMatchObject({ name: 'Dave', override: { reason: 'Alice on holiday' } });
    expect(rotation.at().next).toEqual({ at: '2026-12-09T00:00:00.000Z', primary: 'Dave', secondary: 'Bob' });
    expect(rotation.at(Date.parse('2026-12-22T00:00:00Z'))).toMatchObject({ primary: null, secondary: null, next: null });
  });

  it('names the file and line of a bad CSV row', () => {
    expect(() => fx.services.rotation.importCsv('starts_at,primary\n2026-12-07,Alice\nnext monday,Bob\n', 'rotation.csv')).toThrow('rotation.csv:3: starts_at: "next monday" is not a date');
  });

  it('imports a weekly recurring iCalendar schedule with its time zone', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VEVENT',
      'UID:p1',
      'SUMMARY:Primary: Alice',
      'DTSTART;TZID=Asia/Tokyo:20261207T090000',
      'DTEND;TZID=Asia/Tokyo:20261214T090000',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:p2',
      'SUMMARY:On call (primary)',
      'ATTENDEE;CN=Carol:mailto:carol@example.test',
      'DTSTART;TZID=Asia/Tokyo:20261214T090000',
      'DTEND;TZID=Asia/Tokyo:20261221T090000',
      'RRULE:FREQ=WEEKLY;INTERVAL=2;COUNT=3',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:s1',
      'SUMMARY:Secondary - Bob',
      'DTSTART:20261207T000000Z',
      'DTEND:20270201T000000Z',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    const { rotation } = fx.services;
    expect(rotation.importIcs(ics, 'oncall.ics').shifts).toBe(7);
    expect(rotation.at(Date.parse('2026-12-07T00:00:00Z'))).toMatchObject({ primary: { name: 'Alice' }, secondary: { name: 'Bob' } });
    expect(rotation.at(Date.parse('2026-12-20T23:59:00Z')).primary?.name).toBe('Carol');
    expect(rotation.at(Date.parse('2026-12-21T00:00:00Z')).primary?.name).toBe('Alice');
    expect(rotation.at(Date.parse('2027-01-17T23:00:00Z')).primary?.name).toBe('Carol');
    expect(rotation.at(Date.parse('2027-01-18T00:00:00Z')).primary).toBeNull();
  });
});

describe('contacts directory', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = createFixture('2026-12-07T01:00:00.000Z');
  });
  afterEach(() => fx.cleanup());

  it('ships seed 004’s levels and vendors as placeholders', () => {
    const list = fx.services.contacts.list();
    expect(list.filter((c) => c.placeholder).map((c) => [c.name, c.level])).toEqual([
      ['[Operations contact]', 1],
      ['[System administrators]', 2],
      ['[Development team]', 3],
      ['[Cloud provider]', null],
      ['[Data provider]', null],
      ['[System maintenance]', null],
    ]);
  });

  it('round-trips YAML and CSV and names the row of a bad one', () => {
    const { contacts } = fx.services;
    contacts.add({ name: 'Sato', level: 2, timeZone: 'Asia/Tokyo', hours: { days: ['mon', 'fri'], start: '22:00', end: '06:00' }, email: 'sato@example.test', role: 'DBA, "night"' });
    const yaml = contacts.export('yaml');
    const csv = contacts.export('csv');
    const other = createFixture();
    try {
      expect(other.services.contacts.import('yaml', yaml, 'c.yaml')).toMatchObject({ added: 1, updated: 6 });
      expect(other.services.contacts.find('Sato')).toMatchObject({ hours: { days: ['mon', 'fri'], start: '22:00', end: '06:00' }, role: 'DBA, "night"' });
      expect(other.services.contacts.import('csv', csv, 'c.csv')).toMatchObject({ added: 0, updated: 7 });
      expect(other.services.contacts.find('Sato')).toMatchObject({ hours: { days: ['mon', 'fri'] }, timeZone: 'Asia/Tokyo', email: 'sato@example.test' });
    } finally {
      other.cleanup();
    }
    expect(() => contacts.import('csv', 'name,level,email\nA,2,a@example.test\nB,2,not-an-address\n', 'team.csv')).toThrow('team.csv:3: email: must be an e-mail address');
    expect(() => contacts.import('yaml', 'contacts:\n  - name: A\n    timeZone: Mars/Olympus\n', 'team.yaml')).toThrow('team.yaml, contact 1 (A): timeZone: must be an IANA time zone');
    expect(contacts.find('A')).toBeUndefined();
  });
});

describe('stakeholder updates', () => {
  let fx: Fixture;
  beforeEach(() => {
    fx = createFixture('2026-12-07T01:00:00.000Z');
  });
  afterEach(() => fx.cleanup());

  it('drafts in Japanese from the incident and records what was sent with its hash and cadence', () => {
    const { incidents, updates, timeline, contacts } = fx.services;
    contacts.add({ name: 'Biz', role: 'stakeholder', email: 'biz@example.test' });
    const incident = incidents.create({ title: 'API 停止', severity: 'critical', impact: '全ユーザーがログイン不可', responder: '山田' });
    incidents.addNote(incident.id, 'ロードバランサを切り替え');
    incidents.addNote(incident.id, '次: DB のフェイルオーバーを確認');
    const draft = updates.draft(incident.id, 'ja');
    expect(draft.subject).toBe('【INC-0001】緊急: API 停止(検知)');
    expect(draft.text).toContain('第1報');
    expect(draft.text).toContain('全ユーザーがログイン不可');
    expect(draft.text).toContain('ロードバランサを切り替え');
    expect(draft.text).toContain('■ 今後の対応:\nDB のフェイルオーバーを確認');
    expect(draft.text).toContain('2026-12-07 01:30:00 UTC');
    expect(draft.to).toEqual(['biz@example.test']);
    expect(draft.mailto.startsWith('mailto:biz%40example.test?subject=')).toBe(true);

    fx.clock.advance(10 * 60_000);
    const sent = updates.record({ incidentId: incident.id, language: 'ja', via: 'clipboard', text: draft.text, subject: draft.subject });
    expect(sent).toMatchObject({ via: 'clipboard', onTime: true, dueAt: '2026-12-07T01:30:00.000Z' });
    expect(sent.sha256).toBe(createHash('sha256').update(draft.text).digest('hex'));
    // The next one is due 30 min after this one; 45 min later it is late.
    fx.clock.advance(45 * 60_000);
    const late = updates.record({ incidentId: incident.id, language: 'en', via: 'other', text: 'second', subject: '' });
    expect(late).toMatchObject({ onTime: false, dueAt: '2026-12-07T01:40:00.000Z' });
    expect(updates.draft(incident.id, 'en').text).toContain('Update 3');
    expect(timeline.list(incident.id).filter((e) => e.kind === 'update.sent')).toHaveLength(2);
  });

  it('saves an .eml with an encoded subject and records the file', () => {
    const { incidents, updates } = fx.services;
    const incident = incidents.create({ title: 'API 停止', severity: 'high' });
    const draft = updates.draft(incident.id, 'ja');
    const sent = updates.save({ incidentId: incident.id, language: 'ja', format: 'eml', text: draft.text, subject: draft.subject });
    expect(sent.via).toBe('eml');
    expect(sent.path).toBe(path.join(fx.home, 'updates', 'INC-0001-update-20261207T010000.eml'));
    const eml = fs.readFileSync(sent.path!, 'utf8');
    expect(eml).toMatch(/^Subject: =\?UTF-8\?B\?/m);
    const body = eml.split('\r\n\r\n')[1]!.replace(/\r\n/g, '');
    expect(Buffer.from(body, 'base64').toString('utf8').replace(/\r\n/g, '\n')).toBe(draft.text);
  });
});
