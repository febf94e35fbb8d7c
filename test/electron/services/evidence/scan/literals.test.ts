import { describe, expect, it } from 'vitest';
import { LiteralFinder } from '../../../../../electron/services/evidence/scan/finder';
import { requiredLiterals } from '../../../../../electron/services/evidence/scan/literals';
import { compileUserPattern } from '../../../../../shared/user-pattern';

const lits = (source: string, ignoreCase = false) => requiredLiterals(source, { ignoreCase })?.literals.slice().sort() ?? null;

describe('required literals', () => {
  it('finds the literals every match must contain', () => {
    expect(lits('ERROR|CRITICAL')).toEqual(['CRITICAL', 'ERROR']);
    expect(lits('level=(error|warn)')).toEqual(['level=error', 'level=warn']);
    expect(lits('^\\d+ ERROR: disk')).toEqual([' ERROR: disk']);
    expect(lits('timeout after \\d+ ms')).toEqual(['timeout after ']);
    expect(lits('(?:foo)+bar')).toEqual(['foo']);
    expect(lits('a\\.b')).toEqual(['a.b']);
    expect(lits('x{2,}yz')).toEqual(['yz']);
    expect(lits('"level":"error"')).toEqual(['"level":"error"']);
    expect(lits('(?P<code>5\\d\\d) upstream')).toEqual([' upstream']);
  });

  it('gives no prefilter when a match need not contain a literal, or when unsure', () => {
    for (const p of ['.*', 'a?', 'ERROR|', '(ERROR)*', '[A-Z]+', '\\d{3}', '\\QERROR\\E', 'a|\\w', '(?i)', 'x*']) expect(lits(p), p).toBeNull();
  });

  it('leaves out characters bytes cannot vouch for when case is ignored', () => {
    // The Kelvin sign folds to k, the long s to s: "kiss" could match without those bytes.
    expect(lits('kiss', true)).toEqual(['i']);
    expect(lits('error', true)).toEqual(['error']);
    expect(lits('(?i)error')).toEqual(['error']);
    expect(requiredLiterals('(?i)error')?.ignoreCase).toBe(true);
    expect(lits('über', true)).toEqual(['ber']);
  });

  it('never rejects a line the pattern matches (random patterns, random lines)', () => {
    let seed = 12345;
    const rnd = (n: number) => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed % n;
    };
    const atoms = ['E', 'R', 'O', 'k', 's', 'K', 'é', '.', '\\d', '[a-c]', '(?:ab|c)', '(x|yz)', '\\.', 'ß', ' ', '\\b', '^', '$', '(?i:rr)', '(?-i:ER)', 'OR', '\\x41', '\\pL'];
    const quants = ['', '', '', '*', '+', '?', '{2}', '{1,3}', '{0,2}'];
    const alphabet = ['E', 'R', 'O', 'r', 'e', 'k', 'K', '\u212a', 's', '\u017f', 'é', 'É', 'a', 'b', 'c', 'x', 'y', 'z', '.', '1', ' ', 'A', 'ß', 'ẞ'];
    let checked = 0;
    for (let p = 0; p < 400; p++) {
      const parts: string[] = [];
      const n = 1 + rnd(5);
      for (let i = 0; i < n; i++) parts.push(atoms[rnd(atoms.length)]! + quants[rnd(quants.length)]!);
      if (rnd(4) === 0) parts.splice(rnd(parts.length + 1), 0, '|');
      const source = parts.join('');
      const ignoreCase = rnd(3) === 0;
      let pattern;
      try {
        pattern = compileUserPattern(source, { ignoreCase });
      } catch {
        continue;
      }
      const required = requiredLiterals(source, { ignoreCase });
      if (!required) continue;
      const finder = new LiteralFinder(required);
      for (let l = 0; l < 300; l++) {
        const line = Array.from({ length: rnd(12) }, () => alphabet[rnd(alphabet.length)]).join('');
        if (required.complete && finder.find(Buffer.from(line), 0) !== -1) expect(pattern.test(line), `complete ${source} (i=${ignoreCase}) on ${JSON.stringify(line)}`).toBe(true);
        if (!pattern.test(line)) continue;
        checked++;
        expect(finder.find(Buffer.from(line), 0), `${source} (i=${ignoreCase}) on ${JSON.stringify(line)}`).not.toBe(-1);
      }
    }
    expect(checked).toBeGreaterThan(100);
    expect(lits('ERROR|CRITICAL') && requiredLiterals('ERROR|CRITICAL')?.complete).toBe(true);
    expect(requiredLiterals('ERROR \\d')?.complete).toBe(false);
    expect(requiredLiterals('(?-i:ERROR)', { ignoreCase: true })?.complete).toBe(false);
  });
});

describe('literal finder', () => {
  it('finds the earliest of several literals, with and without case', () => {
    const f = new LiteralFinder({ literals: ['CRITICAL', 'ERROR'], ignoreCase: false, complete: true });
    const buf = Buffer.from('info\nx CRITICAL y\nERROR z\n');
    expect(f.find(buf, 0)).toBe(7);
    expect(f.find(buf, 8)).toBe(18);
    expect(f.find(buf, 19)).toBe(-1);
    const g = new LiteralFinder({ literals: ['error'], ignoreCase: true, complete: true });
    const mixed = Buffer.from('ok\nan ErRoR here\nerro\n');
    expect(g.find(mixed, 0)).toBe(6);
    expect(g.find(mixed, 7)).toBe(-1);
  });
});
