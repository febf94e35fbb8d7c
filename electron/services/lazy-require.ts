import { createRequire } from 'node:module';

// A dependency loaded the first time it is used rather than when the bundle is loaded. The
// CLI starts afresh for every command, and a `collect` paid for parsers it never calls: yaml,
// markdown-it, ical.js, mustache and tar-stream were ~45 ms of its ~270 ms start (issue 20),
// which every collect of a big log adds to the time of hashing it. Synchronous, so the code
// that parses stays synchronous; the async dependencies (neo4j-driver, ioredis) use import().
const requireHere = createRequire(import.meta.url);

export function lazyRequire<T>(specifier: string): () => T {
  let loaded: T | undefined;
  return () => (loaded ??= requireHere(specifier) as T);
}
