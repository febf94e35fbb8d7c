import { randomBytes } from 'node:crypto';
import type { ShellFlavor } from './types';

// A command from a runbook step is typed into the terminal as one wrapper "line" that
// prints two OSC 633-style markers carrying a per-run nonce (VS Code shell integration
// uses OSC 633 C = command executed, D = finished with exit code):
//   ESC ] 633 ; C ; <nonce> BEL                before the command runs
//   ESC ] 633 ; D ; <nonce> ; <exit code> BEL  after it, even when interrupted by Ctrl-C
// The markers are stripped from the displayed stream; what lies between them is the
// transcript. The echo of the wrapper itself shows the escapes as text (`\033`), so it can
// never be mistaken for a marker, and the nonce makes stale or forged markers harmless.

export const MARKER_PREFIX = '\x1b]633;';
export const MARKER_END = '\x07';

export function newNonce(): string {
  return `fb${randomBytes(8).toString('hex')}`;
}

export interface WrapRequest {
  readonly command: string;
  readonly nonce: string;
  readonly isolated: boolean;
  readonly cwd?: string;
  readonly env?: Readonly<Record<string, string>>;
  /**
   * The command text holds a secret (a promptEnv answer substituted into it): encode all
   * of it, so the typed line echoed on screen and kept in scrollback never shows it in
   * plain text. (PowerShell's wrapper always carries the command as base64; with this
   * set, the working directory too.)
   */
  readonly hideText?: boolean;
}

const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function assertEnvNames(env: Readonly<Record<string, string>> | undefined): void {
  for (const name of Object.keys(env ?? {})) {
    if (!ENV_NAME.test(name)) throw new Error(`invalid environment variable name: ${name}`);
  }
}

// ---- POSIX sh -------------------------------------------------------------------------

/** One source character as it must appear inside a single-quoted `printf %b` argument. */
function shPiece(ch: string): string {
  if (ch === '\\') return '\\\\';
  if (ch === "'") return "'\\''";
  if (ch === '\n') return '\\n';
  if (ch === '\t') return '\\t';
  const code = ch.charCodeAt(0);
  if (code < 0x20 || code === 0x7f) return `\\0${code.toString(8).padStart(3, '0')}`;
  return ch;
}

/** Every UTF-8 byte as `\0ooo`: for values that must not appear in the terminal's echo. */
function shOctal(value: string): string[] {
  return [...Buffer.from(value, 'utf8')].map((b) => `\\0${b.toString(8).padStart(3, '0')}`);
}

const SH_PART_MAX = 400;

/**
 * `printf '%b' 'part' 'part' …` producing `text` exactly. Parts are split onto continuation
 * lines so no physical line exceeds the tty's canonical line limit (4095 bytes, which
 * dash-like shells without line editing are subject to).
 */
function shPrintfB(pieces: readonly string[]): string {
  const parts: string[] = [];
  let current = '';
  for (const piece of pieces) {
    if (current.length + piece.length > SH_PART_MAX && current !== '') {
      parts.push(current);
      current = '';
    }
    current += piece;
  }
  if (current !== '' || parts.length === 0) parts.push(current);
  return `printf '%b' ${parts.map((p) => `'${p}'`).join(' \\\r')}`;
}

function shQuote(value: string): string {
  return `'${value.replace(/'/g, "'\\''")}'`;
}

/**
 * The wrapper for POSIX shells (bash, dash, zsh, ksh, busybox sh). A `trap : INT` in the
 * interactive shell keeps the list going when the command dies from Ctrl-C, so the D marker
 * is printed with status 130; `trap - INT` restores the default afterwards.
 */
export function wrapSh(req: WrapRequest): string {
  assertEnvNames(req.env);
  const body: string[] = [];
  for (const [name, value] of Object.entries(req.env ?? {})) {
    body.push(`${name}="$(${shPrintfB(shOctal(value))})" && export ${name} &&`);
  }
  if (req.cwd !== undefined) body.push(req.hideText ? `cd -- "$(${shPrintfB(shOctal(req.cwd))})" &&` : `cd -- ${shQuote(req.cwd)} &&`);
  body.push(`eval "$(${shPrintfB(req.hideText ? shOctal(req.command) : [...req.command].map(shPiece))})"`);
  const inner = req.isolated ? `( ${body.join(' ')} )` : `{ ${body.join(' ')}; }`;
  const begin = `printf '\\033]633;C;%s\\007' ${req.nonce}`;
  const end = `printf '\\033]633;D;%s;%s\\007' ${req.nonce} "$?"`;
  // Leading space: kept out of bash/zsh history when HISTCONTROL/HIST_IGNORE_SPACE allow it.
  return ` trap : INT; ${begin}; ${inner}; ${end}; trap - INT\r`;
}

// ---- PowerShell ---------------------------------------------------------------------

function psSingle(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function psDecode(value: string): string {
  return `[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from(value, 'utf8').toString('base64')}'))`;
}

/**
 * The wrapper for PowerShell 7 and Windows PowerShell 5.1. The command is decoded from
 * base64 into a script block (one physical line, no quoting pitfalls) and run dot-sourced
 * (or with `&` when isolated). Exit code: a caught terminating error → 1; otherwise a
 * non-zero $LASTEXITCODE of a native command → that code; otherwise `$?` false → 1; else 0.
 * The D marker is written from `finally`, which PowerShell runs on Ctrl-C too (→ 130).
 */
export function wrapPwsh(req: WrapRequest): string {
  assertEnvNames(req.env);
  const esc = '[char]27';
  const bel = '[char]7';
  const pre: string[] = [];
  for (const [name, value] of Object.entries(req.env ?? {})) {
    pre.push(`$env:${name}=${psDecode(value)};`);
  }
  if (req.cwd !== undefined) pre.push(`Set-Location -LiteralPath ${req.hideText ? `(${psDecode(req.cwd)})` : psSingle(req.cwd)} -ErrorAction Stop;`);
  const invoke = req.isolated ? '&' : '.';
  return [
    `$__fbSb=[ScriptBlock]::Create(${psDecode(req.command)});`,
    `[Console]::Write(${esc}+']633;C;${req.nonce}'+${bel});`,
    `$global:LASTEXITCODE=0; $__fbCode=130; $__fbDone=$false;`,
    `try { ${pre.join(' ')} ${invoke} $__fbSb; $__fbOk=$?; $__fbDone=$true;`,
    `$__fbCode = if ($global:LASTEXITCODE -is [int] -and $global:LASTEXITCODE -ne 0) { $global:LASTEXITCODE } elseif ($__fbOk) { 0 } else { 1 } }`,
    `catch { $__fbDone=$true; $__fbCode=1; Write-Error -ErrorRecord $_ }`,
    `finally { if (-not $__fbDone) { $__fbCode=130 }; [Console]::Write(${esc}+']633;D;${req.nonce};'+$__fbCode+${bel}) }\r`,
  ].join(' ');
}

export function wrapCommand(flavor: ShellFlavor, req: WrapRequest): string {
  return flavor === 'pwsh' ? wrapPwsh(req) : wrapSh(req);
}
