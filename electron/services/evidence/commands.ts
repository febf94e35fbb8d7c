import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import crypto from 'node:crypto';
import type { CollectionContext } from './context';
import type { ArtifactDraft } from './types';

export interface CommandSpec {
  /** Artifact name, e.g. `commands/journalctl.txt`. */
  readonly name: string;
  readonly command: string;
  readonly args: readonly string[];
  readonly timeoutMs?: number;
  /**
   * For tools that write a file instead of stdout (`wevtutil epl … FILE`): the argument
   * `{out}` is replaced by a temp path whose content becomes the artifact.
   */
  readonly outputFile?: { readonly extension: string };
  readonly mediaType?: string;
}

const STDERR_KEPT = 16 * 1024;

/**
 * Runs a platform command without a shell and streams its stdout into the store (the
 * stream is paused while writes catch up, so a chatty command cannot fill memory).
 * A missing tool, a non-zero exit or a timeout give a `command-failed` artifact whose
 * detail says why; whatever output there was is still kept.
 */
export async function runCommand(ctx: CollectionContext, spec: CommandSpec): Promise<ArtifactDraft> {
  ctx.progress(0, `${spec.command} ${spec.args.join(' ')}`);
  const outFile = spec.outputFile ? path.join(os.tmpdir(), `firebreak-${crypto.randomBytes(6).toString('hex')}.${spec.outputFile.extension}`) : undefined;
  const args = spec.args.map((a) => (outFile ? a.replace('{out}', outFile) : a));
  const sink = await ctx.store.createSink(ctx.signal);
  let stderr = '';
  let failure: string | null = null;
  try {
    const child = spawn(spec.command, args, { stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    const timer = setTimeout(() => {
      failure = `timed out after ${spec.timeoutMs ?? 60_000} ms`;
      child.kill('SIGKILL');
    }, spec.timeoutMs ?? 60_000);
    const onAbort = () => child.kill('SIGKILL');
    ctx.signal?.addEventListener('abort', onAbort, { once: true });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < STDERR_KEPT) stderr += d.toString('utf8').slice(0, STDERR_KEPT - stderr.length);
    });
    const exit = new Promise<number | null>((resolve) => {
      child.on('error', (e: NodeJS.ErrnoException) => {
        failure ??= e.code === 'ENOENT' ? `${spec.command} is not installed` : e.message;
        resolve(null);
      });
      child.on('close', (code) => resolve(code));
    });
    try {
      for await (const chunk of child.stdout as AsyncIterable<Buffer>) {
        await sink.write(chunk);
        ctx.progress(chunk.length);
      }
      const code = await exit;
      if (code !== 0 && failure === null) failure = `exit code ${code}`;
    } finally {
      clearTimeout(timer);
      ctx.signal?.removeEventListener('abort', onAbort);
    }
    ctx.signal?.throwIfAborted();
    if (outFile && failure === null) {
      const input = fs.createReadStream(outFile, { highWaterMark: 1 << 20 });
      for await (const chunk of input as AsyncIterable<Buffer>) {
        await sink.write(chunk);
        ctx.progress(chunk.length);
      }
    }
  } catch (error) {
    await sink.abort();
    if (outFile) await fs.promises.rm(outFile, { force: true });
    throw error;
  }
  if (outFile) await fs.promises.rm(outFile, { force: true });
  const blob = await sink.finish();
  return {
    name: spec.name,
    kind: 'command',
    status: failure === null ? 'ok' : 'command-failed',
    detail: [failure, stderr.trim() ? `stderr: ${stderr.trim()}` : null].filter(Boolean).join('; ') || null,
    sha256: blob.sha256,
    size: blob.size,
    mediaType: spec.mediaType ?? 'text/plain; charset=utf-8',
    binary: spec.mediaType !== undefined && !spec.mediaType.startsWith('text/'),
    source: null,
    sourceSha256: null,
    derivation: null,
  };
}

/** Whether an executable is on PATH (checked before offering a command preset). */
export function onPath(command: string, env: NodeJS.ProcessEnv = process.env): boolean {
  const exts = process.platform === 'win32' ? (env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const dir of (env.PATH ?? '').split(path.delimiter)) {
    for (const ext of exts) {
      if (dir && fs.existsSync(path.join(dir, command + ext))) return true;
    }
  }
  return false;
}
