import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { tempHome } from '../support/temp-home';

const ROOT = path.resolve(__dirname, '../..');

function waitForOutput(child: ChildProcess, pattern: RegExp): Promise<{ match: RegExpExecArray; output: string }> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = pattern.exec(output);
      if (match) resolve({ match, output });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    child.once('exit', (code) => reject(new Error(`exited ${code} before ${pattern}: ${output}`)));
  });
}

describe('the README commands', () => {
  let child: ChildProcess | undefined;
  const home = tempHome('firebreak-start-');
  afterEach(() => child?.kill('SIGTERM'));
  afterAll(() => home.cleanup());

  it('npm start falls back to the browser host, saying why in one sentence', async () => {
    // An unreachable mirror makes the Electron download fail the same way offline does.
    child = spawn(process.execPath, ['scripts/start.mjs'], {
      cwd: ROOT,
      env: { ...process.env, FIREBREAK_HOME: home.dir, ELECTRON_MIRROR: 'http://127.0.0.1:9/', electron_config_cache: path.join(home.dir, 'cache') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const { match, output } = await waitForOutput(child, /Firebreak console: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/);
    const sentence = output.split('\n').find((l) => l.startsWith('Firebreak cannot open its desktop window'));
    expect(sentence).toMatch(/because .*, so it is serving the same console through its browser host instead\.$/);
    const page = await fetch(match[1]!, { redirect: 'manual' });
    expect(page.status).toBe(303);
    expect((await fetch(new URL(match[1]!).origin)).status).toBe(401);
  });

  it('npx firebreak runs the built CLI', () => {
    const result = spawnSync(process.execPath, ['bin/firebreak.mjs', '--home', home.dir, 'incident', 'new', '--title', 'From bin', '--severity', 'low', '--json'], { cwd: ROOT, encoding: 'utf8' });
    expect(result.status).toBe(0);
    expect(JSON.parse(result.stdout)).toMatchObject({ title: 'From bin', severity: 'low' });
  });

  // Every collect starts a fresh CLI, and its start is part of the time of collecting a big
  // log (issue 20): parsers and clients it does not call must not be loaded.
  it('a collect loads no parser or client it does not call; a runbook lint loads its parsers', () => {
    const log = path.join(home.dir, 'one.log');
    fs.writeFileSync(log, '2026-11-23T10:00:00.000Z INFO one line\n');
    const loadedBy = (...args: string[]): Set<string> => {
      const record = path.join(home.dir, `loaded-${args[0]}.json`);
      const preload = path.join(home.dir, 'record-loads.cjs');
      fs.writeFileSync(
        preload,
        `const Module = require('node:module'); const seen = new Set(); const load = Module._load;
         Module._load = function (request, ...rest) { if (!request.startsWith('.') && !request.startsWith('/') && !request.startsWith('node:')) seen.add(request); return load.call(this, request, ...rest); };
         process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(record)}, JSON.stringify([...seen])));`,
      );
      const result = spawnSync(process.execPath, ['--require', preload, 'bin/firebreak.mjs', '--home', home.dir, ...args], { cwd: ROOT, encoding: 'utf8' });
      expect(result.status, result.stderr).toBe(0);
      return new Set(JSON.parse(fs.readFileSync(record, 'utf8')) as string[]);
    };
    const incident = spawnSync(process.execPath, ['bin/firebreak.mjs', '--home', home.dir, 'incident', 'new', '--title', 'Start-up', '--severity', 'low', '--json'], { cwd: ROOT, encoding: 'utf8' });
    const { id } = JSON.parse(incident.stdout) as { id: number };
    const collect = loadedBy('collect', String(id), '--files', log, '--since', '2026-11-23T09:00:00Z', '--json');
    expect(collect.has('better-sqlite3')).toBe(true);
    for (const unused of ['yaml', 'markdown-it', 'ical.js', 'mustache', 'neo4j-driver', 'ioredis', 'systeminformation', 'ws']) expect(collect.has(unused), unused).toBe(false);
    const lint = loadedBy('runbook', 'lint');
    expect(lint.has('markdown-it') && lint.has('yaml')).toBe(true);
  });

  it('a collection from a target runs with a small young generation and old-generation growth; other commands start as they are', () => {
    // A preload records each process's node flags (it is passed on with them when bin/ runs node again).
    const preload = path.join(home.dir, 'flags.cjs');
    const log = path.join(home.dir, 'flags.log');
    fs.writeFileSync(preload, `require('node:fs').appendFileSync(${JSON.stringify(log)}, JSON.stringify(process.execArgv) + '\\n');`);
    const run = (...args: string[]) => {
      fs.rmSync(log, { force: true });
      const result = spawnSync(process.execPath, ['--require', preload, 'bin/firebreak.mjs', '--home', home.dir, ...args], { cwd: ROOT, encoding: 'utf8' });
      const flags = fs.readFileSync(log, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as string[]);
      return { ...result, flags };
    };
    const remote = run('collect', '999', '--target', 'web-1', '--files', '/var/log/x.log');
    // The restarted process does the work: its message once, its exit status.
    expect(remote.status).toBe(1);
    expect(remote.stderr.trim()).toBe('firebreak: incident INC-0999 does not exist');
    expect(remote.flags.at(-1)).toEqual(expect.arrayContaining(['--max-semi-space-size=1', '--heap-growing-percent=50']));
    const local = run('incident', 'list');
    expect(local.status).toBe(0);
    expect(local.flags).toEqual([['--require', preload]]);
  });
});
