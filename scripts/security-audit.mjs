#!/usr/bin/env node
// `npm run audit:security`: Electronegativity over the app's sources. Any HIGH or MEDIUM
// finding fails the run unless the code carries, within three lines of the finding, a
// comment `electronegativity-ignore: CHECK_ID — why it is safe here`.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-audit-'));
const SOURCES = ['electron', 'renderer'];
const electronVersion = JSON.parse(fs.readFileSync(path.join(root, 'node_modules/electron/package.json'), 'utf8')).version;

try {
  // The tool takes one input folder: give it just the app's sources (no tests, no node_modules).
  for (const dir of SOURCES) fs.cpSync(path.join(root, dir), path.join(work, 'src', dir), { recursive: true });
  const csv = path.join(work, 'findings.csv');
  const bin = path.join(root, 'node_modules/@doyensec/electronegativity/dist/index.js');
  const run = spawnSync(process.execPath, [bin, '-i', path.join(work, 'src'), '-r', '-v', 'false', '-e', electronVersion, '-o', csv], {
    encoding: 'utf8',
    timeout: 300_000,
  });
  if (!fs.existsSync(csv)) {
    console.error(run.stdout, run.stderr);
    console.error('audit: electronegativity produced no report');
    process.exit(1);
  }
  const rows = fs
    .readFileSync(csv, 'utf8')
    .split('\n')
    .slice(1)
    .filter(Boolean)
    .map((line) => {
      const [check, severity, confidence, file, location] = line.split(',').map((cell) => cell.replace(/^"|"$/g, ''));
      return { check, severity, confidence, file, line: Number(location.split(':')[0]) };
    });
  const serious = rows.filter((r) => r.severity === 'HIGH' || r.severity === 'MEDIUM');
  const unexplained = serious.filter((r) => {
    const file = path.join(root, r.file);
    if (!fs.existsSync(file)) return true;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    const near = lines.slice(Math.max(0, r.line - 4), r.line + 3).join('\n');
    return !new RegExp(`electronegativity-ignore: ${r.check}\\b`).test(near);
  });
  for (const r of rows) console.log(`${unexplained.includes(r) ? 'FAIL' : 'ok  '} ${r.severity.padEnd(8)} ${r.check} ${r.file}:${r.line}`);
  console.log(`audit: ${rows.length} findings, ${serious.length} high/medium, ${unexplained.length} without a justification`);
  process.exit(unexplained.length === 0 ? 0 : 1);
} finally {
  fs.rmSync(work, { recursive: true, force: true });
}
