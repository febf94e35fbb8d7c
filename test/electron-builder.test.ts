import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

// The installers cannot be built here (Electron's binaries are not downloadable), so the
// packaging configuration is checked as data: the fuses, targets and unpacked natives.
const config = parse(fs.readFileSync(path.resolve(__dirname, '../electron-builder.yml'), 'utf8')) as Record<string, any>;

describe('electron-builder.yml', () => {
  it('is valid for electron-builder itself (its own schema check)', async () => {
    const { validateConfiguration } = (await import('app-builder-lib/out/util/config/config')) as unknown as {
      validateConfiguration(config: unknown, logger: { isEnabled: boolean; add(key: string, value: unknown): void }): Promise<void>;
    };
    const logger = { isEnabled: false, add: () => undefined };
    await expect(validateConfiguration(config, logger)).resolves.toBeUndefined();
    // The check is real: a misspelt fuse is refused.
    await expect(validateConfiguration({ ...config, electronFuses: { ...config.electronFuses, runAsNodee: false } }, logger)).rejects.toThrow(/Invalid configuration object/);
  });

  it('sets the Electron fuses of the security baseline', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
    });
  });

  it('builds AppImage and deb, NSIS and dmg', () => {
    expect(config.linux.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.win.target).toEqual(expect.arrayContaining(['nsis']));
    expect(config.mac.target).toEqual(expect.arrayContaining(['dmg']));
  });

  it('packs into ASAR but unpacks the native modules, rebuilt for Electron', () => {
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['**/node_modules/better-sqlite3/**', '**/node_modules/node-pty/**']));
    expect(config.npmRebuild).toBe(true);
  });

  it('ships the bundled runbooks as extra resources', () => {
    expect(config.extraResources).toEqual(expect.arrayContaining([expect.objectContaining({ from: 'runbooks', to: 'runbooks' })]));
    expect(fs.existsSync(path.resolve(__dirname, '../runbooks/initial-response.md'))).toBe(true);
  });
});
