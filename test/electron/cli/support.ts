import { afterEach, beforeEach, vi } from 'vitest';
import { runCli } from '../../../electron/cli';
import { tempHome } from '../../support/temp-home';

export interface CliHarness {
  /** The profile folder of the current test. */
  readonly home: string;
  /** What the CLI printed to stderr in the current test. */
  readonly errors: string[];
  cli(...args: string[]): Promise<{ code: number; out: string }>;
}

/** Runs `firebreak` in-process against a fresh profile per test, capturing stdout and stderr. */
export function useCliHarness(): CliHarness {
  let home: ReturnType<typeof tempHome> | undefined;
  let errors: string[] = [];
  beforeEach(() => {
    home = tempHome();
    errors = [];
    vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => void errors.push(args.join(' ')));
  });
  afterEach(() => {
    vi.restoreAllMocks();
    home?.cleanup();
  });
  return {
    get home() {
      return home!.dir;
    },
    get errors() {
      return errors;
    },
    cli: async (...args) => {
      const lines: string[] = [];
      const code = await runCli(['--home', home!.dir, ...args], (t) => lines.push(t));
      return { code, out: lines.join('\n') };
    },
  };
}
