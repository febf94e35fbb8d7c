import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { createFixture, type Fixture } from '../services/fixtures';

// Issue 17 channels through the one boundary: bad input names its field, nothing is written.

describe('escalation channels', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  beforeEach(() => {
    f = createFixture('2026-12-07T01:00:00.000Z');
    dispatch = createDispatch(createHandlers(f.services, 'websocket'));
  });
  afterEach(() => f.cleanup());

  const timelineRows = () => (f.services.db.prepare('SELECT COUNT(*) AS n FROM timeline').get() as { n: number }).n;

  it('names the field of bad input and writes nothing', async () => {
    const id = f.services.incidents.create({ title: 'API down', severity: 'high' }).id;
    const before = timelineRows();
    const cases: [string, unknown, RegExp][] = [
      ['escalation.escalate', { incidentId: id, level: 4, reason: 'x' }, /^level: must be 1, 2 or 3$/],
      ['escalation.escalate', { incidentId: id, level: 2, reason: '   ' }, /^reason: must not be empty$/],
      ['escalation.escalate', { incidentId: id, level: 2, reason: 'x', via: 'pager' }, /^via: must be one of phone, email, chat$/],
      ['contacts.add', { name: 'Kim', email: 'kim' }, /^email: must be an e-mail address$/],
      ['contacts.add', { name: 'Kim', timeZone: 'Mars/Olympus' }, /^timeZone: must be an IANA time zone/],
      ['contacts.add', { name: 'Kim', hours: { days: ['mon'], start: '9am', end: '18:00' } }, /^hours\.start: must be a time such as 09:00/],
      ['oncall.now', { at: 'tomorrow' }, /^at: must be an ISO 8601 date-time/],
      ['updates.save', { incidentId: id, format: 'eml', text: 'hi', path: 'relative/update.eml' }, /^path: must be an absolute path$/],
      ['updates.record', { incidentId: id, via: 'clipboard', text: '' }, /^text: must not be empty$/],
    ];
    for (const [channel, input, message] of cases) {
      const result = await dispatch(channel, input);
      expect(result.ok, channel).toBe(false);
      if (!result.ok) {
        expect(result.error.code).toBe('invalid_input');
        expect(result.error.message).toMatch(message);
      }
    }
    expect(timelineRows()).toBe(before);
  });

  it('refuses what the services refuse, with the reason', async () => {
    const missing = await dispatch('escalation.state', { incidentId: 99 });
    expect(missing).toEqual({ ok: false, error: { code: 'not_found', message: 'incident INC-0099 does not exist' } });
    const id = f.services.incidents.create({ title: 'API down', severity: 'high' }).id;
    const notOurs = await dispatch('escalation.acknowledge', { incidentId: id, entryId: 1 });
    expect(notOurs).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'entryId: #1 is not an escalation of INC-0001' } });
    const noFolder = await dispatch('updates.save', { incidentId: id, format: 'md', text: 'hi', path: path.join(f.home, 'nowhere', 'u.md') });
    expect(noFolder).toMatchObject({ ok: false, error: { code: 'invalid_input', message: `path: the folder ${path.join(f.home, 'nowhere')} does not exist` } });
    const badIcs = await dispatch('oncall.import', { format: 'ics', text: 'BEGIN:VCALENDAR\nEND:VCALENDAR\n', source: 'team.ics' });
    expect(badIcs).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'rotation: team.ics: the calendar has no events (VEVENT)' } });
  });

  it('keeps the text of a sent update byte for byte and hashes exactly it', async () => {
    const id = f.services.incidents.create({ title: 'API down', severity: 'high' }).id;
    const text = '  Update 1\n\nAll good.\n';
    const result = await dispatch('updates.save', { incidentId: id, language: 'en', format: 'md', text, subject: 'API down', path: path.join(f.home, 'u.md') });
    expect(result.ok).toBe(true);
    const entry = f.services.timeline.list(id).find((e) => e.kind === 'update.sent')!;
    expect(entry.data.text).toBe(text);
    expect(fs.readFileSync(path.join(f.home, 'u.md'), 'utf8')).toBe(`# API down\n\n${text}`);
  });
});
