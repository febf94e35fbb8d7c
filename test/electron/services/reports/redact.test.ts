import { describe, expect, it } from 'vitest';
import { compileUserPatterns, createRedactor } from '../../../../electron/services/reports/redact';

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
});
