#!/usr/bin/env node
// Runs after `npm install`. Deliberately tolerant: it never downloads Electron and never
// rebuilds native modules for Electron's ABI (that would replace the Node build the CLI and
// tests need, and fails offline). `npm start` does that work when it can.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const problems = [];
for (const name of ['better-sqlite3', 'node-pty']) {
  try {
    if (name === 'better-sqlite3') new (require(name))(':memory:').close();
    else require(name);
  } catch (error) {
    problems.push(`${name}: ${error instanceof Error ? error.message.split('\n')[0] : error}`);
  }
}
if (problems.length > 0) {
  console.warn('firebreak: a native module did not load for this Node:');
  for (const p of problems) console.warn(`  ${p}`);
  console.warn('  (on Debian/Ubuntu: apt-get install python3 make g++, then npm rebuild)');
}
if (!existsSync(new URL('../node_modules/electron/dist', import.meta.url))) {
  console.log('firebreak: installed. The Electron binary is fetched by `npm start` when it is first needed.');
}
