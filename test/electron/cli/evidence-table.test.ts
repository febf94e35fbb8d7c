import { describe, expect, it } from 'vitest';
import type { ArtifactRecord } from '../../../shared/evidence';
import { artifactTable, artifactTableBlocks, bytesText } from '../../../electron/cli/evidence';
import { table } from '../../../electron/cli/format';

const artifact = (id: number): ArtifactRecord => ({
  id,
  incidentId: 1,
  collectionId: 1,
  // A long name late in the list: its width must shape the rows of the first block too.
  name: id === 1234 ? `web-1/var/log/${'x'.repeat(80)}.log` : `web-1/var/log/f${id}.log`,
  kind: 'file',
  status: id % 7 === 0 ? 'vanished' : 'ok',
  detail: id % 3 === 0 ? `server sha256 ${'a'.repeat(64)} of bytes 0–${id}` : null,
  sha256: id % 7 === 0 ? null : id.toString(16).padStart(64, '0'),
  size: id % 7 === 0 ? null : id * 1000,
  mediaType: 'text/plain; charset=utf-8',
  binary: false,
  source: null,
  sourceSha256: null,
  derivation: null,
  collector: 'remote-files',
  params: {},
  host: 'web-1',
  osUser: 'ops',
  collectedAt: '2026-12-06T10:00:00.000Z',
});

/** The table as it was built before it came in blocks: one `table` of every row, then the notes. */
function wholeTable(artifacts: readonly ArtifactRecord[]): string {
  const rows = artifacts.map((a) => [String(a.id), a.status, a.size === null ? '–' : bytesText(a.size), a.sha256 ?? '–', a.name]);
  const notes = artifacts.filter((a) => a.detail).map((a) => `  #${a.id} ${a.name}: ${a.detail}`);
  return [table([['ID', 'STATUS', 'SIZE', 'SHA256', 'NAME'], ...rows]), ...(notes.length ? ['', 'Notes:', ...notes] : [])].join('\n');
}

describe('artifact table in blocks', () => {
  it('joined by newlines, the blocks are the whole table, for a few artifacts and for thousands', () => {
    for (const count of [1, 2, 499, 500, 501, 2600]) {
      const artifacts = Array.from({ length: count }, (_, i) => artifact(i + 1));
      const blocks = [...artifactTableBlocks(artifacts)];
      expect(blocks.join('\n'), `${count} artifacts`).toBe(wholeTable(artifacts));
      expect(artifactTable(artifacts)).toBe(wholeTable(artifacts));
      // Never the whole table in one string.
      if (count > 1000) expect(Math.max(...blocks.map((b) => b.split('\n').length))).toBeLessThanOrEqual(501);
    }
    expect([...artifactTableBlocks([])]).toEqual(['No artifacts.']);
  });
});
