import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  commandTimelineData,
  MASK,
  TerminalError,
  type CommandResult,
  type TranscriptSink,
} from '../../../../electron/services/terminals';
import { harness, PROMPT, SHELLS, sleep, waitFor } from './helpers';

// Real node-pty, real shells: runbook commands wrapped with OSC 633-style markers.

let current: ReturnType<typeof harness> | null = null;
afterEach(async () => {
  await current?.svc.dispose();
  current = null;
});

/** The screen text without mode switches (bash turns bracketed paste off and on around each line). */
const withoutModes = (text: string) => text.replace(/\x1b\[\?[0-9;]*[hl]/g, '');

function memorySink() {
  const stored: Array<{ incidentId: number; name: string; content: string }> = [];
  const sink: TranscriptSink = {
    async store(incidentId, name, content) {
      stored.push({ incidentId, name, content: content.toString('utf8') });
      return { sha256: createHash('sha256').update(content).digest('hex'), path: `/evidence/${name}` };
    },
  };
  return { sink, stored };
}

describe.each(SHELLS)('runCommand in $name', (shell) => {
  it('captures exit code 0, its transcript, and strips the markers from the display', async () => {
    const { sink, stored } = memorySink();
    const finished: CommandResult[] = [];
    const h = (current = harness({ transcripts: sink, onCommandFinished: (r) => void finished.push(r) }));
    const id = h.create(shell, { incidentId: 7 });
    await h.ready(id);
    const r = await h.svc.runCommand(id, {
      command: "printf '\\033[32mgreen\\033[0m\\n'; echo second line",
      shell: 'sh',
      stepId: 'check-status',
    });
    expect(r.exitCode).toBe(0);
    expect(r.timedOut).toBe(false);
    expect(r.terminalExited).toBe(false);
    expect(r.transcript).toContain('\x1b[32mgreen\x1b[0m\r\n');
    expect(r.text).toBe('green\nsecond line\n');
    expect(r.durationMs).toBeGreaterThanOrEqual(0);
    expect(h.out(id)).not.toContain('\x1b]633;');
    expect(h.out(id)).toContain('second line');
    // The screen shows the command after the prompt, not the wrapper the shell echoed.
    expect(withoutModes(h.out(id))).toContain(`${PROMPT}printf '\\033[32mgreen\\033[0m\\n'; echo second line\r\n`);
    expect(h.out(id)).not.toContain("printf '%b'");
    // Stored as evidence, then handed to the hook with its hash.
    expect(stored).toHaveLength(1);
    expect(stored[0]?.incidentId).toBe(7);
    expect(stored[0]?.content).toContain('green\nsecond line\n');
    expect(stored[0]?.content).toContain('exit code: 0');
    expect(r.evidence?.sha256).toBe(createHash('sha256').update(stored[0]?.content ?? '').digest('hex'));
    expect(finished).toEqual([r]);
    expect(commandTimelineData(r)).toMatchObject({ stepId: 'check-status', exitCode: 0, hash: r.evidence?.sha256 });
  });

  it('captures a non-zero exit code, a duration, and stays usable afterwards', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    const r = await h.svc.runCommand(id, { command: 'sleep 0.3; ls /definitely/not/here', shell: 'sh', stepId: 's' });
    expect(r.exitCode).not.toBe(0);
    expect(r.exitCode).toBe(2);
    expect(r.durationMs).toBeGreaterThanOrEqual(250);
    expect(r.text).toMatch(/not\/here/);
    const again = await h.svc.runCommand(id, { command: 'exit 42', shell: 'sh', stepId: 's2' });
    expect(again.exitCode).toBe(42); // isolated: `exit` ends the subshell, not the terminal
    const strict = await h.svc.runCommand(id, { command: 'set -e\nfalse\necho not reached', shell: 'sh', stepId: 's3' });
    expect(strict.exitCode).toBe(1);
    expect(strict.text).toBe('');
    expect(h.svc.get(id).running).toBe(true);
  });

  it('runs multi-line and long commands in the given cwd with env, masking secrets', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    h.svc.addSecrets(1, ['hunter2-pass']);
    const long = 'x'.repeat(6000);
    const r = await h.svc.runCommand(id, {
      command: `pwd\necho "user=$DB_USER pass=$DB_PASS"\nprintf '%s' "${long}" | wc -c`,
      shell: 'sh',
      stepId: 'multi',
      cwd: '/',
      env: { DB_USER: 'ops', DB_PASS: 'hunter2-pass' },
      secrets: ['ops'],
    });
    expect(r.exitCode).toBe(0);
    expect(r.text).toBe(`/\nuser=${MASK} pass=${MASK}\n6000\n`);
    expect(r.transcript).not.toContain('hunter2-pass');
  });

  it('shows a multi-line command as typed at a prompt', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    await h.ready(id);
    await h.svc.runCommand(id, { command: 'echo one\necho two\n', shell: 'sh', stepId: 'm', display: 'echo one\necho two' });
    expect(withoutModes(h.out(id))).toContain(`${PROMPT}echo one\r\n> echo two\r\none\r\ntwo\r\n`);
  });

  it('keeps what the shell printed before the echo: a late first prompt, a background job', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    // Run at once, as the Run button does with a terminal it just opened: the prompt is not out yet.
    await h.svc.runCommand(id, { command: 'echo first', shell: 'sh', stepId: 'early' });
    expect(withoutModes(h.out(id))).toContain(`${PROMPT}echo first\r\nfirst\r\n`);
    // A background block is typed, and the next command right after it.
    h.svc.write(id, 'echo BGVISIBLE &\r');
    await h.svc.runCommand(id, { command: 'echo after', shell: 'sh', stepId: 'next' });
    await waitFor(() => h.out(id).includes('BGVISIBLE\r\n'), 'the background job output');
    const screen = withoutModes(h.out(id));
    expect(screen).toContain('echo BGVISIBLE &');
    // The job's output (and, in a shell without line editing, the next prompt: the line was
    // typed ahead and echoed at once) may land between the command line and its output.
    const shown = screen.indexOf('echo after\r\n');
    expect(shown).toBeGreaterThan(-1);
    expect(screen.lastIndexOf('after\r\n')).toBeGreaterThan(shown);
    expect(screen, JSON.stringify(screen)).not.toContain('trap : INT');
  });

  it('shows the echo as it came when the shell does not start the command (a program reads the terminal)', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    await h.ready(id);
    h.svc.write(id, 'cat\r');
    await waitFor(() => withoutModes(h.out(id)).includes(`${PROMPT}cat\r\n`), 'cat to start');
    await sleep(200);
    // `cat` swallows the typed line: no C marker comes, so the echo shows after ~2 s, long
    // before the command's own timeout.
    const busy = h.svc.runCommand(id, { command: 'echo never', shell: 'sh', stepId: 'b', timeoutMs: 60_000 });
    await waitFor(() => h.out(id).includes("printf '%b'"), 'the echo to be released', 4_000);
    await h.svc.kill(id);
    expect((await busy).terminalExited).toBe(true);
  });

  it('never shows a secret substituted into the command text on the live screen', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    // A promptEnv answer the runbook substituted into the command (`${TOKEN}` → its value).
    h.svc.addSecrets(1, ['tok-9f8e7d']);
    const r = await h.svc.runCommand(id, { command: `test -n 'tok-9f8e7d' && echo authorised`, shell: 'sh', stepId: 's' });
    expect(r.exitCode).toBe(0);
    expect(r.text).toBe('authorised\n');
    // Everything the renderer received: the echoed wrapper line included.
    expect(h.out(id)).not.toContain('tok-9f8e7d');
  });

  it('times out: sends Ctrl-C and reports timedOut with status 130', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    const r = await h.svc.runCommand(id, { command: 'echo started; sleep 30', shell: 'sh', stepId: 't', timeoutMs: 500 });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).toBe(130);
    expect(r.text).toContain('started');
    const next = await h.svc.runCommand(id, { command: 'echo ok', shell: 'sh', stepId: 'u' });
    expect(next.exitCode).toBe(0);
    expect(next.text).toBe('ok\n');
  });

  it('reports a command the user interrupts with Ctrl-C', async () => {
    const h = (current = harness());
    const id = h.create(shell);
    const p = h.svc.runCommand(id, { command: 'echo go; sleep 30', shell: 'sh', stepId: 'i' });
    let started = false;
    h.svc.on('commandStarted', () => (started = true));
    await waitFor(() => started && h.out(id).includes('go\r\n'), 'command output');
    h.svc.write(id, '\x03');
    const r = await p;
    expect(r.exitCode).toBe(130);
    expect(r.timedOut).toBe(false);
  });
});

describe('runCommand edge cases', () => {
  it('refuses a second command while one runs, and a PowerShell command in a POSIX shell', async () => {
    const h = (current = harness());
    const id = h.create();
    const p = h.svc.runCommand(id, { command: 'sleep 0.5', shell: 'sh', stepId: 'a' });
    expect(() => h.svc.runCommand(id, { command: 'true', shell: 'sh', stepId: 'b' })).toThrow(TerminalError);
    expect(() => h.svc.runCommand(id, { command: 'Get-Date', shell: 'pwsh', stepId: 'c' })).toThrow(/shell-mismatch|runs sh/);
    expect((await p).exitCode).toBe(0);
  });

  it('reports a command that ends the shell itself (not isolated)', async () => {
    const h = (current = harness());
    const id = h.create(SHELLS[1]);
    const r = await h.svc.runCommand(id, { command: 'exit 4', shell: 'sh', stepId: 'bye', isolated: false });
    expect(r.terminalExited).toBe(true);
    expect(r.exitCode).toBe(4);
    expect(h.exits).toEqual([expect.objectContaining({ id, reason: 'exited', exitCode: 4 })]);
  });

  it('gives up on a command that ignores Ctrl-C, and still hides its late end marker', async () => {
    const events: string[] = [];
    const h = (current = harness({ interruptGraceMs: 300, onEvent: (name) => void events.push(name) }));
    const id = h.create();
    const r = await h.svc.runCommand(id, {
      command: "trap '' INT; sleep 1.5; echo late",
      shell: 'sh',
      stepId: 'stubborn',
      timeoutMs: 300,
    });
    expect(r).toMatchObject({ timedOut: true, exitCode: null, terminalExited: false });
    await waitFor(() => h.out(id).includes('late\r\n'), 'the command to finish on its own');
    await waitFor(() => h.out(id).endsWith(PROMPT), 'prompt');
    expect(h.out(id)).not.toContain('\x1b]633;');
    expect(events).toEqual(expect.arrayContaining(['data', 'commandStarted', 'commandFinished']));
  });

  it('caps the transcript of a runaway command', async () => {
    const h = (current = harness({ transcriptCap: 10_000 }));
    const id = h.create();
    const r = await h.svc.runCommand(id, { command: 'yes | head -c 2000000', shell: 'sh', stepId: 'flood' });
    expect(r.exitCode).toBe(0);
    expect(r.truncated).toBe(true);
    expect(r.transcript.length).toBeLessThan(25_000);
    expect(r.text).toContain('characters omitted');
  });
});
