import { FitAddon } from '@xterm/addon-fit';
import { SerializeAddon } from '@xterm/addon-serialize';
import { Terminal } from '@xterm/xterm';
import '@xterm/xterm/css/xterm.css';
import type { TerminalDataEvent } from '../../../../shared/terminals';
import { api } from '../../api';

// One xterm.js instance per main-side terminal, kept for the page's lifetime, so output
// keeps flowing (and being acknowledged) while the Runbooks tab is not on screen, and the
// screen is intact when the operator comes back. Components only attach its element.

export interface TermSession {
  readonly id: string;
  readonly term: Terminal;
  readonly fit: FitAddon;
  readonly serialize: SerializeAddon;
  /** Persistent container the terminal renders into; moved between mounts. */
  readonly element: HTMLDivElement;
  opened: boolean;
  /** Characters written to xterm and processed, not yet acknowledged to the main side. */
  pendingAck: number;
  /** Writes handed to xterm whose callback has not run yet. */
  inFlight: number;
  ackTimer: ReturnType<typeof setTimeout> | null;
}

const sessions = new Map<string, TermSession>();

/** Acks go out in batches: often enough to keep the main side's count of unacknowledged output current, far below its high-water mark. */
const ACK_BATCH = 16_384;
const ACK_DELAY_MS = 5;
const MAX_WRITE = 60_000;

const THEME = {
  background: '#0b0f14',
  foreground: '#e6edf3',
  cursor: '#ff7a45',
  selectionBackground: '#2f4f6f',
};

function flushAck(s: TermSession): void {
  if (s.ackTimer !== null) clearTimeout(s.ackTimer);
  s.ackTimer = null;
  if (s.pendingAck === 0) return;
  const charCount = s.pendingAck;
  s.pendingAck = 0;
  // A terminal that just ended refuses nothing here: ack() ignores unknown ids.
  api.terminals.ack({ id: s.id, charCount }).catch(() => undefined);
}

/** Sends typed or pasted input; a big paste goes in pieces the channel accepts. */
function sendInput(id: string, data: string): void {
  for (let i = 0; i < data.length; i += MAX_WRITE) {
    api.terminals.write({ id, data: data.slice(i, i + MAX_WRITE) }).catch(() => undefined);
  }
}

export function getSession(id: string): TermSession {
  const existing = sessions.get(id);
  if (existing) return existing;
  const term = new Terminal({
    fontFamily: "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace",
    fontSize: 13,
    scrollback: 5000,
    cursorBlink: true,
    theme: THEME,
    allowProposedApi: false,
  });
  const fit = new FitAddon();
  const serialize = new SerializeAddon();
  term.loadAddon(fit);
  term.loadAddon(serialize);
  const element = document.createElement('div');
  element.className = 'xterm-host';
  element.dataset.terminalId = id;
  const session: TermSession = { id, term, fit, serialize, element, opened: false, pendingAck: 0, inFlight: 0, ackTimer: null };
  term.onData((data) => sendInput(id, data));
  // Copy / paste with Ctrl+Shift+C / Ctrl+Shift+V (plain Ctrl+C is the interrupt).
  term.attachCustomKeyEventHandler((event) => {
    if (event.type !== 'keydown' || !event.ctrlKey || !event.shiftKey) return true;
    if (event.code === 'KeyC') {
      const text = term.getSelection();
      if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
      return false;
    }
    if (event.code === 'KeyV') {
      void navigator.clipboard?.readText().then((text) => term.paste(text), () => undefined);
      return false;
    }
    return true;
  });
  sessions.set(id, session);
  return session;
}

/** Output from the main side: written to xterm; acknowledged once xterm has processed it. */
export function feedTerminal(event: TerminalDataEvent): void {
  const s = getSession(event.id);
  const length = event.data.length;
  s.inFlight++;
  s.term.write(event.data, () => {
    s.inFlight--;
    s.pendingAck += length;
    // xterm has caught up: ack now, since the pty may be paused waiting for exactly this.
    if (s.pendingAck >= ACK_BATCH || s.inFlight === 0) flushAck(s);
    else s.ackTimer ??= setTimeout(() => flushAck(s), ACK_DELAY_MS);
  });
}

/** Puts the terminal into `container` (opening it the first time) and fits it. */
export function attachSession(s: TermSession, container: HTMLElement): void {
  if (s.element.parentElement !== container) container.appendChild(s.element);
  if (!s.opened) {
    s.term.open(s.element);
    s.opened = true;
  }
  fitSession(s);
}

/** Fits the grid to its container and tells the pty the new size. */
export function fitSession(s: TermSession): void {
  if (!s.opened || !s.element.isConnected || s.element.clientWidth === 0) return;
  const before = `${s.term.cols}x${s.term.rows}`;
  try {
    s.fit.fit();
  } catch {
    return; // not measurable yet (hidden)
  }
  if (`${s.term.cols}x${s.term.rows}` !== before || !s.element.dataset.sized) {
    s.element.dataset.sized = '1';
    api.terminals.resize({ id: s.id, cols: s.term.cols, rows: s.term.rows }).catch(() => undefined);
  }
}

export function disposeSession(id: string): void {
  const s = sessions.get(id);
  if (!s) return;
  flushAck(s);
  s.term.dispose();
  s.element.remove();
  sessions.delete(id);
}

/** The visible screen and scrollback as text with its colours (serialize addon), e.g. for copying a whole session. */
export function serializeSession(id: string): string {
  return sessions.get(id)?.serialize.serialize() ?? '';
}
