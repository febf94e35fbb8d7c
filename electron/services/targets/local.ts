import { spawn } from 'node:child_process';
import os from 'node:os';
import { LOCAL_TARGET, type TargetOrigin } from '../../../shared/targets';
import { STDERR_KEPT, type ExecOptions, type Target, type TargetProcess } from './target';

/** This laptop as a Target: the same scripts, run by the local /bin/sh. */
export class LocalTarget implements Target {
  readonly name = LOCAL_TARGET;

  exec(script: string, options: ExecOptions = {}): Promise<TargetProcess> {
    return Promise.resolve(spawnScript('/bin/sh', ['-s'], script, options));
  }

  origin(): Promise<TargetOrigin> {
    return Promise.resolve({ target: LOCAL_TARGET, hostname: os.hostname(), user: os.userInfo().username, hostKeyFingerprint: null });
  }

  shellCommand(): Promise<{ file: string; args: string[] }> {
    return Promise.resolve({ file: process.env.SHELL || '/bin/sh', args: [] });
  }
}

/** Spawns `file args`, writes the script to its stdin, exposes stdout, keeps the head of stderr. */
export function spawnScript(file: string, args: readonly string[], script: string, options: ExecOptions): TargetProcess {
  const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => {
    if (stderr.length < STDERR_KEPT) stderr += d.toString('utf8');
  });
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  const done = new Promise<{ code: number | null; stderr: string }>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      stderr += error.code === 'ENOENT' ? `${file} is not installed` : error.message;
      resolve({ code: null, stderr });
    });
    child.on('close', (code) => {
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, stderr });
    });
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(script);
  return { stdout: child.stdout, done, kill: () => child.kill('SIGKILL') };
}
