import type { Target } from '../targets/target';
import type { CollectionContext } from './context';
import { receiveRemote } from './remote-receive';
import type { ArtifactDraft } from './types';

// The system snapshot of a remote target (issue 13): processes, listening ports, services,
// disk, memory, OS and recent file changes, each from the first tool the server has,
// in a fallback order that ends with plain /proc reads (busybox and minimal images work).
// Each section is one session on the reused connection; its output is streamed into the
// store and hashed in the same read. A section whose every tool is missing is recorded as
// `command-failed` naming what was tried; the others are unaffected.

export interface RemoteSection {
  /** Artifact name under `<target>/snapshot/`. */
  readonly name: string;
  /** Alternatives, tried in order: the first whose program exists runs. */
  readonly tries: readonly { readonly program: string; readonly command: string }[];
}

export const REMOTE_SNAPSHOT: readonly RemoteSection[] = [
  { name: 'os.txt', tries: [{ program: 'uname', command: 'uname -a; echo; cat /etc/os-release 2>/dev/null; echo; uptime 2>/dev/null; date -u' }] },
  {
    name: 'processes.txt',
    tries: [
      { program: 'ps', command: 'ps -eo pid,ppid,user,lstart,pcpu,pmem,rss,stat,args ww 2>/dev/null || ps -ef 2>/dev/null || ps' },
      { program: 'cat', command: 'for d in /proc/[0-9]*; do printf "%s %s\\n" "${d#/proc/}" "$(tr "\\0" " " < "$d/cmdline" 2>/dev/null)"; done' },
    ],
  },
  {
    name: 'listening-ports.txt',
    tries: [
      { program: 'ss', command: 'ss -tulpan' },
      { program: 'netstat', command: 'netstat -tulpan 2>/dev/null || netstat -an' },
      { program: 'cat', command: 'cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null' },
    ],
  },
  {
    name: 'services.txt',
    tries: [
      { program: 'systemctl', command: 'systemctl list-units --type=service --all --no-pager --plain --no-legend' },
      { program: 'rc-status', command: 'rc-status --all' },
      { program: 'service', command: 'service --status-all 2>&1' },
      { program: 'ls', command: 'ls -l /etc/init.d' },
    ],
  },
  { name: 'disk.txt', tries: [{ program: 'df', command: 'df -P -k; echo; df -P -i 2>/dev/null' }] },
  { name: 'memory.txt', tries: [{ program: 'cat', command: 'cat /proc/meminfo; echo; free 2>/dev/null; echo; cat /proc/loadavg' }] },
  {
    name: 'recent-changes.txt',
    tries: [{ program: 'find', command: 'find /etc /usr/local /opt /srv /var/www -xdev -type f -mmin -1440 2>/dev/null | head -n 2000' }],
  },
];

/**
 * One section as a script: each available tool is tried in order until one succeeds (a
 * `systemctl` without systemd fails, `service` may still answer); the tools that ran go to
 * stderr, the last one is the one whose output ends the artifact.
 */
export function sectionScript(section: RemoteSection): string {
  const tries = section.tries
    .map((t) => `  if command -v ${t.program} >/dev/null 2>&1; then echo 'FIREBREAK-TOOL ${t.program}' >&2; { ${t.command}; } && return 0; fi`)
    .join('\n');
  return `fb_main() {
${tries}
  echo 'FIREBREAK-NONE ${section.tries.map((t) => t.program).join(', ')}' >&2
  return 127
}
fb_main </dev/null
echo "FIREBREAK-EXIT $?" >&2
`;
}

export async function collectRemoteSnapshot(ctx: CollectionContext, target: Target, sections: readonly RemoteSection[] = REMOTE_SNAPSHOT): Promise<void> {
  for (const section of sections) {
    ctx.signal?.throwIfAborted();
    ctx.progress(0, `${target.name}: ${section.name}`);
    const proc = await target.exec(sectionScript(section), ctx.signal ? { signal: ctx.signal } : {});
    const sink = await ctx.store.createSink(ctx.signal);
    const end = await receiveRemote(
      target,
      proc,
      async (stdout) => {
        for await (const chunk of stdout) {
          await sink.write(chunk);
          ctx.progress(chunk.length);
        }
      },
      () => sink.abort(),
    );
    const blob = await sink.finish();
    const tools = [...end.stderr.matchAll(/FIREBREAK-TOOL (\S+)/g)].map((m) => m[1]!);
    const none = /FIREBREAK-NONE (.*)/.exec(end.stderr)?.[1];
    const exit = Number(/FIREBREAK-EXIT (\d+)/.exec(end.stderr)?.[1] ?? end.code);
    const missing = none !== undefined || exit !== 0 || end.stalled !== undefined;
    const detail = end.stalled
      ? `${end.stalled}; the output before it is kept`
      : none !== undefined
      ? tools.length
        ? `every tool failed on ${target.name} (tried ${tools.join(', ')}; of ${none})`
        : `none of ${none} is installed on ${target.name}`
      : `from ${tools.at(-1)} on ${target.name}${tools.length > 1 ? ` (${tools.slice(0, -1).join(', ')} failed first; their output is included)` : ''}`;
    const draft: ArtifactDraft = {
      name: `${target.name}/snapshot/${section.name}`,
      kind: 'snapshot',
      status: missing ? 'command-failed' : 'ok',
      detail,
      sha256: blob.sha256,
      size: blob.size,
      mediaType: 'text/plain; charset=utf-8',
      binary: false,
      source: null,
      sourceSha256: null,
      derivation: null,
    };
    await ctx.add(draft);
  }
}
