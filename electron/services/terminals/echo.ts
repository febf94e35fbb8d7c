// A runbook command travels into the shell inside a wrapper line (wrap.ts), which the shell
// echoes: a long run of printf escapes that means nothing to an operator. Once the command's
// C marker arrives, that echo is replaced by the command as the operator should read it.
// Whatever else was printed meanwhile (a late prompt, a background job's output) is shown
// as it came; if the echo cannot be told apart, everything is. Mode switches inside the echo (bracketed paste, keypad)
// are kept, so xterm.js stays in step with the shell. POSIX shells only: PSReadLine queries
// the terminal while it redraws, and those queries must reach xterm.js unheld.

/** DEC private modes set/reset (`CSI ? n h|l`) and keypad modes (`ESC =`, `ESC >`). */
const MODE_SWITCH = /\x1b\[\?[0-9;]*[hl]|\x1b[=>]/g;

/** What may follow the wrapper line's last word: its CR LF and the shell's mode switches. */
const LINE_END = new RegExp(`^(?:\\r|\\n|${MODE_SWITCH.source})`);

/** How long after the echo starts to wait for the C marker before showing it as it came. */
const ECHO_HOLD_MS = 2000;
/** More than this before the C marker is not an echo: something else is printing. */
const ECHO_HOLD_MAX = 256 * 1024;

/** A run whose echo may be held (PendingRun). `echo` null: not holding. */
export interface EchoHolder {
  echo: string | null;
  echoTimer: NodeJS.Timeout | null;
}

/** Holds output; `release` shows it as it came after ECHO_HOLD_MS or past ECHO_HOLD_MAX. */
export function holdEcho(run: EchoHolder, text: string, release: () => void): void {
  run.echo = (run.echo ?? '') + text;
  // Timed from the first held output, not from typing: a paused pty is not read at all.
  run.echoTimer ??= setTimeout(release, ECHO_HOLD_MS);
  if (run.echo.length > ECHO_HOLD_MAX) release();
}

/** Stops holding and hands over what was held ('' if nothing). */
export function takeEcho(run: EchoHolder): string {
  if (run.echoTimer !== null) clearTimeout(run.echoTimer);
  run.echoTimer = null;
  const held = run.echo ?? '';
  run.echo = null;
  return held;
}

/** The first and last characters of the sh wrapper line (wrap.ts), as the shell echoes them back. */
export const SH_WRAPPER_START = 'trap : INT; printf';
export const SH_WRAPPER_END = 'trap - INT';

export function keptModes(echo: string): string {
  return (echo.match(MODE_SWITCH) ?? []).join('');
}

/**
 * Splits held output around the wrapper's echo: `[before, echo, after]`, or null when the
 * echo's start or end is not in it (then none of it is replaced). Only the echo goes: a
 * shell without line editing prints a line typed ahead before its prompt, so the prompt
 * and a background job's output can come after it.
 */
export function splitAtEcho(held: string, nonce: string): [string, string, string] | null {
  // The nonce is typed in plain text on the wrapper's first line: it pins down this run's echo.
  const at = held.indexOf(SH_WRAPPER_START);
  if (at === -1 || held.indexOf(nonce, at) === -1) return null;
  const last = held.indexOf(SH_WRAPPER_END, at);
  if (last === -1) return null;
  // The line's end goes too: its CR LF, and what bash prints on accepting it (bracketed
  // paste off, then CR); the mode switch itself is kept by the caller.
  let end = last + SH_WRAPPER_END.length;
  for (let m; (m = LINE_END.exec(held.slice(end))); ) end += m[0].length;
  // The wrapper line starts with a space (kept out of shell history).
  const start = at > 0 && held[at - 1] === ' ' ? at - 1 : at;
  return [held.slice(0, start), held.slice(start, end), held.slice(end)];
}

/**
 * The held output with every echo of this run's wrapper replaced: a line typed while the
 * shell was busy is echoed twice (by the terminal as typed, then by readline after the
 * prompt); the command is shown where the last echo was, which is where it runs. Null when
 * no echo is recognised.
 */
export function replaceEchoes(held: string, nonce: string, shown: string): string | null {
  let split = splitAtEcho(held, nonce);
  if (!split) return null;
  let out = '';
  for (;;) {
    const [before, echo, after] = split;
    const next = splitAtEcho(after, nonce);
    if (!next) return `${out}${before}${keptModes(echo)}${shown}${after}`;
    out += before + keptModes(echo);
    split = next;
  }
}

/** Control characters as readline shows them (`^[`), so a value in the text cannot drive the terminal. */
const caret = (text: string): string =>
  text.replace(/[\x00-\x08\x0b-\x1f\x7f]/g, (c) => (c === '\x7f' ? '^?' : `^${String.fromCharCode(c.charCodeAt(0) + 64)}`));

/** The command as shown after the prompt: its lines as if typed, continuation lines marked like PS2. */
export function shownCommand(display: string): string {
  return `${caret(display.replace(/\s+$/, '').replace(/\r\n?/g, '\n')).replace(/\n/g, '\r\n> ')}\r\n`;
}
