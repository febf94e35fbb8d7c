import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channels, type ChannelName } from '../../shared/contract';
import { createDispatch, type Dispatch } from '../../electron/dispatch';
import { createHandlers } from '../../electron/handlers';
import { createFixture, type Fixture } from './services/fixtures';

// Inputs that are wrong for every channel: wrong type entirely, or a stray field.
const GARBAGE: unknown[] = ['a string', 42, [], { unexpectedField: true }, { id: 'one' }, { incidentId: -1 }];

/** Channels whose input may be omitted entirely. */
const OPTIONAL_INPUT = new Set<ChannelName>(CHANNEL_NAMES.filter((name) => channels[name].input.safeParse(undefined).success));

describe('dispatch: the one boundary', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  beforeEach(() => {
    f = createFixture();
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
  });
  afterEach(() => f.cleanup());

  it('answers a valid call with {ok, value}', async () => {
    const result = await dispatch('incidents.create', { title: 'Disk full on db-1', severity: 'P2' });
    expect(result).toMatchObject({ ok: true, value: { id: 1, severity: 'medium', status: 'detected' } });
  });

  it.each(CHANNEL_NAMES)('%s refuses malformed input with a message naming the field, and writes nothing', async (channel) => {
    const before = f.services.db.prepare('SELECT (SELECT COUNT(*) FROM incidents) + (SELECT COUNT(*) FROM timeline) AS n').get();
    for (const input of GARBAGE) {
      const result = await dispatch(channel, input);
      if (OPTIONAL_INPUT.has(channel) && typeof input === 'object' && input !== null && !Array.isArray(input) && Object.keys(input).length === 0) continue;
      expect(result.ok, `${channel} accepted ${JSON.stringify(input)}`).toBe(false);
      if (result.ok) continue;
      expect(['invalid_input', 'not_found']).toContain(result.error.code);
      expect(result.error.message).toMatch(/^[\w.]+: /);
    }
    expect(f.services.db.prepare('SELECT (SELECT COUNT(*) FROM incidents) + (SELECT COUNT(*) FROM timeline) AS n').get()).toEqual(before);
  });

  it('names every bad field', async () => {
    const result = await dispatch('incidents.create', { title: '', severity: 'urgent', colour: 'red' });
    expect(result).toEqual({
      ok: false,
      error: {
        code: 'invalid_input',
        message: expect.stringMatching(/title: must not be empty.*severity: must be one of critical, high, medium, low \(or P0–P3\), got "urgent".*input: unknown field colour/),
      },
    });
  });

  it('refuses unknown channels and odd channel values', async () => {
    for (const channel of ['incidents.drop', '__proto__', 'constructor', 42, null]) {
      expect(await dispatch(channel, {})).toMatchObject({ ok: false, error: { code: 'unknown_channel' } });
    }
  });

  it('turns domain errors into codes and never throws', async () => {
    expect(await dispatch('incidents.get', { id: 99 })).toEqual({ ok: false, error: { code: 'not_found', message: 'incident INC-0099 does not exist' } });
    await dispatch('incidents.create', { title: 't', severity: 'low' });
    expect(await dispatch('incidents.transition', { id: 1, to: 'closed' })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('reports an unexpected failure as internal without crashing', async () => {
    f.services.db.close();
    const result = await dispatch('incidents.list', {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal', message: expect.stringContaining('incidents.list failed') } });
  });
});
