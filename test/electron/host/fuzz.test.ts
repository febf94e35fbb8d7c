import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { CHANNEL_NAMES, channels } from '../../../shared/contract';
import { createDispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { startHost, type RunningHost } from '../../../electron/host/server';
import { createFixture, type Fixture } from '../services/fixtures';

/** Deterministic PRNG so a failure reproduces. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KEYS = ['id', 'incidentId', 'title', 'severity', 'to', 'text', 'path', 'paths', '__proto__', 'constructor', 'prototype', 'input', 'x', ''];

function randomValue(rand: () => number, depth = 0): unknown {
  const pick = Math.floor(rand() * (depth > 2 ? 7 : 10));
  switch (pick) {
    case 0:
      return null;
    case 1:
      return rand() < 0.5;
    case 2:
      return [0, -1, 1e308, -0.5, Number.MAX_SAFE_INTEGER + 2, 42][Math.floor(rand() * 6)];
    case 3:
      return ['', 'P0', 'critical', '../../etc/passwd', '\u0000', 'x'.repeat(30_000), '🔥', '{"a":1}'][Math.floor(rand() * 8)];
    case 4:
      return '2026-13-45T99:99:99Z';
    case 5:
      return undefined;
    case 6:
      return Math.floor(rand() * 1000);
    case 7:
      return Array.from({ length: Math.floor(rand() * 4) }, () => randomValue(rand, depth + 1));
    default: {
      const out: Record<string, unknown> = {};
      for (let i = Math.floor(rand() * 4); i > 0; i--) out[KEYS[Math.floor(rand() * KEYS.length)]!] = randomValue(rand, depth + 1);
      return out;
    }
  }
}

describe('fuzzing every contract channel over the browser host', () => {
  let f: Fixture;
  let host: RunningHost;
  let ws: WebSocket;
  const pending = new Map<number, (message: any) => void>();

  beforeAll(async () => {
    f = createFixture();
    host = await startHost({ dispatch: createDispatch(createHandlers(f.services, 'websocket'), () => undefined), events: f.services.events, rendererDir: f.home });
    ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws`, { headers: { Authorization: `Bearer ${host.token}` } });
    ws.on('message', (raw) => {
      const message = JSON.parse(raw.toString());
      if (message.type === 'response' && typeof message.id === 'number') pending.get(message.id)?.(message);
    });
    await new Promise((resolve) => ws.once('open', resolve));
  });
  afterAll(async () => {
    ws.close();
    await host.close();
    f.cleanup();
  });

  let nextId = 1;
  const call = (channel: string, input: unknown) =>
    new Promise<any>((resolve) => {
      const id = nextId++;
      pending.set(id, resolve);
      ws.send(JSON.stringify({ id, channel, input }));
    });
  const written = () =>
    f.services.db.prepare('SELECT (SELECT COUNT(*) FROM incidents) + (SELECT COUNT(*) FROM timeline) AS n').get() as { n: number };

  it('refuses random input on every channel with a clear error, writes nothing, and stays up', async () => {
    const rand = mulberry32(20261123);
    const before = written();
    let refused = 0;
    for (const channel of CHANNEL_NAMES) {
      for (let i = 0; i < 40; i++) {
        const input = randomValue(rand);
        // What actually crosses the wire: `{a: undefined}` arrives as `{}`, which channels without input accept.
        const wire = JSON.stringify(input);
        if (wire === undefined || wire === '{}') continue;
        const { result } = await call(channel, input);
        if (result.ok) {
          // A random value that happens to be valid (`{severity: []}` for a list) may pass, but only then.
          expect(channels[channel].input.safeParse(JSON.parse(wire)).success, `${channel} accepted ${wire.slice(0, 200)}`).toBe(true);
          continue;
        }
        expect(['invalid_input', 'not_found'], `${channel}: ${result.error.code} ${result.error.message}`).toContain(result.error.code);
        expect(result.error.message.length).toBeGreaterThan(5);
        refused++;
      }
    }
    expect(refused).toBeGreaterThan(CHANNEL_NAMES.length * 20);
    expect(written()).toEqual(before);
    expect((await call('app.info', {})).result.ok).toBe(true);
  });

  it('refuses random channel names', async () => {
    for (const channel of ['', 'incidents', 'incidents.', '.create', 'incidents.create.x', 'hasOwnProperty', 'toString', '__proto__.x']) {
      expect((await call(channel, {})).result.error.code).toBe('unknown_channel');
    }
  });
});
