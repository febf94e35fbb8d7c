import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ContentStore } from '../../../../electron/services/evidence/cas';
import { removeOrphanBlobs } from '../../../../electron/services/evidence/orphans';
import { tempHome } from '../../../support/temp-home';

describe('orphan blobs', () => {
  it('removes only unreferenced blobs written before the scan, never other files', async () => {
    const home = tempHome();
    try {
      const store = new ContentStore(path.join(home.dir, 'evidence'));
      const put = (sha: string, mtime: Date) => {
        const file = store.pathFor(sha);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.writeFileSync(file, sha, { mode: 0o444 });
        fs.utimesSync(file, mtime, mtime);
        return file;
      };
      const old = new Date('2026-11-01T00:00:00Z');
      const scan = Date.parse('2026-11-02T00:00:00Z');
      const kept = put('a'.repeat(64), old);
      const orphan = put('b'.repeat(64), old);
      const fresh = put('c'.repeat(64), new Date(scan + 1000));
      fs.writeFileSync(path.join(store.blobRoot, 'README'), 'not a blob');
      const removed = await removeOrphanBlobs(store, (sha) => sha === 'a'.repeat(64), scan);
      expect(removed).toEqual([orphan]);
      for (const file of [kept, fresh, path.join(store.blobRoot, 'README')]) expect(fs.existsSync(file)).toBe(true);
    } finally {
      home.cleanup();
    }
  });
});
