import { spawn } from 'node:child_process';

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
}

export interface RunOptions {
  readonly input?: string;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly env?: NodeJS.ProcessEnv;
}

/**
 * Runs a short helper (ssh -G, ssh -O check, ssh-keyscan, ssh-keygen) without a shell and
 * collects its output. Never rejects: a missing binary is `code: null` with the reason in
 * stderr, a timeout or an abort kills it and says so.
 */
export function runProcess(file: string, args: readonly string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    let settled = false;
    const child = spawn(file, args, { stdio: ['pipe', 'pipe', 'pipe'], env: options.env ?? process.env });
    const timer = options.timeoutMs
      ? setTimeout(() => {
          timedOut = true;
          child.kill('SIGKILL');
        }, options.timeoutMs)
      : undefined;
    const onAbort = (): void => {
      child.kill('SIGKILL');
    };
    options.signal?.addEventListener('abort', onAbort, { once: true });
    let grace: NodeJS.Timeout | undefined;
    const finish = (code: number | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      clearTimeout(grace);
      options.signal?.removeEventListener('abort', onAbort);
      resolve({ code, stdout, stderr, timedOut });
    };
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString('utf8')));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    child.on('error', (error: NodeJS.ErrnoException) => {
      stderr += error.code === 'ENOENT' ? `${file} is not installed` : error.message;
      finish(null);
    });
    // The output is complete when both pipes have ended, which can come after 'exit' on a busy
    // machine (finishing at 'exit' lost ssh-keyscan's keys now and then). But a backgrounded ssh
    // master may keep an inherited pipe open for good, so after 'exit' the pipes get a short grace.
    let exitCode: number | null | undefined;
    let openPipes = 2;
    const maybeDone = (): void => {
      if (exitCode !== undefined && openPipes === 0) finish(exitCode);
    };
    child.stdout.once('end', () => (openPipes--, maybeDone()));
    child.stderr.once('end', () => (openPipes--, maybeDone()));
    child.on('exit', (code) => {
      exitCode = code;
      maybeDone();
      grace = setTimeout(() => finish(code), 500);
    });
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
