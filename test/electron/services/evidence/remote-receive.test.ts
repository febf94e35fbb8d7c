import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ContentStore } from '../../../../electron/services/evidence/cas';
import { toFilters } from '../../../../electron/services/evidence/files';
import { RemoteReceiver } from '../../../../electron/services/evidence/remote-receive';

describe('RemoteReceiver', () => {
  const dirs: string[] = [];
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });
  const receive = async (chunks: readonly Buffer[]) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-receive-'));
    dirs.push(dir);
    const rx = new RemoteReceiver(await new ContentStore(dir).createSink(), toFilters({ grep: 'ERROR' }), 0);
    for (const c of chunks) await rx.push(c);
    await rx.end();
    const blob = await rx.sink.finish();
    return { rx, stored: fs.readFileSync(blob.path) };
  };
  const data = Buffer.concat([Buffer.from('x'), Buffer.from([0, 1]), Buffer.from('ERROR here\nplain\n')]);

  it('decides binary on the first 8 KiB however the bytes are chunked (empty and one-byte first chunks included)', async () => {
    for (const chunks of [[data], [Buffer.alloc(0), data], [data.subarray(0, 1), data.subarray(1)]]) {
      const { rx, stored } = await receive(chunks);
      expect(rx.binary).toBe(true);
      expect(stored.equals(data)).toBe(true);
    }
    const text = await receive([Buffer.from('a\n'), Buffer.from('ERROR b\nc\n')]);
    expect(text.rx.binary).toBe(false);
    expect(text.stored.toString()).toBe('ERROR b\n');
    expect(text.rx.receivedSha256()).toMatch(/^[0-9a-f]{64}$/);
  });
});
