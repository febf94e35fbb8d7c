import os from 'node:os';
import path from 'node:path';

export const APP_FOLDER_NAME = 'Firebreak';

/**
 * The profile folder: `--home`, else FIREBREAK_HOME, else the platform's app-data folder —
 * the same folder Electron's `app.getPath('userData')` gives for productName "Firebreak",
 * so the CLI and the app share one database.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (explicit) return path.resolve(explicit);
  if (env.FIREBREAK_HOME) return path.resolve(env.FIREBREAK_HOME);
  const home = os.homedir();
  switch (platform) {
    case 'win32':
      return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME);
    case 'darwin':
      return path.join(home, 'Library', 'Application Support', APP_FOLDER_NAME);
    default:
      return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), APP_FOLDER_NAME);
  }
}
