import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type { ShellFlavor } from './types';

export interface ShellChoice {
  readonly file: string;
  readonly args: string[];
  readonly flavor: ShellFlavor;
}

/** PowerShell understands the pwsh wrapper; every other shell is treated as POSIX sh. */
export function flavorOf(shell: string): ShellFlavor {
  const base = path.basename(shell.replace(/\\/g, '/')).toLowerCase();
  return base === 'pwsh' || base === 'pwsh.exe' || base === 'powershell' || base === 'powershell.exe' ? 'pwsh' : 'sh';
}

function onPath(exe: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform): string | null {
  const sep = platform === 'win32' ? ';' : ':';
  const dirs = (env.PATH ?? env.Path ?? '').split(sep).filter(Boolean);
  for (const dir of dirs) {
    const candidate = path.join(dir, exe);
    if (existsSync(candidate)) return candidate;
  }
  return null;
}

/** Whether a shell can be started: an existing path, or a name found on PATH. */
export function shellExists(file: string, env: NodeJS.ProcessEnv, platform: NodeJS.Platform = process.platform): boolean {
  if (platform === 'win32') return true; // node-pty resolves and reports it there
  if (file.includes('/')) return existsSync(file);
  return onPath(file, env, platform) !== null;
}

/**
 * The platform's shell: PowerShell 7 (`pwsh`) or Windows PowerShell on Windows, the user's
 * $SHELL (or /bin/sh) elsewhere.
 */
export function defaultShell(
  platform: NodeJS.Platform = process.platform,
  env: NodeJS.ProcessEnv = process.env,
): ShellChoice {
  if (platform === 'win32') {
    const file = onPath('pwsh.exe', env, platform) ?? 'powershell.exe';
    return { file, args: ['-NoLogo'], flavor: 'pwsh' };
  }
  const file = env.SHELL && env.SHELL.trim() !== '' ? env.SHELL : '/bin/sh';
  return { file, args: flavorOf(file) === 'pwsh' ? ['-NoLogo'] : [], flavor: flavorOf(file) };
}

/** Environment for the shell: inherited, minus what must not leak from the app, plus ours. */
export function shellEnv(
  base: NodeJS.ProcessEnv,
  incidentId: number,
  extra: Readonly<Record<string, string>> | undefined,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(base)) {
    if (value === undefined) continue;
    if (key === 'ELECTRON_RUN_AS_NODE' || key === 'NODE_OPTIONS' || key.startsWith('VSCODE_')) continue;
    env[key] = value;
  }
  env.TERM = 'xterm-256color';
  env.COLORTERM = 'truecolor';
  env.TERM_PROGRAM = 'firebreak';
  env.FIREBREAK_INCIDENT_ID = String(incidentId);
  if (!env.LANG && !env.LC_ALL) env.LANG = process.platform === 'darwin' ? 'en_US.UTF-8' : 'C.UTF-8';
  return { ...env, ...(extra ?? {}) };
}
