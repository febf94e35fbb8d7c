import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OutputPump } from '../../../../electron/services/terminals/flow';
import { MarkerScanner, type ScanPart } from '../../../../electron/services/terminals/markers';
import { defaultShell, flavorOf } from '../../../../electron/services/terminals/shell';
import { CappedText, MASK, maskSecrets, stripAnsi } from '../../../../electron/services/terminals/text';
import { keptModes, replaceEchoes, shownCommand, splitAtEcho } from '../../../../electron/services/terminals/echo';
import { wrapPwsh, wrapSh } from '../../../../electron/services/terminals/wrap';
import { hasCommand } from './helpers';

const NONCE = 'fb0123456789abcdef';
const C = `\x1b]633;C;${NONCE}\x07`;
const D = (code: number) => `\x1b]633;D;${NONCE};${code}\x07`;

function scanAll(chunks: string[]): ScanPart[] {
  const s = new MarkerScanner();
  const parts = chunks.flatMap((c) => s.feed(c));
  const rest = s.release();
  return rest ? [...parts, { type: 'text', text: rest }] : parts;
}

function joinText(parts: ScanPart[]): string {
  return parts.map((p) => (p.type === 'text' ? p.text : `<${p.type}${p.type === 'end' ? `:${p.exitCode}` : ''}>`)).join('');
}

describe('MarkerScanner', () => {
  const stream = `echo\r\n${C}hello\x1b[31mred\x1b[0m\r\n${D(3)}prompt$ `;

  it('finds start/end markers and strips them', () => {
    expect(joinText(scanAll([stream]))).toBe('echo\r\n<start>hello\x1b[31mred\x1b[0m\r\n<end:3>prompt$ ');
  });

  it('finds markers split at every possible chunk boundary', () => {
    for (let i = 1; i < stream.length; i++) {
      for (const j of [i + 1, i + 7, stream.length]) {
        const parts = scanAll([stream.slice(0, i), stream.slice(i, j), stream.slice(j)]);
        expect(joinText(parts)).toBe('echo\r\n<start>hello\x1b[31mred\x1b[0m\r\n<end:3>prompt$ ');
      }
    }
  });

  it('passes through foreign OSC 633 sequences and the echoed wrapper text', () => {
    const foreign = '\x1b]633;P;Cwd=/tmp\x07x';
    const echoed = "printf '\\033]633;C;%s\\007' fb0123456789abcdef";
    expect(joinText(scanAll([foreign + echoed]))).toBe(foreign + echoed);
  });

  it('gives up on an unterminated marker after 256 characters', () => {
    const junk = `\x1b]633;C;${'z'.repeat(300)}`;
    expect(joinText(scanAll([junk.slice(0, 100), junk.slice(100)]))).toBe(junk);
  });
});

describe('text helpers', () => {
  it('strips ANSI, handles CR progress lines and backspaces', () => {
    expect(stripAnsi('\x1b[1;32mok\x1b[0m\r\n10%\r50%\r100%\r\nab\bc\x1b]0;title\x07\x1b(B!')).toBe('ok\n100%\nac!');
  });

  it('masks every secret, longest first, regex characters included', () => {
    expect(maskSecrets('user=a.b pass=a.b+c token a.b+c', ['a.b', 'a.b+c', ''])).toBe(
      `user=${MASK} pass=${MASK} token ${MASK}`,
    );
  });

  it('caps a transcript to head + tail and says so', () => {
    const cap = new CappedText(10, 10);
    for (let i = 0; i < 1000; i++) cap.append('0123456789');
    expect(cap.truncated).toBe(true);
    const s = cap.toString();
    expect(s.startsWith('0123456789')).toBe(true);
    expect(s.endsWith('0123456789')).toBe(true);
    expect(s).toContain('9980 characters omitted');
  });
});

describe('shell choice', () => {
  it('picks PowerShell on Windows and $SHELL or /bin/sh elsewhere', () => {
    expect(defaultShell('win32', { PATH: '' }).file).toBe('powershell.exe');
    expect(defaultShell('win32', { PATH: '' }).flavor).toBe('pwsh');
    expect(defaultShell('linux', { SHELL: '/bin/zsh' }).file).toBe('/bin/zsh');
    expect(defaultShell('darwin', {}).file).toBe('/bin/sh');
    expect(flavorOf('C:\\Program Files\\PowerShell\\7\\pwsh.exe')).toBe('pwsh');
    expect(flavorOf('/usr/bin/bash')).toBe('sh');
  });
});

describe('sh wrapper', () => {
  it('is one logical line with short physical lines, and reproduces tricky commands exactly', () => {
    const command = `printf '%s|' "a'b" 'c"d' 'e\\f' "$((6*7))"\ttab\nprintf '日本語 %%\\n'\n${'#'.repeat(5000)}`;
    const line = wrapSh({ command, nonce: NONCE, isolated: true });
    expect(line.endsWith('\r')).toBe(true);
    for (const physical of line.split('\r')) expect(physical.length).toBeLessThan(1000);
    // Run it non-interactively (continuation lines are \r-separated as typed; make them \n).
    const out = execFileSync('sh', ['-c', line.replace(/\r/g, '\n')], { encoding: 'utf8' });
    expect(out).toBe(`${C}a'b|c"d|e\\f|42|tab|日本語 %\n${D(0)}`);
  });

  it('exports env values without their plain text appearing in the typed line', () => {
    const line = wrapSh({ command: 'echo "$TOKEN"; exit 5', nonce: NONCE, isolated: true, env: { TOKEN: 's3cr3t' }, cwd: '/' });
    expect(line).not.toContain('s3cr3t');
    const out = execFileSync('sh', ['-c', `${line.replace(/\r/g, '\n')}`], { encoding: 'utf8' });
    expect(out).toBe(`${C}s3cr3t\n${D(5)}`);
    expect(() => wrapSh({ command: 'x', nonce: NONCE, isolated: true, env: { 'BAD-NAME': 'v' } })).toThrow();
  });

  it('types a command that carries a secret without its plain text, and still runs it exactly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fb-s3cr3t-'));
    try {
      const command = `printf '%s\\n' 'Authorization: Bearer s3cr3t-token' "日本語"; pwd -P`;
      const line = wrapSh({ command, nonce: NONCE, isolated: true, hideText: true, cwd: dir });
      expect(line).not.toContain('s3cr3t');
      for (const physical of line.split('\r')) expect(physical.length).toBeLessThan(1000);
      const out = execFileSync('sh', ['-c', line.replace(/\r/g, '\n')], { encoding: 'utf8' });
      expect(out).toBe(`${C}Authorization: Bearer s3cr3t-token\n日本語\n${fs.realpathSync(dir)}\n${D(0)}`);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

// PowerShell is not installed on this machine: these check the generated wrapper text only.
// When `pwsh` is present the real run below exercises it.
describe('pwsh wrapper (text generation only — pwsh not available here)', () => {
  const line = wrapPwsh({ command: "Get-Item 'C:\\nope'\nexit 3", nonce: NONCE, isolated: false, env: { TOKEN: 'pw' } });

  it('decodes the command from base64 into a script block and dot-sources it', () => {
    const b64 = Buffer.from("Get-Item 'C:\\nope'\nexit 3", 'utf8').toString('base64');
    expect(line).toContain(`[ScriptBlock]::Create([Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${b64}')))`);
    expect(line).toContain('. $__fbSb; $__fbOk=$?;');
    expect(line.split('\r')).toHaveLength(2);
    expect(line).not.toMatch(/\n/);
    expect(wrapPwsh({ command: 'x', nonce: NONCE, isolated: true })).toContain('& $__fbSb');
  });

  it('prints C before and D with the exit code in finally, LASTEXITCODE and $? handled', () => {
    expect(line).toContain(`[Console]::Write([char]27+']633;C;${NONCE}'+[char]7)`);
    expect(line).toContain(`finally { if (-not $__fbDone) { $__fbCode=130 }; [Console]::Write([char]27+']633;D;${NONCE};'+$__fbCode+[char]7) }`);
    expect(line).toContain('$global:LASTEXITCODE=0;');
    expect(line).toContain('if ($global:LASTEXITCODE -is [int] -and $global:LASTEXITCODE -ne 0) { $global:LASTEXITCODE } elseif ($__fbOk) { 0 } else { 1 }');
    expect(line).toContain('catch { $__fbDone=$true; $__fbCode=1;');
    expect(line).not.toContain("'pw'");
    expect(line).toContain(`$env:TOKEN=[Text.Encoding]::UTF8.GetString([Convert]::FromBase64String('${Buffer.from('pw').toString('base64')}'))`);
  });

  it.skipIf(!hasCommand('pwsh'))('runs in a real pwsh and reports exit codes', () => {
    for (const [command, code] of [
      ['Write-Output hi', 0],
      ['cmd /c exit 4; if (-not $IsWindows) { sh -c "exit 4" }', 4],
      ['Get-Item /definitely/not/here', 1],
      ['throw "boom"', 1],
    ] as const) {
      const wrapped = wrapPwsh({ command, nonce: NONCE, isolated: true });
      let out = '';
      try {
        out = execFileSync('pwsh', ['-NoProfile', '-Command', wrapped.replace(/\r$/, '')], { encoding: 'utf8' });
      } catch (err) {
        out = String((err as { stdout?: string }).stdout ?? '');
      }
      expect(out).toContain(C);
      expect(out).toContain(D(code));
    }
  });
});

describe('OutputPump', () => {
  it('batches, pauses above the high-water mark and resumes below the low one', async () => {
    const events: string[] = [];
    const sent: string[] = [];
    const pump = new OutputPump(
      { emit: (d) => sent.push(d), pause: () => events.push('pause'), resume: () => events.push('resume') },
      { highWaterMark: 1000, lowWaterMark: 100, batchMs: 5, batchMaxChars: 400, interruptAllowance: 500 },
    );
    for (let i = 0; i < 10; i++) pump.push('x'.repeat(50));
    expect(sent.length).toBe(1); // 400 chars flushed at once, the rest waits for the timer
    await new Promise((r) => setTimeout(r, 30));
    expect(sent.join('').length).toBe(500);
    for (let i = 0; i < 12; i++) pump.push('y'.repeat(50));
    expect(events).toEqual(['pause']);
    expect(pump.unacked + pump.buffered).toBeGreaterThan(1000);
    pump.ack(600);
    expect(events).toEqual(['pause']); // still above the low-water mark
    pump.ack(10_000);
    expect(events).toEqual(['pause', 'resume']);
    pump.dispose();
  });

  it('lets output through after Ctrl-C while paused, within an allowance', () => {
    const events: string[] = [];
    const pump = new OutputPump(
      { emit: () => undefined, pause: () => events.push('pause'), resume: () => events.push('resume') },
      { highWaterMark: 1000, lowWaterMark: 100, batchMs: 5, batchMaxChars: 100, interruptAllowance: 500 },
    );
    pump.push('z'.repeat(1100));
    expect(pump.paused).toBe(true);
    pump.interrupt();
    expect(pump.paused).toBe(false);
    pump.push('z'.repeat(400));
    expect(pump.paused).toBe(false);
    pump.push('z'.repeat(200));
    expect(pump.paused).toBe(true);
    expect(events).toEqual(['pause', 'resume', 'pause']);
    pump.dispose();
  });
});

describe('echo of the wrapper line', () => {
  it('splits held output where the wrapper starts, only for this run', () => {
    const line = wrapSh({ command: 'uptime', nonce: NONCE, isolated: true }).replace(/\r$/, '\r\n');
    const held = `late prompt$ ${line}[1]+ Done  sleep 1\r\n`;
    expect(splitAtEcho(held, NONCE)).toEqual(['late prompt$ ', line, '[1]+ Done  sleep 1\r\n']);
    expect(splitAtEcho(held, 'fb0000000000000000')).toBeNull();
    expect(splitAtEcho(held.slice(0, 60), NONCE)).toBeNull(); // the end has not come
    expect(splitAtEcho('just output\r\n', NONCE)).toBeNull();
    // Typed while the shell was busy: echoed as typed, then again after the prompt.
    const twice = `${line}[1] 42\r\n$ ${line}up 3 days\r\n`;
    expect(replaceEchoes(twice, NONCE, 'uptime\r\n')).toBe('[1] 42\r\n$ uptime\r\nup 3 days\r\n');
    expect(replaceEchoes('no echo here', NONCE, 'x')).toBeNull();
  });

  it('shows commands as typed, continuation lines marked, control characters in caret notation', () => {
    expect(shownCommand('a\nb\n')).toBe('a\r\n> b\r\n');
    expect(shownCommand('echo \x1b]0;evil\x07 \x7f')).toBe('echo ^[]0;evil^G ^?\r\n');
    expect(keptModes('\x1b[?2004l\rtrap : INT\x1b[?1h\x1b=')).toBe('\x1b[?2004l\x1b[?1h\x1b=');
  });
});
