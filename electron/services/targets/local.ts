import { spawn } from 'node:child_process';
import { PassThrough, type Readable } from 'node:stream';
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
    options.onStderr?.(d);
    if (stderr.length < STDERR_KEPT) stderr += d.toString('utf8');
  });
  const onAbort = (): void => {
    child.kill('SIGKILL');
  };
  options.signal?.addEventListener('abort', onAbort, { once: true });
  // The read timeout counts from the last chunk that came out of the command; it is re-armed
  // on every chunk, so a long but steady transfer never trips it.
  let stalled: string | undefined;
  let stdout: Readable = child.stdout;
  let timer: NodeJS.Timeout | undefined;
  const readTimeoutMs = options.readTimeoutMs ?? 0;
  if (readTimeoutMs > 0) {
    const through = new PassThrough();
    const arm = (): void => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalled = `no output for ${formatSeconds(readTimeoutMs)} (read timeout)`;
        child.kill('SIGKILL');
        // An ssh mux client hands its stdio to the ControlMaster, which keeps writing into our
        // pipes after the client is gone: close our ends so the stream and the process finish now.
        child.stdout.unpipe(through);
        child.stdout.destroy();
        child.stderr.destroy();
        through.end();
      }, readTimeoutMs);
    };
    child.stdout.on('data', arm);
    child.stdout.on('end', () => clearTimeout(timer));
    child.stdout.pipe(through);
    stdout = through;
    arm();
  }
  const done = new Promise<{ code: number | null; stderr: string; stalled?: string }>((resolve) => {
    child.on('error', (error: NodeJS.ErrnoException) => {
      stderr += error.code === 'ENOENT' ? `${file} is not installed` : error.message;
      resolve({ code: null, stderr });
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      options.signal?.removeEventListener('abort', onAbort);
      resolve(stalled ? { code, stderr, stalled } : { code, stderr });
    });
  });
  child.stdin.on('error', () => undefined);
  child.stdin.end(script);
  return { stdout, done, kill: () => child.kill('SIGKILL') };
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
