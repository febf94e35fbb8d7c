#!/usr/bin/env node
// `firebreak` / `npx firebreak`: runs the built CLI, building it once if out/ is missing
// (a fresh clone after `npm install`).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'out', 'main', 'cli.js');

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
process.exitCode = await runCli(process.argv.slice(2));
