import { execFileSync } from 'node:child_process';
import path from 'node:path';

/** bagit-python 1.9's validate(), re-implemented in Python's standard library (see the script). */
export const BAGIT_PY = path.resolve(__dirname, 'bagit_py_verify.py');

/** Runs the independent validator on a bag folder, .tar or .zip: "VALID n files", or throws with its errors. */
export const pyVerify = (target: string): string => execFileSync('python3', [BAGIT_PY, target], { stdio: ['ignore', 'pipe', 'pipe'] }).toString().trim();

/** The independent validator's verdict without throwing: exit status and what it printed. */
export function pyValidate(target: string): { ok: boolean; output: string } {
  try {
    return { ok: true, output: pyVerify(target) };
  } catch (error) {
    const e = error as { stdout?: Buffer; stderr?: Buffer };
    return { ok: false, output: `${e.stdout?.toString() ?? ''}${e.stderr?.toString() ?? ''}`.trim() };
  }
}
