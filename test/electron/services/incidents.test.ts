import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServiceError } from '../../../electron/services/errors';
import { createFixture, type Fixture } from './fixtures';

const MIN = 60_000;

describe('IncidentService', () => {
  let f: Fixture;
  beforeEach(() => {
    f = createFixture();
  });
  afterEach(() => f.cleanup());
  const incidents = () => f.services.incidents;
  const kinds = (id: number) => f.services.timeline.list(id).map((e) => e.kind);

  it('creates an incident with every field and records it', () => {
    const created = incidents().create({
      title: 'Payments failing',
      severity: 'high',
      summary: 's',
      impact: 'EU customers',
      responder: 'alice',
      services: ['api', 'redis'],
      tags: ['payments'],
    });
    expect(created).toMatchObject({
      id: 1,
      status: 'detected',
      severity: 'high',
      services: ['api', 'redis'],
      detectedAt: '2026-11-23T09:00:00.000Z',
      acknowledgedAt: null,
      timelineCount: 1,
    });
    expect(f.services.timeline.list(1)[0]!.data).toMatchObject({ title: 'Payments failing', severity: 'high', impact: 'EU customers' });
  });

  it('counts every entry of each incident in timelineCount, in get, list and page alike', () => {
    const a = incidents().create({ title: 'A', severity: 'high' });
    const b = incidents().create({ title: 'B', severity: 'low' });
    const note = incidents().addNote(a.id, 'first');
    incidents().correct(a.id, note.id, 'second');
    f.services.timeline.appendMany([1, 2, 3].map((n) => ({ incidentId: b.id, kind: 'note', data: { text: `b${n}` } })));
    const expected = { [a.id]: f.services.timeline.list(a.id).length, [b.id]: f.services.timeline.list(b.id).length };
    expect(expected).toEqual({ [a.id]: 3, [b.id]: 4 });
    expect(incidents().get(a.id).timelineCount).toBe(3);
    expect(Object.fromEntries(incidents().list().map((i) => [i.id, i.timelineCount]))).toEqual(expected);
    expect(Object.fromEntries(incidents().page({}, 0, 10).incidents.map((i) => [i.id, i.timelineCount]))).toEqual(expected);
  });

  it('accepts a detection time in the past but not in the future', () => {
    expect(incidents().create({ title: 't', severity: 'low', detectedAt: '2026-11-23T08:00:00+01:00' }).detectedAt).toBe('2026-11-23T07:00:00.000Z');
    expect(() => incidents().create({ title: 't', severity: 'low', detectedAt: '2026-11-24T00:00:00Z' })).toThrow(/detectedAt: .* in the future/);
  });

  it('walks the lifecycle forward, stamping each time', () => {
    const { id } = incidents().create({ title: 't', severity: 'critical' });
    for (const [to, minutes] of [
      ['acknowledged', 5],
      ['investigating', 7],
      ['mitigated', 30],
      ['resolved', 50],
      ['closed', 24 * 60],
    ] as const) {
      f.clock.set(Date.parse('2026-11-23T09:00:00Z') + minutes * MIN);
      incidents().transition({ id, to });
    }
    expect(incidents().get(id)).toMatchObject({
      status: 'closed',
      acknowledgedAt: '2026-11-23T09:05:00.000Z',
      investigatingAt: '2026-11-23T09:07:00.000Z',
      mitigatedAt: '2026-11-23T09:30:00.000Z',
      resolvedAt: '2026-11-23T09:50:00.000Z',
      closedAt: '2026-11-24T09:00:00.000Z',
    });
    expect(kinds(id).filter((k) => k === 'status.changed')).toHaveLength(5);
  });

  it('refuses to skip statuses without a reason, and records the skip with one', () => {
    const { id } = incidents().create({ title: 't', severity: 'medium' });
    expect(() => incidents().transition({ id, to: 'resolved' })).toThrow(/reason: .*skips acknowledged, investigating, mitigated/);
    expect(incidents().get(id).status).toBe('detected');
    incidents().transition({ id, to: 'resolved', reason: 'false alarm: a monitoring glitch' });
    const entry = f.services.timeline.list(id).at(-1)!;
    expect(entry.data).toMatchObject({ from: 'detected', to: 'resolved', skipped: ['acknowledged', 'investigating', 'mitigated'] });
  });

  it('never moves backwards, in status or in time', () => {
    const { id } = incidents().create({ title: 't', severity: 'medium' });
    f.clock.advance(10 * MIN);
    incidents().transition({ id, to: 'acknowledged' });
    expect(() => incidents().transition({ id, to: 'detected' })).toThrow(/cannot move back/);
    expect(() => incidents().transition({ id, to: 'acknowledged' })).toThrow(/cannot move back or stay/);
    expect(() => incidents().transition({ id, to: 'investigating', at: '2026-11-23T09:05:00Z' })).toThrow(/at: .* before the previous status time/);
    incidents().transition({ id, to: 'investigating', at: '2026-11-23T09:10:00Z' });
  });

  it('keeps a closed incident read-only except for notes', () => {
    const { id } = incidents().create({ title: 't', severity: 'low' });
    incidents().transition({ id, to: 'closed', reason: 'duplicate of INC-0002' });
    const refused = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof ServiceError ? e.code : 'other';
      }
      return 'allowed';
    };
    expect(refused(() => incidents().update(id, { title: 'x' }))).toBe('conflict');
    expect(refused(() => incidents().setSeverity(id, 'high'))).toBe('conflict');
    expect(refused(() => incidents().pauseSla(id, 'x'))).toBe('conflict');
    expect(refused(() => incidents().addNote(id, 'postmortem link: …'))).toBe('allowed');
    const note = f.services.timeline.list(id).at(-1)!;
    expect(refused(() => incidents().correct(id, note.id, 'the link is …/42'))).toBe('allowed');
  });

  it('records edits and severity changes with before and after', () => {
    const { id } = incidents().create({ title: 'old', severity: 'low' });
    incidents().update(id, { title: 'new', services: ['db'] });
    incidents().setSeverity(id, 'critical', 'customer data at risk');
    const [, updated, severity] = f.services.timeline.list(id);
    expect(updated!.data).toEqual({ changes: { title: { from: 'old', to: 'new' }, services: { from: [], to: ['db'] } } });
    expect(severity!.data).toEqual({ from: 'low', to: 'critical', reason: 'customer data at risk' });
    // An edit that changes nothing writes nothing.
    incidents().update(id, { title: 'new' });
    expect(f.services.timeline.list(id)).toHaveLength(3);
  });

  it('links a correction to the entry it corrects without touching it', () => {
    const { id } = incidents().create({ title: 't', severity: 'low' });
    const note = incidents().addNote(id, 'restarted redis-2');
    const correction = incidents().correct(id, note.id, 'it was redis-1');
    expect(correction).toMatchObject({ kind: 'correction', corrects: note.id, data: { text: 'it was redis-1', correctsSeq: 2 } });
    expect(f.services.timeline.get(note.id)!.data).toEqual({ text: 'restarted redis-2' });
    const other = incidents().create({ title: 'other', severity: 'low' });
    expect(() => incidents().correct(other.id, note.id, 'x')).toThrow(/does not exist/);
  });

  it('lists most urgent first and filters', () => {
    const low = incidents().create({ title: 'low one', severity: 'low' });
    const critical = incidents().create({ title: 'critical one', severity: 'critical' });
    const done = incidents().create({ title: 'done', severity: 'critical' });
    incidents().transition({ id: done.id, to: 'resolved', reason: 'fixed' });
    expect(incidents().list().map((i) => i.id)).toEqual([critical.id, low.id, done.id]);
    expect(incidents().list({ openOnly: true }).map((i) => i.id)).toEqual([critical.id, low.id]);
    expect(incidents().list({ severity: ['low'] }).map((i) => i.id)).toEqual([low.id]);
    expect(incidents().list({ query: 'critical' }).map((i) => i.id)).toEqual([critical.id]);
    expect(incidents().list({ query: '100%_' })).toEqual([]);
  });

  it('says which incident does not exist', () => {
    expect(() => incidents().get(42)).toThrow('incident INC-0042 does not exist');
  });
});
