import type { CommandSpec } from './commands';

// Where logs live on each platform. Globs that match nothing are simply not collected;
// commands whose tool is missing are left out of the preset (see `onPath`).

export interface LogPreset {
  readonly globs: readonly string[];
  readonly commands: readonly CommandSpec[];
}

export interface PresetWindow {
  /** ISO time: passed to journalctl / log show so the export covers the window. */
  readonly since?: string;
  readonly tail?: number;
}

export function logPreset(platform: NodeJS.Platform, window: PresetWindow = {}, env: NodeJS.ProcessEnv = process.env): LogPreset {
  switch (platform) {
    case 'linux':
      return {
        globs: [
          '/var/log/syslog',
          '/var/log/messages',
          '/var/log/kern.log',
          '/var/log/auth.log',
          '/var/log/secure',
          '/var/log/dmesg',
          '/var/log/nginx/*.log',
          '/var/log/apache2/*.log',
          '/var/log/httpd/*_log',
          '/var/log/postgresql/*.log',
          '/var/log/redis/*.log',
        ],
        commands: [
          {
            name: 'commands/journalctl.txt',
            command: 'journalctl',
            args: [
              '--no-pager',
              '-o',
              'short-iso-precise',
              ...(window.since ? ['--since', toJournalTime(window.since)] : []),
              ...(window.tail !== undefined ? ['-n', String(window.tail)] : window.since ? [] : ['--since', '-24h']),
            ],
            timeoutMs: 120_000,
          },
        ],
      };
    case 'darwin':
      return {
        globs: ['/var/log/system.log', '/var/log/install.log', '/var/log/wifi.log', `${env.HOME ?? '~'}/Library/Logs/*.log`],
        commands: [
          {
            name: 'commands/log-show.txt',
            command: 'log',
            args: ['show', '--style', 'syslog', ...(window.since ? ['--start', toJournalTime(window.since)] : ['--last', '1h'])],
            timeoutMs: 180_000,
          },
        ],
      };
    case 'win32':
      return {
        globs: [`${env.ProgramData ?? 'C:\\ProgramData'}\\Firebreak\\logs\\*.log`],
        commands: ['System', 'Application', 'Security'].map((log) => ({
          name: `eventlogs/${log}.evtx`,
          command: 'wevtutil',
          // epl: export-log; /ow: overwrite the temp file we named.
          args: ['epl', log, '{out}', '/ow:true'],
          outputFile: { extension: 'evtx' },
          mediaType: 'application/vnd.ms-evtx',
          timeoutMs: 300_000,
        })),
      };
    default:
      return { globs: ['/var/log/messages', '/var/log/syslog'], commands: [] };
  }
}

/** journalctl and `log show` want local "YYYY-MM-DD HH:MM:SS". */
function toJournalTime(iso: string): string {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}
