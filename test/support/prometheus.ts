import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { serverEnv } from './server-env';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';

/** Whether prometheus can run here; under CI=true a missing binary is a failure, not a skip. */
export function hasPrometheus(): boolean {
  const found = fs.existsSync(PROMETHEUS_BIN);
  if (!found && process.env.CI === 'true') throw new Error(`prometheus not found at ${PROMETHEUS_BIN} and CI=true: install it (apt-get install -y prometheus)`);
  return found;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as net.AddressInfo).port;
      server.close(() => resolve(port));
    });
  });
}

export interface RunningPrometheus {
  readonly url: string;
  stop(): Promise<void>;
}

/**
 * Prometheus from apt on 127.0.0.1 and a random port, temp config and storage, scraping
 * `target` (host:port) every `scrapeSeconds`. Resolves once /-/ready answers.
 */
export async function startPrometheus(target: string, scrapeSeconds = 1): Promise<RunningPrometheus> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'firebreak-prom-'));
  const config = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(
    config,
    [
      'global:',
      `  scrape_interval: ${scrapeSeconds}s`,
      `  evaluation_interval: ${scrapeSeconds}s`,
      'scrape_configs:',
      '  - job_name: seed000',
      `    scrape_interval: ${scrapeSeconds}s`,
      `    scrape_timeout: ${scrapeSeconds}s`,
      '    static_configs:',
      `      - targets: ['${target}']`,
      '',
    ].join('\n'),
  );
  const port = await freePort();
  const child: ChildProcess = spawn(
    PROMETHEUS_BIN,
    [`--config.file=${config}`, `--storage.tsdb.path=${path.join(dir, 'data')}`, `--web.listen-address=127.0.0.1:${port}`, '--log.level=warn'],
    { env: serverEnv(), stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  };
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${stderr}`);
    try {
      const response = await fetch(`${url}/-/ready`);
      if (response.ok) return { url, stop };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await stop();
  throw new Error(`prometheus did not become ready: ${stderr}`);
}

/** Polls `check` until it returns a value (Prometheus scrapes on its own schedule). */
export async function eventually<T>(check: () => Promise<T | undefined>, attempts = 200, pauseMs = 250): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check().catch(() => undefined);
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
  throw new Error('condition not met');
}
