import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { useCliHarness } from '../../cli/support';

// Issue 18: restore accepted a backup with its last entry deleted once the sidecar hash was
// recomputed, hung on /dev/zero and FIFOs, and printed stack traces for non-databases.

describe('firebreak restore', () => {
  const harness = useCliHarness();
  const { cli } = harness;

  async function backupOf(name: string): Promise<string> {
    await cli('incident', 'new', '--title', 'API down', '--severity', 'high');
    for (const n of [2, 3, 4]) await cli('note', '1', `note ${n}`);
    const file = path.join(harness.home, name);
    const made = await cli('backup', '--out', file);
    expect(made.code).toBe(0);
    expect(made.out).toMatch(/Chain heads \(recorded in .*backups\.jsonl\):\n {2}INC-0001 #4 [0-9a-f]{64}/);
    return file;
  }

  /** Deletes the last entry behind the triggers' back and makes the sidecar agree again. */
  function truncateAndRehash(file: string): void {
    fs.chmodSync(file, 0o600);
    const db = new Database(file);
    db.exec('DROP TRIGGER timeline_no_delete');
    db.exec('DELETE FROM timeline WHERE incident_id = 1 AND seq = 4');
    db.close();
    const sha = createHash('sha256').update(fs.readFileSync(file)).digest('hex');
    fs.writeFileSync(`${file}.sha256`, `${sha}  ${path.basename(file)}\n`);
  }

  it('refuses a backup whose last entry was deleted and whose hash was recomputed, naming the entry', async () => {
    const file = await backupOf('b.db');
    truncateAndRehash(file);
    const run = await cli('restore', file);
    expect(run.code).toBe(1);
    expect(harness.errors.at(-1)).toMatch(/^firebreak: .*b\.db lacks what it held when it was backed up at .*: INC-0001 entry #4 is missing$/);
  });

  it('refuses a backup whose ledger line was edited to match it', async () => {
    const file = await backupOf('b.db');
    truncateAndRehash(file);
    const ledger = path.join(harness.home, 'backups', 'backups.jsonl');
    const record = JSON.parse(fs.readFileSync(ledger, 'utf8').trim()) as { heads: { seq: number; hash: string }[]; sha256: string };
    const db = new Database(file, { readonly: true });
    record.heads[0] = { ...record.heads[0]!, seq: 3, hash: (db.prepare('SELECT hash FROM timeline WHERE seq = 3').get() as { hash: string }).hash };
    db.close();
    record.sha256 = fs.readFileSync(`${file}.sha256`, 'utf8').split(' ')[0]!;
    fs.writeFileSync(ledger, `${JSON.stringify(record)}\n`);
    expect((await cli('restore', file)).code).toBe(1);
    expect(harness.errors.at(-1)).toMatch(/the ledger line of .*b\.db does not match its MAC/);
  });

  it('restores a recorded backup, and the anchors start again from its heads', async () => {
    const file = await backupOf('b.db');
    await cli('note', '1', 'after the backup');
    const run = await cli('restore', file);
    expect(run.code).toBe(0);
    expect(run.out).toMatch(/Restored .*\(4 timeline entries verified[\s\S]*Chain heads:\n {2}INC-0001 #4 /);
    const verify = await cli('timeline', 'verify');
    expect(verify).toMatchObject({ code: 0, out: expect.stringMatching(/intact: 4 entries/) });
    expect(fs.readdirSync(path.join(harness.home, 'backups')).some((n) => n.endsWith('anchors.jsonl'))).toBe(true);
  });

  it('asks for --unrecorded before restoring a file the ledger does not know', async () => {
    const file = await backupOf('b.db');
    const elsewhere = path.join(harness.home, 'from-another-laptop.db');
    fs.copyFileSync(file, elsewhere);
    expect((await cli('restore', elsewhere)).code).toBe(1);
    expect(harness.errors.at(-1)).toMatch(/has no keyed record in .*backups\.jsonl.*restore it with --unrecorded/);
    expect((await cli('restore', elsewhere, '--unrecorded')).code).toBe(0);
  });

  it('gives one line and exit 1 for a non-database, a folder, a FIFO and /dev/zero, without reading them', async () => {
    const junk = path.join(harness.home, 'notes.txt');
    fs.writeFileSync(junk, 'just some text, not SQLite\n'.repeat(200));
    const folder = path.join(harness.home, 'folder');
    fs.mkdirSync(folder);
    const fifo = path.join(harness.home, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const cases: [string, RegExp][] = [
      [junk, /notes\.txt is not a Firebreak backup: file is not a database$/],
      [folder, /folder is a folder, not a backup file/],
      [fifo, /pipe is a FIFO \(named pipe\), not a backup file/],
      ['/dev/zero', /\/dev\/zero is a character device, not a backup file/],
    ];
    for (const [file, message] of cases) {
      const run = await cli('restore', file, '--unrecorded');
      expect(run.code, file).toBe(1);
      const error = harness.errors.at(-1)!;
      expect(error, file).toMatch(message);
      expect(error.split('\n'), file).toHaveLength(1);
      expect(error, file).not.toMatch(/unexpected error|SqliteError|EISDIR|\n\s+at /);
    }
  });
});
