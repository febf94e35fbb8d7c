#!/usr/bin/env node
// `firebreak` / `npx firebreak`: runs the built CLI, building it once if out/ is missing
// (a fresh clone after `npm install`).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'out', 'main', 'cli.js');
const args = process.argv.slice(2);

// A collection from a target streams thousands of files through this process. V8's default
// young generation grows to 32 MB (two 16 MB semi-spaces) and, as it is collected less
// often, keeps the stream's buffers longer in the malloc heap too: with 10,000 files that
// was ~50 MB of the peak RSS (212 MB; 1 MB semi-spaces: 158-167 MB, no slower). V8 takes the
// size only at start (a flag set at run time is reset when a Worker starts, and the
// collection starts one), so `collect --target` runs node again with it: ~90 ms more
// (1% of such a collection). Other commands start as before: a smaller young generation
// slows their start by ~40 ms and local collections are measured against a bare process.
const YOUNG_GENERATION = '--max-semi-space-size=1';
const remoteCollect = args.includes('collect') && args.some((a) => a === '--target' || a.startsWith('--target='));
const restart = remoteCollect && !process.execArgv.some((a) => a.startsWith('--max-semi-space-size'));
if (restart) {
  const argv = [...process.execArgv, YOUNG_GENERATION, fileURLToPath(import.meta.url), ...args];
  // Newer Node replaces this process outright; otherwise a child runs it and this one waits.
  if (typeof process.execve === 'function') process.execve(process.execPath, [process.execPath, ...argv]);
  const child = spawn(process.execPath, argv, { stdio: 'inherit' });
  // Ctrl+C reaches both (one process group): the child cancels its collection and reports; this one waits for it.
  process.on('SIGINT', () => undefined);
  for (const signal of ['SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  const code = await new Promise((resolve) => child.on('exit', (status, signal) => resolve(status ?? 128 + (os.constants.signals[signal] ?? 1))));
  process.exit(code);
}

if (!existsSync(cli)) {
  console.error('firebreak: building the app once (out/ is missing)…');
  const build = spawnSync(process.execPath, [path.join(root, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'), 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (build.status !== 0 || !existsSync(cli)) {
    console.error('firebreak: the build failed; run `npm run build` in', root, 'to see why.');
    process.exit(1);
  }
}

const require = createRequire(import.meta.url);
const { runCli } = require(cli);
process.exitCode = await runCli(args);
