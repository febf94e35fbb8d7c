// A runbook command's success check (expectExit / expectOutput / rejectOutput, issue 15):
// exit 0 alone does not mean the health check passed.
import type { CommandAttributes } from './runbooks';
import { compileUserPattern } from './user-pattern';

/** Why the command counts as failed, or null when it met every check. */
export function checkFailure(attrs: Pick<CommandAttributes, 'expectExit' | 'expectOutput' | 'rejectOutput'>, exitCode: number | null, output: string): string | null {
  const expected = attrs.expectExit ?? 0;
  if (exitCode !== expected) return exitCode === null ? 'no exit code' : `exit ${exitCode}, expected ${expected}`;
  // Patterns were checked when the runbook loaded; RE2 keeps a bad one from freezing the host.
  if (attrs.rejectOutput !== undefined && compileUserPattern(attrs.rejectOutput).test(output)) return `output matched ${JSON.stringify(attrs.rejectOutput)}`;
  if (attrs.expectOutput !== undefined && !compileUserPattern(attrs.expectOutput).test(output)) return `output did not match ${JSON.stringify(attrs.expectOutput)}`;
  return null;
}
