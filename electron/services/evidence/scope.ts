import fs from 'node:fs';
import path from 'node:path';
import { isInside } from './glob';

// Where a folder or glob walk must not go (issue 15): collecting `/` walked into /proc, /sys
// and /dev (endless or device files) and into Firebreak's own profile (evidence of evidence).
// A literal file the operator names (/proc/cpuinfo) is not a walk and is still collected.

/** Filesystem types that hold no on-disk data: a walk never descends into their mounts. */
const PSEUDO_TYPES = new Set([
  'proc',
  'sysfs',
  'devtmpfs',
  'devpts',
  'debugfs',
  'tracefs',
  'securityfs',
  'pstore',
  'bpf',
  'fusectl',
  'configfs',
  'mqueue',
  'hugetlbfs',
  'autofs',
  'binfmt_misc',
  'efivarfs',
  'rpc_pipefs',
  'nsfs',
]);

/** Always left out on Linux, whatever mountinfo says (a container may not mount them separately). */
const LINUX_ROOTS = ['/proc', '/sys', '/dev', '/run'];

export interface Mount {
  readonly mountPoint: string;
  readonly fsType: string;
}

/** Mount points are written with octal escapes for space, tab, newline and backslash. */
const unescapeMount = (s: string): string => s.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(parseInt(o, 8)));

/** Parses /proc/self/mountinfo (proc(5)): field 5 is the mount point, the type follows " - ". */
export function parseMountinfo(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n')) {
    const fields = line.split(' ');
    const dash = fields.indexOf('-');
    if (dash < 6 || fields.length < dash + 2) continue;
    mounts.push({ mountPoint: unescapeMount(fields[4]!), fsType: fields[dash + 1]! });
  }
  return mounts;
}

/** Why a mount is not walked, or undefined when it holds ordinary files (ext4, xfs, overlay, tmpfs outside /run...). */
export function pseudoReason(mount: Mount): string | undefined {
  if (PSEUDO_TYPES.has(mount.fsType) || mount.fsType.startsWith('cgroup')) return `${mount.fsType} filesystem`;
  if (mount.fsType === 'tmpfs' && isInside('/run', mount.mountPoint)) return 'tmpfs under /run';
  return undefined;
}

export interface WalkScopeOptions {
  readonly platform: NodeJS.Platform;
  /** Firebreak's profile folder. */
  readonly profile: string;
  /** The text of /proc/self/mountinfo; read from the machine when absent (Linux only). */
  readonly mountinfo?: string;
}

/** The folders a walk leaves out, each with the reason the operator is told. */
export class WalkScope {
  private readonly roots: ReadonlyArray<{ readonly root: string; readonly reason: string }>;

  constructor(options: WalkScopeOptions) {
    const roots: Array<{ root: string; reason: string }> = [{ root: path.resolve(options.profile), reason: "Firebreak's own profile" }];
    if (options.platform === 'linux') {
      for (const root of LINUX_ROOTS) roots.push({ root, reason: 'pseudo filesystem' });
      const text = options.mountinfo ?? readMountinfo();
      for (const mount of parseMountinfo(text)) {
        const reason = pseudoReason(mount);
        if (reason && mount.mountPoint !== '/') roots.push({ root: mount.mountPoint, reason });
      }
    }
    this.roots = roots;
  }

  /** Why `dir` (absolute) is not walked, or undefined when it may be. */
  excluded(dir: string): string | undefined {
    for (const { root, reason } of this.roots) if (isInside(root, dir)) return `${reason} (${root})`;
    return undefined;
  }
}

function readMountinfo(): string {
  try {
    return fs.readFileSync('/proc/self/mountinfo', 'utf8');
  } catch {
    // No procfs (a sandbox): the fixed Linux roots still apply.
    return '';
  }
}
