// Runbook `redis` and `cypher` blocks run against a configured probe target (issue 14).
// Read-only by default: what a block would change is found here, before anything is sent, so
// the UI can ask for the typed confirmation first and the main side can refuse without it.
// Pure code: the UI and the main side use the same reading of a block.

import { assertNever } from './assert';

export type ProbeQueryLanguage = 'redis' | 'cypher';

/** What the operator types to run a block that writes (the word dangerous steps use). */
export const WRITE_CONFIRMATION = 'RUN';

export interface RedisCommand {
  /** 1-based line in the block. */
  readonly line: number;
  readonly argv: readonly string[];
}

export interface BlockStatement {
  readonly line: number;
  /** Cypher: the statement text; Redis: the argv joined for display. */
  readonly text: string;
  /** Why this statement is not read-only; null when it is. */
  readonly write: string | null;
}

/**
 * redis-cli's own argument splitting (sdssplitargs): whitespace separates arguments; "…"
 * takes \n \r \t \b \a \\ \" and \xHH escapes; '…' takes only \'; a closing quote must be
 * followed by a space or the end. Returns the argv, or an error naming what is unbalanced.
 */
export function splitRedisArgs(line: string): { argv: string[] } | { error: string } {
  const argv: string[] = [];
  let i = 0;
  const n = line.length;
  while (true) {
    while (i < n && /\s/.test(line[i]!)) i++;
    if (i >= n) return { argv };
    let current = '';
    let inDouble = false;
    let inSingle = false;
    let done = false;
    while (!done) {
      const c = line[i];
      if (inDouble) {
        if (c === undefined) return { error: 'unbalanced double quote' };
        if (c === '\\' && line[i + 1] === 'x' && /^[0-9a-fA-F]{2}$/.test(line.slice(i + 2, i + 4))) {
          current += String.fromCharCode(parseInt(line.slice(i + 2, i + 4), 16));
          i += 3;
        } else if (c === '\\' && i + 1 < n) {
          const e = line[++i]!;
          current += ({ n: '\n', r: '\r', t: '\t', b: '\b', a: '\x07' } as Record<string, string>)[e] ?? e;
        } else if (c === '"') {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return { error: 'a closing quote must be followed by a space' };
          done = true;
        } else current += c;
      } else if (inSingle) {
        if (c === undefined) return { error: 'unbalanced single quote' };
        if (c === '\\' && line[i + 1] === "'") {
          current += "'";
          i++;
        } else if (c === "'") {
          if (i + 1 < n && !/\s/.test(line[i + 1]!)) return { error: 'a closing quote must be followed by a space' };
          done = true;
        } else current += c;
      } else if (c === undefined || /\s/.test(c)) {
        done = true;
      } else if (c === '"') inDouble = true;
      else if (c === "'") inSingle = true;
      else current += c;
      if (i < n) i++;
    }
    argv.push(current);
  }
}

/** A redis-cli prompt copied with the command: `127.0.0.1:6379> `, `redis> `, `$ redis-cli … ` is not one. */
const REDIS_PROMPT = /^(?:\S+:\d+(?:\[\d+\])?>|redis>)\s*/;

/** The commands of a `redis` block, one a line; blank lines and `#` comments are skipped. */
export function parseRedisBlock(text: string): { commands: RedisCommand[] } | { error: string } {
  const commands: RedisCommand[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const raw = lines[index]!.replace(REDIS_PROMPT, '').trim();
    if (raw === '' || raw.startsWith('#')) continue;
    const split = splitRedisArgs(raw);
    if ('error' in split) return { error: `line ${index + 1}: ${split.error}` };
    commands.push({ line: index + 1, argv: split.argv });
  }
  if (commands.length === 0) return { error: 'the block has no command' };
  return { commands };
}

/** Read-only commands; a command with subcommands lists the read-only ones. */
const REDIS_READ: Readonly<Record<string, true | readonly string[]>> = {
  GET: true, MGET: true, GETRANGE: true, STRLEN: true, EXISTS: true, TYPE: true, TTL: true, PTTL: true, EXPIRETIME: true,
  HGET: true, HMGET: true, HGETALL: true, HKEYS: true, HVALS: true, HLEN: true, HEXISTS: true, HSTRLEN: true, HSCAN: true,
  LLEN: true, LRANGE: true, LINDEX: true, LPOS: true,
  SCARD: true, SMEMBERS: true, SISMEMBER: true, SMISMEMBER: true, SSCAN: true,
  ZCARD: true, ZRANGE: true, ZREVRANGE: true, ZRANGEBYSCORE: true, ZSCORE: true, ZMSCORE: true, ZCOUNT: true, ZRANK: true, ZREVRANK: true, ZSCAN: true,
  XLEN: true, XRANGE: true, XREVRANGE: true, XPENDING: true, XINFO: ['STREAM', 'GROUPS', 'CONSUMERS'],
  PFCOUNT: true, BITCOUNT: true, GETBIT: true,
  SCAN: true, DBSIZE: true, INFO: true, PING: true, TIME: true, ROLE: true, LASTSAVE: true, ECHO: true,
  CLIENT: ['LIST', 'INFO', 'GETNAME', 'ID'],
  SLOWLOG: ['GET', 'LEN'],
  MEMORY: ['USAGE', 'STATS', 'DOCTOR'],
  CONFIG: ['GET'],
  OBJECT: ['ENCODING', 'FREQ', 'IDLETIME', 'REFCOUNT'],
  LATENCY: ['LATEST', 'HISTORY', 'DOCTOR'],
  CLUSTER: ['INFO', 'NODES', 'SLOTS', 'SHARDS', 'MYID', 'KEYSLOT', 'COUNTKEYSINSLOT'],
  COMMAND: ['COUNT', 'INFO', 'DOCS'],
};

/** Why a Redis command is not read-only (null when it is on the allow-list). */
export function redisWriteReason(argv: readonly string[]): string | null {
  const name = (argv[0] ?? '').toUpperCase();
  const allowed = REDIS_READ[name];
  if (allowed === true) return null;
  if (allowed) {
    const sub = (argv[1] ?? '').toUpperCase();
    if (allowed.includes(sub)) return null;
    return `${name} ${sub || '(no subcommand)'} is not a read-only command`;
  }
  return `${name} is not on the read-only list`;
}

/** Strings, backquoted names and comments blanked out, so a keyword inside them is not a clause. */
function cypherCode(text: string): string {
  return text.replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`|\/\/[^\n]*|\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' '));
}

const CYPHER_WRITE: readonly [string, RegExp][] = [
  ['CREATE', /\bCREATE\b/i],
  ['MERGE', /\bMERGE\b/i],
  ['DELETE', /\b(?:DETACH\s+)?DELETE\b/i],
  ['SET', /\bSET\b/i],
  ['REMOVE', /\bREMOVE\b/i],
  ['DROP', /\bDROP\b/i],
  ['FOREACH', /\bFOREACH\b/i],
  ['LOAD CSV', /\bLOAD\s+CSV\b/i],
  ['ALTER', /\bALTER\b/i],
  ['GRANT/REVOKE/DENY', /\b(?:GRANT|REVOKE|DENY)\b/i],
  ['START/STOP DATABASE', /\b(?:START|STOP)\s+DATABASE\b/i],
  ['TERMINATE', /\bTERMINATE\b/i],
  ['IN TRANSACTIONS', /\bIN\s+(?:\d+\s+)?TRANSACTIONS\b/i],
  // Procedures can write; only the read-only db.* listings and dbms.components/queries are allowed.
  ['CALL of a procedure that may write', /\bCALL\s+(?!(?:db\.(?:labels|relationshipTypes|propertyKeys|indexes|constraints|schema\.\w+|info|ping)|dbms\.(?:components|listQueries|listConnections|queryJmx|showCurrentUser))\s*\()[A-Za-z_][\w.]*/i],
];

/** Why a Cypher statement may write (null when it only reads). */
export function cypherWriteReason(statement: string): string | null {
  const code = cypherCode(statement);
  for (const [name, pattern] of CYPHER_WRITE) if (pattern.test(code)) return `${name} writes`;
  return null;
}

/** A `cypher` block's statements, split at `;` outside strings and comments. */
export function splitCypher(text: string): { line: number; text: string }[] {
  const code = cypherCode(text);
  const out: { line: number; text: string }[] = [];
  let start = 0;
  const push = (end: number) => {
    // The statement starts at its first character of code (leading comments are left out).
    const offset = code.slice(start, end).search(/\S/);
    if (offset < 0) return;
    const from = start + offset;
    out.push({ line: text.slice(0, from).split('\n').length, text: text.slice(from, end).trim() });
  };
  for (let i = 0; i < code.length; i++) {
    if (code[i] === ';') {
      push(i);
      start = i + 1;
    }
  }
  push(text.length);
  return out;
}

/** The statements of a block with what each would write; an error for a block that cannot be read. */
export function blockStatements(language: ProbeQueryLanguage, text: string): { statements: BlockStatement[] } | { error: string } {
  switch (language) {
    case 'redis': {
      const parsed = parseRedisBlock(text);
      if ('error' in parsed) return parsed;
      return { statements: parsed.commands.map((c) => ({ line: c.line, text: c.argv.join(' '), write: redisWriteReason(c.argv) })) };
    }
    case 'cypher': {
      const statements = splitCypher(text);
      if (statements.length === 0) return { error: 'the block has no statement' };
      return { statements: statements.map((s) => ({ line: s.line, text: s.text, write: cypherWriteReason(s.text) })) };
    }
    default:
      return assertNever(language);
  }
}

/** The answer to one statement, as kept in the evidence. */
export interface StatementResult {
  readonly line: number;
  readonly text: string;
  /** Redis: the reply (strings, numbers, nested arrays, null); Cypher: the records as objects. */
  readonly result: unknown;
  /** Cypher: the number of records returned (records beyond the limit are not kept). */
  readonly rows?: number;
  readonly truncated?: boolean;
  readonly error?: string;
}

/** `probes.query`: what ran where, and the evidence it was kept as. */
export interface ProbeQueryOutcome {
  readonly probe: string;
  readonly kind: 'redis' | 'neo4j';
  /** host:port/db or the Bolt URL, never with credentials. */
  readonly target: string;
  readonly mode: 'read' | 'write';
  readonly at: string;
  readonly results: readonly StatementResult[];
  readonly sha256: string | null;
}
