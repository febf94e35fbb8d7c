import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAppSecretStore, SafeStorageSecretStore } from '../../electron/secret-store-electron';
import { FileSecretStore } from '../../electron/services/probes/secret-store';
import { tempHome } from '../support/temp-home';

/** Stands in for Electron's safeStorage: a reversible transform that never leaves plaintext. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true) {
  return {
    isEncryptionAvailable: () => available,
    getSelectedStorageBackend: () => backend,
    encryptString: (value: string) => Buffer.from(`enc:${Buffer.from(value).toString('hex')}`),
    decryptString: (data: Buffer) => Buffer.from(data.toString().slice(4), 'hex').toString(),
  } as never;
}

describe('app secret store (safeStorage)', () => {
  let home: ReturnType<typeof tempHome>;
  beforeEach(() => {
    home = tempHome();
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => {
    vi.restoreAllMocks();
    home.cleanup();
  });

  it('keeps only ciphertext in a 0600 file in the profile', async () => {
    const store = createAppSecretStore(() => fakeSafeStorage(), home.dir);
    expect(store).toBeInstanceOf(SafeStorageSecretStore);
    await store.set('probe.cache', 'hunter2-horse');
    expect(await store.get('probe.cache')).toBe('hunter2-horse');
    const file = path.join(home.dir, 'secrets.safe.json');
    expect(fs.readFileSync(file, 'utf8')).not.toContain('hunter2');
    if (process.platform !== 'win32') expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    await store.delete('probe.cache');
    expect(await store.get('probe.cache')).toBeNull();
    await expect(store.set('bad ref', 'x')).rejects.toThrow(/refs are/);
  });

  it('falls back to the encrypted profile file without a real OS key store', () => {
    expect(createAppSecretStore(() => fakeSafeStorage('basic_text'), home.dir)).toBeInstanceOf(process.platform === 'linux' ? FileSecretStore : SafeStorageSecretStore);
    expect(createAppSecretStore(() => fakeSafeStorage('kwallet', false), home.dir)).toBeInstanceOf(FileSecretStore);
    expect(
      createAppSecretStore(() => {
        throw new Error('no safeStorage in this mock');
      }, home.dir),
    ).toBeInstanceOf(FileSecretStore);
  });
});
