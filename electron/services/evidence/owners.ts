import fs from 'node:fs';
import os from 'node:os';
import type { SourceInfo } from './types';

/**
 * uid/gid → name from /etc/passwd and /etc/group, read once: cheap, and no process per
 * file. Where those files do not exist (Windows, directory services) names are null and
 * the numbers are still recorded.
 */
export class OwnerNames {
  private users: Map<number, string> | undefined;
  private groups: Map<number, string> | undefined;

  user(uid: number): string | null {
    this.users ??= readIdFile('/etc/passwd');
    const name = this.users.get(uid);
    if (name !== undefined) return name;
    try {
      const info = os.userInfo();
      if (info.uid === uid) return info.username;
    } catch {
      // No passwd entry for the current user (containers): fall through.
    }
    return null;
  }

  group(gid: number): string | null {
    this.groups ??= readIdFile('/etc/group');
    return this.groups.get(gid) ?? null;
  }
}

function readIdFile(file: string): Map<number, string> {
  const map = new Map<number, string>();
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return map;
  }
  for (const line of text.split('\n')) {
    const fields = line.split(':');
    const id = Number(fields[2]);
    if (fields[0] && Number.isInteger(id) && !map.has(id)) map.set(id, fields[0]);
  }
  return map;
}

/** The parts of fs.Stats a record needs; fs.Stats fits it, and so does a copy worker's plain object. */
export interface StatLite {
  readonly dev: number;
  readonly ino: number;
  readonly mode: number;
  readonly uid: number;
  readonly gid: number;
  readonly size: number;
  readonly mtimeMs: number;
}

/** From the st_mode type bits, so plain stat records (from a worker) work as well as fs.Stats. */
export function fileType(st: { readonly mode: number }): SourceInfo['type'] {
  switch (st.mode & fs.constants.S_IFMT) {
    case fs.constants.S_IFREG:
      return 'file';
    case fs.constants.S_IFDIR:
      return 'directory';
    case fs.constants.S_IFLNK:
      return 'symlink';
    case fs.constants.S_IFIFO:
      return 'fifo';
    case fs.constants.S_IFSOCK:
      return 'socket';
    case fs.constants.S_IFCHR:
      return 'char-device';
    case fs.constants.S_IFBLK:
      return 'block-device';
    default:
      return 'unknown';
  }
}

export function sourceInfo(file: string, st: StatLite, owners: OwnerNames, extra: Partial<SourceInfo> = {}): SourceInfo {
  return {
    path: file,
    type: fileType(st),
    size: st.size,
    mtime: new Date(st.mtimeMs).toISOString(),
    uid: st.uid,
    gid: st.gid,
    owner: owners.user(st.uid),
    group: owners.group(st.gid),
    mode: st.mode,
    ...extra,
  };
}
