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

// A collection from a target streams thousands of files through this process, whose live
// heap stays small (~35 MB for 10,000 files). V8's default young generation grows to 32 MB
// (two 16 MB semi-spaces) and, collected less often, keeps the stream's buffers longer in the
// malloc heap too; the old generation may grow to 4x the live heap between major GCs. With
// 10,000 files: peak RSS 212 MB; 1 MB semi-spaces 158-187 MB (no more CPU); with the growth
// factor fixed at 1.5 as well 141-144 MB, for 6 more mark-compacts (+70 ms of GC in a 10 s
// collection; --optimize-for-size: 133-136 MB but +430 ms of GC and slower code). V8 takes
// these only at start (a flag set at run time is reset when a Worker starts, and the
// collection starts one), so `collect --target` runs node again with them: ~90 ms more
// (1% of such a collection). Other commands start as before: a smaller young generation
// slows their start by ~40 ms and local collections are measured against a bare process.
const SMALL_HEAP = ['--max-semi-space-size=1', '--heap-growing-percent=50'];
const remoteCollect = args.includes('collect') && args.some((a) => a === '--target' || a.startsWith('--target='));
const restart = remoteCollect && !process.execArgv.some((a) => a.startsWith('--max-semi-space-size'));
if (restart) {
  const argv = [...process.execArgv, ...SMALL_HEAP, fileURLToPath(import.meta.url), ...args];
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
