import { describe, expect, it } from 'vitest';
import { BUILT_IN_PATTERNS, compileUserPatterns, createRedactor } from '../../../../electron/services/reports/redact';

const redact = (text: string, user: string[] = []) => {
  const r = createRedactor(true, compileUserPatterns(user));
  return { text: r.apply(text), summary: r.summary() };
};

describe('redaction', () => {
  it.each([
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U', 'Authorization: Bearer [REDACTED]'],
    ['curl https://deploy:hunter2@git.example.com/repo', 'curl https://deploy:[REDACTED]@git.example.com/repo'],
    ['redis://:p4ss@cache:6379/0', 'redis://:[REDACTED]@cache:6379/0'],
    ['key AKIAIOSFODNN7EXAMPLE in env', 'key [REDACTED] in env'],
    ['password=hunter2 user=bob', 'password=[REDACTED] user=bob'],
    ['DB_PASSWORD: "s3 cret"', 'DB_PASSWORD: [REDACTED]'],
    ['aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', 'aws_secret_access_key = [REDACTED]'],
    ['token ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'token [REDACTED]'],
    ['redis-cli -h cache -a hunter2pass ping', 'redis-cli -h cache -a [REDACTED] ping'],
    ['mysql -u root -ps3cret -e "select 1"', 'mysql -u root -p[REDACTED] -e "select 1"'],
    ['neo4j-admin dbms set-initial-password --password hunter2', 'neo4j-admin dbms set-initial-password --password [REDACTED]'],
    ['curl --pass=abc123 https://x', 'curl --pass=[REDACTED] https://x'],
  ])('redacts %s', (input, expected) => {
    const { text, summary } = redact(input);
    expect(text).toBe(expected);
    expect(summary.matches).toBeGreaterThanOrEqual(1);
  });

  it('removes a whole PEM private key', () => {
    const pem = '-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1234\nabcd==\n-----END RSA PRIVATE KEY-----';
    const { text, summary } = redact(`key:\n${pem}\nend`);
    expect(text).toBe('key:\n[REDACTED] (private key)\nend');
    expect(summary.byPattern['private-key']).toBe(1);
  });

  it('leaves ordinary text alone and counts nothing', () => {
    const { text, summary } = redact('Restarted redis-1; error rate 4% (threshold 5%). See https://status.example.com/');
    expect(text).toBe('Restarted redis-1; error rate 4% (threshold 5%). See https://status.example.com/');
    expect(summary).toEqual({ applied: true, matches: 0, byPattern: {} });
  });

  it('applies user patterns and rejects broken ones by index', () => {
    expect(redact('customer 12345-ABC called', ['\\d{5}-[A-Z]{3}']).text).toBe('customer [REDACTED] called');
    expect(() => compileUserPatterns(['ok', '(unclosed'])).toThrow(/patterns.1: "\(unclosed" is not a valid regular expression/);
    expect(() => compileUserPatterns(['x*'])).toThrow(/matches empty text/);
  });

  it('does nothing when turned off', () => {
    const r = createRedactor(false);
    expect(r.apply('password=hunter2')).toBe('password=hunter2');
    expect(r.summary()).toEqual({ applied: false, matches: 0, byPattern: {} });
  });

  // The hints skip a pattern's full expression; they must never skip a string it would change.
  it('never lets a hint skip a secret its pattern finds (any case, any position)', () => {
    const samples = [
      'Authorization: Bearer abcdefgh12345678', 'Token abcdefghijkl', 'Basic dXNlcjpwYXNz',
      'curl https://deploy:hunter2@git.example.com/repo', 'REDIS://:P4SS@cache:6379', 'key AKIAIOSFODNN7EXAMPLE',
      'Password=hunter2', 'PASSWD: x', 'Pwd=x', 'client_SECRET=x', 'ACCESS-KEY: x', 'Api_Key="x"', 'x-auth-TOKEN: y',
      'ghp_abcdefghijklmnopqrstuvwxyz0123456789', 'eyJhbGciOiJI.eyJzdWIiOiIx.dozjgNryP4J3',
      'REDIS-CLI -h c -a secretpw ping', 'MySQLdump -u root -ps3cret db', 'x --PASSWORD hunter2', 'x --auth=abc',
      '-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n-----END OPENSSH PRIVATE KEY-----',
    ];
    for (const sample of samples) {
      for (const text of [sample, `{"data":{"text":"${sample.replace(/\n/g, '\\n')}"}}`]) {
        const matched = BUILT_IN_PATTERNS.filter((p) => {
          const regex = p.regex as RegExp;
          regex.lastIndex = 0;
          return regex.test(text);
        });
        expect(matched.length, text).toBeGreaterThan(0);
        for (const pattern of matched) expect(pattern.hint?.(text) ?? true, `${pattern.name}: ${text}`).toBe(true);
      }
    }
  });

  it('counts a repeated string each time it is printed, from the memo as from the first pass', () => {
    const r = createRedactor(true);
    expect(r.apply('password=hunter2')).toBe('password=[REDACTED]');
    expect(r.apply('password=hunter2')).toBe('password=[REDACTED]');
    expect(r.apply('host web-1')).toBe('host web-1');
    expect(r.summary()).toEqual({ applied: true, matches: 2, byPattern: { 'secret-assignment': 1 } });
  });
});
