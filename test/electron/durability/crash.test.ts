import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../../electron/services';
import { DATABASE_FILE } from '../../../electron/services/db/open';
import { tempHome } from '../../support/temp-home';

// SIGKILL a writer (timeline appends and evidence collection) at random moments, 200
// times. After each restart the database must pass integrity_check, the hash chain must
// verify, every entry and artifact the writer reported as committed must be there, and
// the evidence store must verify against its hashes and custody entries.
const ROUNDS = Number(process.env.FIREBREAK_CRASH_ROUNDS ?? 200);
// Bounded in time too (a loaded CI machine): after at least MIN_ROUNDS, no new round starts
// once this budget is spent. A bound, not an assertion.
const BUDGET_MS = Number(process.env.FIREBREAK_CRASH_BUDGET_MS ?? 300_000);
const MIN_ROUNDS = Math.min(ROUNDS, 20);

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

  function runAndKill(delayMs: number): Promise<{ committed: number; stored: number }> {
    return new Promise((resolve, reject) => {
      const proc = spawn(process.execPath, [child, path.join(home.dir, 'profile')], {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, NODE_PATH: path.resolve(__dirname, '../../../node_modules') },
      });
      let last = 0;
      let stored = 0;
      let buffer = '';
      let errors = '';
      let timer: NodeJS.Timeout | undefined;
      proc.stdout.on('data', (chunk: Buffer) => {
        buffer += chunk.toString();
        const lines = buffer.split('\n');
        buffer = lines.pop() ?? '';
        for (const line of lines) {
          if (line.startsWith('committed ')) last = Number(line.slice('committed '.length));
          if (line.startsWith('stored ')) stored = Number(line.slice('stored '.length));
        }
        timer ??= setTimeout(() => proc.kill('SIGKILL'), delayMs);
      });
      proc.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
      proc.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (signal !== 'SIGKILL') reject(new Error(`writer exited on its own (${code}): ${errors}`));
        else resolve({ committed: last, stored });
      });
    });
  }

  it(`keeps every committed entry and an intact chain across ${ROUNDS} kills`, async () => {
    let reported = 0;
    let storedReported = 0;
    const started = performance.now();
    let rounds = 0;
    for (let round = 0; round < ROUNDS; round++) {
      if (round >= MIN_ROUNDS && performance.now() - started > BUDGET_MS) break;
      rounds++;
      // Mostly early kills; every fourth writer lives long enough to finish some evidence
      // copies on a slow disk too, so kills land between and during collections alike.
      const { committed, stored } = await runAndKill(Math.floor(Math.random() * (round % 4 === 3 ? 600 : 80)));
      reported = Math.max(reported, committed);
      storedReported = Math.max(storedReported, stored);

      const file = path.join(home.dir, 'profile', DATABASE_FILE);
      const raw = new Database(file);
      expect(raw.pragma('integrity_check', { simple: true }), `round ${round}`).toBe('ok');
      raw.close();

      const services = createServices({ home: path.join(home.dir, 'profile'), identity: { actor: 'crash-test', host: 'child' } });
      try {
        await services.anchors.ready();
        const verification = services.timeline.verify();
        expect(verification.ok, `round ${round}: ${JSON.stringify(verification.failures)}`).toBe(true);
        // The anchors outside the database were compared too, and never ran ahead of it.
        expect(verification.anchors, `round ${round}`).toMatchObject({ checked: true });
        const notes = services.db
          .prepare("SELECT COUNT(*) AS n FROM timeline WHERE kind = 'note'")
          .get() as { n: number };
        // Every note the writer saw committed survived (and none was duplicated).
        expect(notes.n, `round ${round}`).toBeGreaterThanOrEqual(reported);
        reported = notes.n;

        // Evidence: the interrupted collection is marked incomplete, every stored artifact
        // is there, and every blob still matches its hash and its custody entry.
        await services.evidence.ready();
        const [incident] = services.incidents.list();
        const artifacts = services.evidence.listArtifacts(incident!.id);
        expect(artifacts.length, `round ${round}`).toBeGreaterThanOrEqual(storedReported);
        storedReported = artifacts.length;
        const store = await services.evidenceArchive.verifyStore(incident!.id);
        expect(store.ok, `round ${round}: ${JSON.stringify(store.failures.slice(0, 3))}`).toBe(true);
        expect(services.db.prepare("SELECT COUNT(*) AS n FROM evidence_collections WHERE status = 'running'").get()).toEqual({ n: 0 });
        // No blob of a killed collection outlives the restart: every stored blob is referenced.
        const blobRoot = path.join(home.dir, 'profile', 'incidents', String(incident!.id), 'evidence', 'sha256');
        const blobs = fs.existsSync(blobRoot) ? fs.readdirSync(blobRoot).flatMap((s) => fs.readdirSync(path.join(blobRoot, s)).map((n) => `${s}${n}`)) : [];
        expect(blobs.sort(), `round ${round}`).toEqual([...new Set(artifacts.map((a) => a.sha256).filter(Boolean))].sort());
      } finally {
        services.close();
      }
    }
    console.info(`crash test: ${rounds} kills, ${reported} notes and ${storedReported} evidence artifacts survived intact`);
    expect(storedReported).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(home.dir, 'profile', DATABASE_FILE))).toBe(true);
  }, 600_000);
});
