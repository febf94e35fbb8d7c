import type fs from 'node:fs';

/** Writes all of `data` at `position` (a write may be partial); returns the next position. */
export async function writeFullyAt(handle: fs.promises.FileHandle, data: Buffer, position: number): Promise<number> {
  let offset = 0;
  while (offset < data.length) {
    const { bytesWritten } = await handle.write(data, offset, data.length - offset, position + offset);
    offset += bytesWritten;
  }
  return position + offset;
}
