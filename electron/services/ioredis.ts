import type { Redis } from 'ioredis';

/**
 * ioredis, loaded on first use: it is ~60 ms of start-up and ~20 MB that every CLI command (a
 * note, a collection) would otherwise pay, and only team sync and the Redis probes need it.
 * The named export: ioredis's module object is the class too, which interop wraps differently
 * in Node's ESM loader and in the bundle. The module loader keeps the loaded module: a second
 * call costs a resolved promise.
 */
export async function loadRedis(): Promise<typeof Redis> {
  return (await import('ioredis')).Redis;
}
