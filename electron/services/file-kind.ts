import fs from 'node:fs';
import { ServiceError } from './errors';

// Reading a FIFO blocks until a writer comes, /dev/zero never ends, a folder fails with an
// EISDIR object: so anything that is not what the command expects is refused by its stat
// (which never blocks) before it is opened.

/** What a path is, in the words of the error messages. */
export function kindOf(st: fs.Stats): string {
  if (st.isFile()) return 'a regular file';
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isSocket()) return 'a socket';
  if (st.isCharacterDevice()) return 'a character device';
  if (st.isBlockDevice()) return 'a block device';
  return 'not a regular file';
}

function statOf(file: string): fs.Stats {
  try {
    return fs.statSync(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new ServiceError('not_found', `${file} does not exist`);
    throw new ServiceError('invalid_input', `${file} cannot be read (${code ?? (error as Error).message})`);
  }
}

/** Throws a one-line ServiceError naming the path unless it is a regular file. */
export function requireRegularFile(file: string, what: string): fs.Stats {
  const st = statOf(file);
  if (!st.isFile()) throw new ServiceError('invalid_input', `${file} is ${kindOf(st)}, not ${what}`);
  return st;
}

/** The same for places where a folder is also accepted (bags, runbook folders). */
export function requireFileOrFolder(file: string, what: string): fs.Stats {
  const st = statOf(file);
  if (!st.isFile() && !st.isDirectory()) throw new ServiceError('invalid_input', `${file} is ${kindOf(st)}, not ${what}`);
  return st;
}
