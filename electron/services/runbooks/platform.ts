// Per-platform variants: a step may carry a PowerShell block and a sh block. The UI offers
// the blocks for the current OS and shows the others folded as alternates.
import { assertNever } from '../../../shared/assert';
import { PLATFORMS, type CommandBlock, type Platform, type Shell, type Step } from './model';

function defaultPlatforms(shell: Shell): readonly Platform[] {
  switch (shell) {
    case 'sh':
      return ['linux', 'darwin'];
    case 'pwsh':
    case 'cmd':
      return ['win32'];
    default:
      return assertNever(shell, 'shell');
  }
}

/** The platforms a block is offered on: its explicit platform= or what its shell implies. */
export function blockPlatforms(block: CommandBlock): readonly Platform[] {
  return block.attributes.platform ?? defaultPlatforms(block.shell);
}

export function runsOn(block: CommandBlock, platform: Platform): boolean {
  return blockPlatforms(block).includes(platform);
}

export interface PlatformCommands {
  /** Blocks to offer on this platform, in document order ("Run" sends them in order). */
  readonly current: readonly CommandBlock[];
  /** Blocks for other platforms, for the folded "other platforms" view. */
  readonly alternates: readonly CommandBlock[];
}

export function commandsFor(step: Step, platform: Platform): PlatformCommands {
  const current: CommandBlock[] = [];
  const alternates: CommandBlock[] = [];
  for (const block of step.commands) (runsOn(block, platform) ? current : alternates).push(block);
  return { current, alternates };
}

/** Platforms that have at least one block in the step; empty when the step has no commands. */
export function platformCoverage(step: Step): Platform[] {
  return PLATFORMS.filter((p) => step.commands.some((b) => runsOn(b, p)));
}

/** Maps Node's process.platform onto the platforms runbooks know; others behave like linux. */
export function toRunbookPlatform(nodePlatform: string): Platform {
  return nodePlatform === 'win32' || nodePlatform === 'darwin' ? nodePlatform : 'linux';
}
