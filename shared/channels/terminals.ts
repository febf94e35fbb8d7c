import { z } from 'zod';
import { channel, event } from '../channel-def';
import { incidentIdSchema } from '../schemas';
import type { CommandStartedEvent, CommandSummary, TerminalDataEvent, TerminalExitEvent, TerminalInfo } from '../terminals';

// Embedded terminals (issue 4). Reachable only through the authenticated transports (the
// Electron window's IPC, the browser host's token-checked WebSocket).

export const terminalIdSchema = z.string().regex(/^t\d+-[0-9a-f]{6}$/, { error: 'must be a terminal id' });
const size = z.number().int().min(1).max(1000);

export const terminalChannels = {
  /** `target`: a remote target's name (issue 13) for a shell there over its reused ssh connection; default this laptop. */
  'terminals.create': channel<TerminalInfo>()(z.strictObject({ incidentId: incidentIdSchema, cols: size, rows: size, target: z.string().min(1).max(255).optional() })),
  /** Keystrokes and pastes; large pastes arrive in pieces. */
  'terminals.write': channel<null>()(z.strictObject({ id: terminalIdSchema, data: z.string().min(1).max(65_536) })),
  'terminals.resize': channel<null>()(z.strictObject({ id: terminalIdSchema, cols: size, rows: size })),
  /** After xterm's write callback: `charCount` = the length of each `terminals.data` payload. */
  'terminals.ack': channel<null>()(z.strictObject({ id: terminalIdSchema, charCount: z.number().int().min(0).max(100_000_000) })),
  'terminals.kill': channel<TerminalExitEvent>()(z.strictObject({ id: terminalIdSchema })),
  'terminals.list': channel<TerminalInfo[]>()(z.strictObject({ incidentId: incidentIdSchema.optional() }).optional()),
} as const;

export const terminalEvents = {
  'terminals.data': event<TerminalDataEvent>(),
  'terminals.exit': event<TerminalExitEvent>(),
  'terminals.commandStarted': event<CommandStartedEvent>(),
  'terminals.commandFinished': event<CommandSummary>(),
} as const;
