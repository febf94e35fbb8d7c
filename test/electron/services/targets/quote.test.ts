import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { destinationArgs, parseTargetName, shQuote } from '../../../../electron/services/targets/quote';

const NASTY = ["plain", "it's", "a b", "$(touch /tmp/fb-pwned)", "`id`", "x'; touch /tmp/fb-pwned; echo '", '"$HOME"', "-n", "line1\nline2", "*", "\\", "!", "~root", "${IFS}", "%s%n"];

describe('shQuote', () => {
  it('passes every string through a real POSIX sh as one literal word', () => {
    for (const value of NASTY) {
      const out = execFileSync('/bin/sh', ['-c', `printf '%s' ${shQuote(value)}`], { encoding: 'utf8', cwd: '/' });
      expect(out).toBe(value);
    }
  });

  it('refuses a NUL byte', () => {
    expect(() => shQuote('a\0b')).toThrow(/NUL/);
  });
});

describe('parseTargetName', () => {
  it('accepts ssh aliases and user@host[:port]', () => {
    expect(parseTargetName('web-1')).toEqual({ name: 'web-1', host: 'web-1' });
    expect(parseTargetName('ops@db.example.com:2222')).toEqual({ name: 'ops@db.example.com:2222', host: 'db.example.com', user: 'ops', port: 2222 });
    expect(parseTargetName('root@[::1]:22')).toEqual({ name: 'root@[::1]:22', host: '::1', user: 'root', port: 22 });
  });

  it('refuses option injection, whitespace, control characters and shell syntax with a clear reason', () => {
    expect(() => parseTargetName('-oProxyCommand=touch /tmp/x')).toThrow(/starts with "-"/);
    expect(() => parseTargetName('-p22')).toThrow(/starts with "-"/);
    expect(() => parseTargetName('web 1')).toThrow(/spaces or control/);
    expect(() => parseTargetName('web\n1')).toThrow(/spaces or control/);
    expect(() => parseTargetName('web;touch')).toThrow(/not an ssh alias/);
    expect(() => parseTargetName('$(id)')).toThrow(/not an ssh alias/);
    expect(() => parseTargetName('%h')).toThrow(/not an ssh alias/);
    expect(() => parseTargetName('-@host')).toThrow(/starts with "-"/);
    expect(() => parseTargetName('u$x@host')).toThrow(/not a valid remote user/);
    expect(() => parseTargetName('host:70000')).toThrow(/out of range/);
  });

  it('always puts the destination after --', () => {
    expect(destinationArgs(parseTargetName('ops@web:2200'))).toEqual(['-l', 'ops', '-p', '2200', '--', 'web']);
    expect(destinationArgs(parseTargetName('web'))).toEqual(['--', 'web']);
  });
});
