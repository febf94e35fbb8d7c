// A runbook command travels into the shell inside a wrapper line (wrap.ts), which the shell
// echoes: a long run of printf escapes that means nothing to an operator. Everything the
// shell prints between typing that line and the command's C marker is that echo, so it is
// held back and replaced by the command as the operator should read it. Mode switches the
// shell makes while accepting the line (bracketed paste off, keypad mode) are kept, so
// xterm.js stays in step with the shell.

/** DEC private modes set/reset (`CSI ? n h|l`) and keypad modes (`ESC =`, `ESC >`). */
const MODE_SWITCH = /\x1b\[\?[0-9;]*[hl]|\x1b[=>]/g;

/** How long to wait for the C marker before showing the echo as it came (the shell is busy). */
export const ECHO_HOLD_MS = 2000;
/** More than this before the C marker is not an echo: something else is printing. */
export const ECHO_HOLD_MAX = 256 * 1024;

export function keptModes(echo: string): string {
  return (echo.match(MODE_SWITCH) ?? []).join('');
}

/** The command as shown after the prompt: its lines as if typed, continuation lines marked like PS2. */
export function shownCommand(display: string): string {
  return `${display.replace(/\s+$/, '').replace(/\r?\n/g, '\r\n> ')}\r\n`;
}
