import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../electron/services';
import { DATABASE_FILE } from '../../../electron/services/db/open';
import { tempHome } from '../../support/temp-home';

// SIGKILL a writer at random moments, 200 times. After each restart the database must
// pass integrity_check, the hash chain must verify, and every entry the writer reported
// as committed must be there.
const ROUNDS = Number(process.env.FIREBREAK_CRASH_ROUNDS ?? 200);

describe('durability under SIGKILL', () => {
  const home = tempHome('firebreak-crash-');
  let child: string;

  beforeAll(async () => {
    // Bundled once so each of the 200 starts costs a plain `node` start, not a TS compile.
    child = path.join(home.dir, 'appender.cjs');
    await build({
      entryPoints: [path.join(__dirname, 'appender.ts')],
      bundle: true,
      platform: 'node',
      format: 'cjs',
      outfile: child,
      external: ['better-sqlite3', 'systeminformation', 'node-pty', 'ioredis', 'neo4j-driver', 'playwright-core'],
      nodePaths: [path.resolve(__dirname, '../../../node_modules')],
      logLevel: 'error',
    });
  });
  afterAll(() => home.cleanup());

  function runAndKill(delayMs: number): Promise<number> {
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, [child, path.join(home.dir, 'profile')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../../node_modules') },
      });
      let last = 0;
      let buffer = '';
      let errors = '';
      let timer: NodeJS.Timeout | undefined;
      proc.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) last = Number(line.slice('committed '.length));
        timer ??= setTimeout(() => proc.kill('SIGKILL'), delayMs);
      });
      proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code}): ${errors}`));
        else resolve(last);
      });
    });
  }

  it(`keeps every committed entry and an intact chain across ${ROUNDS} kills`, async () => {
    let reported = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const last = await runAndKill(Math.floor(Math.random() * 60));
      reported = Math.max(reported, last);

      const file = path.join(home.dir, 'profile', DATABASE_FILE);
      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
      raw.close();

      const services = createServices({ home: path.join(home.dir, 'profile') });
      try {
        const verification = services.timeline.verify();
        expect(verification.ok, `round ${round}: ${JSON.stringify(verification.failures)}`).toBe(true);
        const notes = services.db
          .prepare("SELECT COUNT(*) AS n FROM timeline WHERE kind = 'note'")
          .get() as { n: number };
        // Every note the writer saw committed survived (and none was duplicated).
        expect(notes.n, `round ${round}`).toBeGreaterThanOrEqual(reported);
        reported = notes.n;
      } finally {
        services.close();
      }
    }
    expect(fs.existsSync(path.join(home.dir, 'profile', DATABASE_FILE))).toBe(true);
  }, 600_000);
});
