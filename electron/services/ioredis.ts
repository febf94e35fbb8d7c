import type { Redis } from 'ioredis';

let loading: Promise<typeof Redis> | undefined;

/**
 * ioredis, loaded on first use: it is ~60 ms of start-up and ~20 MB that every CLI command (a
 * note, a collection) would otherwise pay, and only team sync and the Redis probes need it.
 * The named export: ioredis's module object is the class too, which interop wraps differently
 * in Node's ESM loader and in the bundle.
 */
export function loadRedis(): Promise<typeof Redis> {
  if (!loading) loading = import('ioredis').then((m) => m.Redis);
  return loading;
}
