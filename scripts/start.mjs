#!/usr/bin/env node
// `npm start`: build, make sure Electron and an Electron-ABI build of better-sqlite3 exist
// (fetching them when online), then open the app. When that cannot be done — no network,
// a proxy that blocks the download, no display — say why in one sentence and serve the
// same console through the browser host instead, so the responder always gets a console.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
const quiet = { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 300_000 };

function firstErrorLine(output) {
  const lines = String(output ?? '').split('\n').map((l) => l.trim()).filter(Boolean);
  const line = lines.find((l) => /error|ENOTFOUND|ECONN|EAI_AGAIN|ETIMEDOUT|fetch failed|refused|denied|proxy/i.test(l)) ?? lines[0] ?? 'no output';
  return line.replace(/^\w*Error:\s*/, '').slice(0, 160);
}

/** The newest mtime under the source folders, to skip a rebuild when out/ is current. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else newest = Math.max(newest, fs.statSync(full).mtimeMs);
    }
  };
  for (const dir of ['electron', 'renderer', 'shared']) walk(path.join(root, dir));
  for (const file of ['package.json', 'electron.vite.config.ts']) newest = Math.max(newest, fs.statSync(path.join(root, file)).mtimeMs);
  return newest;
}

function build() {
  const marker = path.join(root, 'out', 'main', 'cli.js');
  if (fs.existsSync(marker) && fs.statSync(marker).mtimeMs >= newestSource()) return;
  const result = spawnSync(process.execPath, [path.join(root, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], quiet);
  if (result.status !== 0) {
    console.error(result.stdout, result.stderr);
    console.error('firebreak: the build failed (see above).');
    process.exit(1);
  }
}

/** Returns the Electron executable, or throws with the reason it is not available. */
function ensureElectron() {
  if (process.env.FIREBREAK_BROWSER === '1') throw new Error('FIREBREAK_BROWSER=1 asks for the browser host');
  const electronDir = path.dirname(require.resolve('electron/package.json'));
  const install = spawnSync(process.execPath, [path.join(electronDir, 'install.js')], quiet);
  if (install.status !== 0) throw new Error(`the Electron binary could not be downloaded (${firstErrorLine(`${install.stderr}\n${install.stdout}`)})`);
  const executable = require('electron');
  if (typeof executable !== 'string' || !fs.existsSync(executable)) throw new Error('the Electron binary is missing after its install');
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) throw new Error('there is no display to open a window on');
  return executable;
}

/**
 * better-sqlite3 is not N-API: Electron needs its own build. It goes in .electron-native/
 * (loaded through better-sqlite3's nativeBinding option) so the Node build that the CLI
 * and the tests use is never replaced.
 */
function ensureElectronSqlite(electronVersion) {
  const target = path.join(root, '.electron-native', 'better-sqlite3');
  const binary = path.join(target, 'build', 'Release', 'better_sqlite3.node');
  const stamp = path.join(target, '.electron-version');
  if (fs.existsSync(binary) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === electronVersion) return;
  fs.rmSync(target, { recursive: true, force: true });
  const source = path.dirname(require.resolve('better-sqlite3/package.json'));
  fs.cpSync(source, target, { recursive: true, filter: (p) => !p.includes(`${path.sep}build${path.sep}`) && !p.endsWith(`${path.sep}build`) });
  const prebuilt = spawnSync(process.execPath, [require.resolve('prebuild-install/bin.js'), '--runtime=electron', `--target=${electronVersion}`], { ...quiet, cwd: target });
  if (prebuilt.status !== 0 || !fs.existsSync(binary)) {
    const gyp = process.env.npm_config_node_gyp ?? path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
    const compiled = spawnSync(process.execPath, [gyp, 'rebuild', '--release', `--target=${electronVersion}`, '--runtime=electron', '--dist-url=https://electronjs.org/headers'], { ...quiet, cwd: target });
    if (compiled.status !== 0 || !fs.existsSync(binary)) {
      fs.rmSync(target, { recursive: true, force: true });
      throw new Error(`better-sqlite3 could not be built for Electron ${electronVersion} (${firstErrorLine(`${compiled.stderr}\n${prebuilt.stderr}`)})`);
    }
  }
  fs.writeFileSync(stamp, electronVersion);
}

function launchElectron(executable) {
  const child = spawn(executable, ['.', ...args], { cwd: root, stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 0)));
}

async function serveInBrowser(reason) {
  console.log(`Firebreak cannot open its desktop window here because ${reason}, so it is serving the same console through its browser host instead.`);
  const { runCli } = require(path.join(root, 'out', 'main', 'cli.js'));
  process.exitCode = await runCli(['serve', ...args]);
}

build();
let executable;
try {
  executable = ensureElectron();
  ensureElectronSqlite(require('electron/package.json').version);
} catch (error) {
  await serveInBrowser(error instanceof Error ? error.message : String(error));
}
if (executable && process.exitCode === undefined) launchElectron(executable);
