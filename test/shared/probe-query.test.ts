import { describe, expect, it } from 'vitest';
import { blockStatements, cypherWriteReason, parseRedisBlock, redisWriteReason, splitCypher, splitRedisArgs } from '../../shared/probe-query';

describe('redis block tokenizer (redis-cli quoting)', () => {
  it('splits on whitespace and honours double and single quotes', () => {
    expect(splitRedisArgs('HGETALL "session:user 42"')).toEqual({ argv: ['HGETALL', 'session:user 42'] });
    expect(splitRedisArgs(`GET 'it\\'s' "a\\"b" "\\x41\\n"`)).toEqual({ argv: ['GET', "it's", 'a"b', 'A\n'] });
    expect(splitRedisArgs("SET k 'a;b $(rm -rf /) > x'")).toEqual({ argv: ['SET', 'k', 'a;b $(rm -rf /) > x'] });
    expect(splitRedisArgs('  ')).toEqual({ argv: [] });
  });

  it('names an unbalanced quote', () => {
    expect(splitRedisArgs('GET "open')).toEqual({ error: 'unbalanced double quote' });
    expect(splitRedisArgs("GET 'open")).toEqual({ error: 'unbalanced single quote' });
    expect(splitRedisArgs('GET "a"b')).toEqual({ error: 'a closing quote must be followed by a space' });
  });

  it('reads one command a line, skipping comments, blanks and copied prompts; errors carry the line', () => {
    expect(parseRedisBlock('# memory first\n127.0.0.1:6379> INFO memory\n\nredis> DBSIZE\n')).toEqual({
      commands: [
        { line: 2, argv: ['INFO', 'memory'] },
        { line: 4, argv: ['DBSIZE'] },
      ],
    });
    expect(parseRedisBlock('GET a\nGET "b\n')).toEqual({ error: 'line 2: unbalanced double quote' });
    expect(parseRedisBlock('# nothing\n')).toEqual({ error: 'the block has no command' });
  });
});

describe('read-only checks', () => {
  it('allows the Redis read commands and read subcommands, refuses the rest', () => {
    for (const argv of [['GET', 'k'], ['mget', 'a', 'b'], ['INFO'], ['SCAN', '0'], ['CLIENT', 'LIST'], ['slowlog', 'get', '10'], ['MEMORY', 'USAGE', 'k'], ['CONFIG', 'GET', 'maxmemory'], ['XINFO', 'STREAM', 's'], ['DBSIZE']]) {
      expect(redisWriteReason(argv), argv.join(' ')).toBeNull();
    }
    expect(redisWriteReason(['FLUSHALL'])).toBe('FLUSHALL is not on the read-only list');
    expect(redisWriteReason(['config', 'set', 'maxmemory', '1'])).toBe('CONFIG SET is not a read-only command');
    expect(redisWriteReason(['CLIENT', 'KILL', 'ID', '1'])).toBe('CLIENT KILL is not a read-only command');
    expect(redisWriteReason(['CONFIG'])).toBe('CONFIG (no subcommand) is not a read-only command');
    for (const name of ['DEL', 'SHUTDOWN', 'DEBUG', 'FLUSHDB', 'SET', 'EVAL', 'KEYS']) expect(redisWriteReason([name, 'x'])).not.toBeNull();
  });

  it('finds Cypher write clauses outside strings and comments', () => {
    expect(cypherWriteReason('MATCH (n:Job) RETURN count(n)')).toBeNull();
    expect(cypherWriteReason("MATCH (n) WHERE n.note = 'CREATE; DELETE' RETURN n // SET later")).toBeNull();
    expect(cypherWriteReason('CALL db.labels()')).toBeNull();
    expect(cypherWriteReason('SHOW TRANSACTIONS')).toBeNull();
    expect(cypherWriteReason('MATCH (n:Stale) DETACH DELETE n')).toBe('DELETE writes');
    expect(cypherWriteReason('MERGE (n:A {id: 1})')).toBe('MERGE writes');
    expect(cypherWriteReason('MATCH (n) set n.x = 1')).toBe('SET writes');
    expect(cypherWriteReason('CALL dbms.setConfigValue("a", "b")')).toBe('CALL of a procedure that may write writes');
    expect(cypherWriteReason('CALL apoc.periodic.iterate("x", "y", {})')).not.toBeNull();
    expect(cypherWriteReason('DROP INDEX i')).toBe('DROP writes');
  });

  it('splits a Cypher block at semicolons outside strings, with the line of each statement', () => {
    expect(splitCypher("// count\nMATCH (n) RETURN count(n);\n\nRETURN ';' AS s;\n")).toEqual([
      { line: 2, text: 'MATCH (n) RETURN count(n)' },
      { line: 4, text: "RETURN ';' AS s" },
    ]);
    expect(blockStatements('cypher', '// only a comment\n')).toEqual({ error: 'the block has no statement' });
  });
});
