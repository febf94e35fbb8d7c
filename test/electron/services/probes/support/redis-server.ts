import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import { serverEnv } from '../../../../support/server-env';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

/** Whether redis-server can run here; under CI=true a missing server is a test failure, not a skip. */
export function redisAvailable(): boolean {
  const found = fs.existsSync(REDIS_SERVER) || spawnSync(REDIS_SERVER, ['--version']).status === 0;
  if (!found && process.env.CI === 'true') throw new Error(`redis-server not found at ${REDIS_SERVER} and CI=true: install it (apt-get install -y redis-server)`);
  if (!found) console.warn(`[probes] skipping Redis tests: redis-server not found at ${REDIS_SERVER} (apt-get install -y redis-server)`);
  return found;
}

export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface RedisHandle {
  readonly port: number;
  readonly process: ChildProcess;
  stop(): Promise<void>;
}

/**
 * Starts `redis-server --port N --save '' --appendonly no` on loopback and waits until it
 * accepts. `port` restarts a server on the port a probe already targets.
 */
export async function startRedis(extraArgs: string[] = [], port?: number): Promise<RedisHandle> {
  port ??= await freePort();
  const child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--daemonize', 'no', ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serverEnv(),
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited: ${output.slice(-500)}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.connect({ port, host: '127.0.0.1' }, () => {
        s.destroy();
        resolve(true);
      });
      s.on('error', () => resolve(false));
    });
    if (ok) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server did not start on ${port}: ${output.slice(-500)}`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    port,
    process: child,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null || child.signalCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
        setTimeout(() => child.kill('SIGKILL'), 3_000).unref();
      }),
  };
}
