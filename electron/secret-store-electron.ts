import type { SafeStorage } from 'electron';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { FileSecretStore, SecretStoreError, type SecretStore } from './services/probes/secret-store';

// Probe passwords in the app: encrypted with Electron's safeStorage (the OS keychain /
// DPAPI / libsecret key), stored base64 in a 0600 file in the profile. Only this module and
// main.ts touch 'electron'; the services see a plain SecretStore.

const FILE = 'secrets.safe.json';
const REF = /^[A-Za-z0-9._:-]{1,128}$/;

interface SafeFile {
  version: 1;
  entries: Record<string, string>;
}

export class SafeStorageSecretStore implements SecretStore {
  private readonly file: string;

  constructor(
    private readonly safeStorage: Pick<SafeStorage, 'encryptString' | 'decryptString'>,
    dir: string,
  ) {
    this.file = path.join(dir, FILE);
  }

  async get(ref: string): Promise<string | null> {
    checkRef(ref);
    const data = this.read().entries[ref];
    if (data === undefined) return null;
    try {
      return this.safeStorage.decryptString(Buffer.from(data, 'base64'));
    } catch {
      throw new SecretStoreError(`secret "${ref}" cannot be decrypted (the OS keychain key changed?); set it again`);
    }
  }

  async set(ref: string, value: string): Promise<void> {
    checkRef(ref);
    const content = this.read();
    content.entries[ref] = this.safeStorage.encryptString(value).toString('base64');
    this.write(content);
  }

  async delete(ref: string): Promise<void> {
    checkRef(ref);
    const content = this.read();
    if (!(ref in content.entries)) return;
    delete content.entries[ref];
    this.write(content);
  }

  private read(): SafeFile {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<SafeFile>;
    if (parsed.version !== 1 || !parsed.entries || typeof parsed.entries !== 'object') throw new SecretStoreError(`${this.file} is not a Firebreak secrets file`);
    return { version: 1, entries: { ...parsed.entries } };
  }

  private write(content: SafeFile): void {
    fs.mkdirSync(path.dirname(this.file), { recursive: true, mode: 0o700 });
    const tmp = `${this.file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, this.file);
  }
}

function checkRef(ref: string): void {
  if (!REF.test(ref)) throw new SecretStoreError('secret refs are 1–128 letters, digits, dot, dash, underscore or colon');
}

/**
 * safeStorage when the OS offers a real key store; otherwise (no keyring on Linux, where
 * Electron would fall back to a hard-coded "basic_text" key, or safeStorage missing) the
 * same encrypted-file store as the CLI, so the app and the CLI still share secrets.
 * Call after app 'ready'.
 */
export function createAppSecretStore(getSafeStorage: () => SafeStorage | undefined, home: string): SecretStore {
  try {
    // A getter: reading the binding itself can throw where 'electron' is a partial mock.
    const safeStorage = getSafeStorage();
    const weak = process.platform === 'linux' && safeStorage?.getSelectedStorageBackend?.() === 'basic_text';
    if (safeStorage?.isEncryptionAvailable() && !weak) return new SafeStorageSecretStore(safeStorage, home);
  } catch {
    // fall through to the file store
  }
  console.warn('firebreak: the OS key store is not available; probe passwords use the encrypted file in the profile instead');
  return new FileSecretStore(home);
}
