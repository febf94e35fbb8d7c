import type ICAL from 'ical.js';
import type MarkdownIt from 'markdown-it';
import type Mustache from 'mustache';
import type * as Yaml from 'yaml';

// A dependency loaded the first time it is used rather than when the bundle is loaded. The
// CLI starts afresh for every command, and a `collect` paid for parsers it never calls: yaml,
// markdown-it, ical.js and mustache were ~40 ms of its ~270 ms start (issue 20), which every
// collect of a big log adds to the time of hashing it. Synchronous, so the code that parses
// stays synchronous (the async clients, neo4j-driver and ioredis, use import()).
//
// Each loader is a thunk with a literal `require('name')`: bundlers see the name (esbuild
// bundles it, electron-vite leaves it to node_modules as it does every dependency), and
// vitest and tsx provide `require` as Node does. createRequire(import.meta.url) did not
// survive an esbuild CJS bundle, where import.meta is empty.
export function lazyRequire<T>(load: () => T): () => T {
  let loaded: { readonly value: T } | null = null;
  return () => (loaded ??= { value: load() }).value;
}

export const yaml = lazyRequire(() => require('yaml') as typeof Yaml);
export const markdownIt = lazyRequire(() => require('markdown-it') as typeof MarkdownIt);
export const ical = lazyRequire(() => require('ical.js') as typeof ICAL);
export const mustache = lazyRequire(() => require('mustache') as typeof Mustache);
