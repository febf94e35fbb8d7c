import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../electron/dispatch';
import { createHandlers } from '../../../electron/handlers';
import { compileUserPatterns, createRedactor } from '../../../electron/services/reports/redact';
import type { CollectionResult, SearchResult } from '../../../shared/evidence';
import { compileUserPattern } from '../../../shared/user-pattern';
import { createFixture, type Fixture } from '../services/fixtures';

// Issue 18: `--grep '(a+)+$'` on a 40-character line held the collection for over a minute
// and froze the host (app.info and evidence.cancel waited). User patterns run on RE2 now.

const EVIL = '(a+)+$';
const LINE = `${'a'.repeat(40)}!`;

describe('user patterns run in linear time', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  let incidentId: number;
  let file: string;
  let src: string;
  const call = async <T,>(channel: string, input?: unknown): Promise<T> => {
    const result = await dispatch(channel, input);
    if (!result.ok) throw new Error(`${result.error.code}: ${result.error.message}`);
    return result.value as T;
  };

  beforeEach(() => {
    f = createFixture();
    // Sources live outside the profile: a walk never collects Firebreak's own profile.
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-src-'));
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
    incidentId = f.services.incidents.create({ title: 'regex', severity: 'low' }).id;
    file = path.join(src, 'evil.log');
    fs.writeFileSync(file, `${LINE}\n`.repeat(2000) + 'aaaa\n');
  });
  afterEach(() => {
    f.cleanup();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('grep with a catastrophic pattern finishes, keeping the lines that match', async () => {
    const result = await call<CollectionResult>('evidence.collectFiles', { incidentId, paths: [file], grep: EVIL, requestId: 'evil' });
    expect(result.collection.status).toBe('complete');
    expect(result.artifacts[0]).toMatchObject({ status: 'ok', size: 5 });
  });

  it('cancel gets through while such a grep runs over many files, and app.info answers', async () => {
    const many = path.join(src, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 200; i++) fs.writeFileSync(path.join(many, `f${i}.log`), `${LINE}\n`.repeat(200));
    let cancelled: Promise<{ cancelled: boolean }> | undefined;
    let info: Promise<unknown> | undefined;
    f.services.events.on('evidence.progress', (p) => {
      if (!cancelled && p.requestId === 'many' && p.files > 0) {
        info = call('app.info');
        cancelled = call('evidence.cancel', { requestId: 'many' });
      }
    });
    const result = await call<CollectionResult>('evidence.collectFiles', { incidentId, paths: [many], grep: EVIL, requestId: 'many' });
    expect(await cancelled).toEqual({ cancelled: true });
    expect(await info).toMatchObject({ transport: 'websocket' });
    expect(result.collection.status).toBe('cancelled');
  });

  it('evidence search with the same pattern finishes', async () => {
    const collected = await call<CollectionResult>('evidence.collectFiles', { incidentId, paths: [file], requestId: 'plain' });
    const search = await call<SearchResult>('evidence.search', { artifactId: collected.artifacts[0]!.id, pattern: EVIL });
    expect(search.matches.map((m) => m.text)).toEqual(['aaaa']);
  });

  it('redaction patterns run on RE2 too, keeping the report text', () => {
    const redactor = createRedactor(true, compileUserPatterns([EVIL, 'db-[0-9]+']));
    expect(redactor.apply(`${LINE} on db-42`)).toBe(`${LINE} on [REDACTED]`);
    expect(redactor.apply('aaaa')).toBe('[REDACTED]');
  });

  it('names unsupported syntax clearly, at the boundary', async () => {
    const bad = await dispatch('evidence.collectFiles', { incidentId, paths: [file], grep: '(a)\\1', requestId: 'bad' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/grep.*backreferences \(\\1…\) are not supported; Firebreak runs patterns with RE2/) } });
    expect(() => compileUserPattern('foo(?=bar)')).toThrow(/lookahead and lookbehind .* are not supported/);
    expect(() => compileUserPattern('(a')).toThrow(/"\(a" is not a valid regular expression: missing closing \)/);
    expect(() => compileUserPatterns(['ok', '(?<=x)y'])).toThrow(/patterns\.1: .*lookahead and lookbehind/);
    expect(compileUserPattern('ERROR|critical', { ignoreCase: true }).test('a CRITICAL line')).toBe(true);
  });
});
