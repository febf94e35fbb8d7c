/**
 * Whether a process with this id runs on this machine (signal 0 checks without sending).
 * EPERM means it exists but belongs to someone else: alive. Used wherever a record names
 * the process that wrote it (collections, the profile claim, alert states).
 */
export function pidAlive(pid: number): boolean {
  // 0 and negatives address process groups, not a process.
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
