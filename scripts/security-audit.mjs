#!/usr/bin/env node
// `npm run audit:security`: Electronegativity over the app's sources. Any HIGH or MEDIUM
// finding fails the run unless the code carries, within three lines of the finding, a
// comment `electronegativity-ignore: CHECK_ID — why it is safe here`.
//
// It calls the tool's runner directly: the CLI writes its CSV report with an asynchronous
// write that can lose findings when the process exits first.
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const run = require('@doyensec/electronegativity/dist/runner.js');
const SOURCES = ['electron', 'renderer'];
const electronVersion = require('electron/package.json').version;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-audit-'));

try {
  // The tool takes one input folder: give it just the app's sources (no tests, no node_modules).
  for (const dir of SOURCES) fs.cpSync(path.join(root, dir), path.join(work, dir), { recursive: true });
  const result = await run({
    input: work,
    customScan: [],
    excludeFromScan: [],
    isRelative: true,
    isVerbose: false,
    electronVersionOverride: electronVersion,
    parserPlugins: [],
  });
  if (result.errors.length > 0) {
    for (const e of result.errors) console.error(`audit: could not analyse ${path.relative(work, e.file ?? '')}: ${e.message ?? e.error ?? JSON.stringify(e)}`);
    process.exit(1);
  }
  const rows = result.issues.map((issue) => ({
    check: issue.id,
    severity: issue.severity.name,
    file: path.relative(work, path.resolve(work, issue.file)),
    line: issue.location.line,
  }));
  const serious = rows.filter((r) => r.severity === 'HIGH' || r.severity === 'MEDIUM');
  const unexplained = serious.filter((r) => {
    const file = path.join(root, r.file);
    if (!fs.existsSync(file)) return true;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const near = lines.slice(Math.max(0, r.line - 4), r.line + 3).join('\n');
    return !new RegExp(`electronegativity-ignore: ${r.check}\\b`).test(near);
  });
  for (const r of rows) console.log(`${unexplained.includes(r) ? 'FAIL' : 'ok  '} ${r.severity.padEnd(8)} ${r.check} ${r.file}:${r.line}`);
  console.log(
    `audit: ${result.atomicChecks + result.globalChecks} checks, ${rows.length} findings, ${serious.length} high/medium, ${unexplained.length} without a justification`,
  );
  process.exitCode = unexplained.length === 0 ? 0 : 1;
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
