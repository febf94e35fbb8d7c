import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDispatch, type Dispatch } from '../../../../electron/dispatch';
import { createHandlers } from '../../../../electron/handlers';
import type { CollectionResult } from '../../../../shared/evidence';
import { createFixture, type Fixture } from '../fixtures';

// Issue 15: a glob that matches nothing was silently ignored; now it is an artifact the
// operator sees (status vanished, "no file matches: PATTERN"), like a literal path that is not there.
describe('collecting a pattern that matches nothing', () => {
  let f: Fixture;
  let dispatch: Dispatch;
  let incidentId: number;
  let logs: string;
  let src: string;
  beforeEach(() => {
    f = createFixture();
    // Sources live outside the profile: a walk never collects Firebreak's own profile.
    src = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-src-'));
    dispatch = createDispatch(createHandlers(f.services, 'websocket'), () => undefined);
    incidentId = f.services.incidents.create({ title: 'x', severity: 'low' }).id;
    logs = path.join(src, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, 'app.log'), 'ERROR x\n');
  });
  afterEach(() => {
    f.cleanup();
    fs.rmSync(src, { recursive: true, force: true });
  });

  it('names each pattern that matched nothing and each missing path beside what was stored', async () => {
    const missingDir = path.join(src, 'no-such-dir');
    const result = await dispatch('evidence.collectFiles', {
      incidentId,
      paths: [`${logs}/*.log`, `${logs}/*.nomatch`, `${missingDir}/*.log`, path.join(missingDir, 'app.log')],
      requestId: 'r1',
    });
    if (!result.ok) throw new Error(result.error.message);
    const { artifacts } = result.value as CollectionResult;
    // Workers run side by side: the order is not the patterns' order.
    expect(artifacts.map((a) => [a.status, a.detail]).sort()).toEqual([
      ['ok', null],
      ['vanished', `ENOENT: ${path.join(missingDir, 'app.log')}`],
      ['vanished', `no file matches: ${missingDir}/*.log`],
      ['vanished', `no file matches: ${logs}/*.nomatch`],
    ].sort());
  });
});
