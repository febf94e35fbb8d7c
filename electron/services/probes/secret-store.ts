import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/**
 * Where probe passwords live. The app injects one backed by Electron safeStorage; the
 * browser host and the CLI use FileSecretStore. Refs are names, values never leave it except
 * through `get` at probe time.
 */
export interface SecretStore {
  get(ref: string): Promise<string | null>;
  set(ref: string, value: string): Promise<void>;
  delete(ref: string): Promise<void>;
}

/** In memory, for tests and one-off CLI runs. */
export class MemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();
  async get(ref: string): Promise<string | null> {
    return this.values.get(ref) ?? null;
  }
  async set(ref: string, value: string): Promise<void> {
    this.values.set(ref, value);
  }
  async delete(ref: string): Promise<void> {
    this.values.delete(ref);
  }
}

interface Entry {
  iv: string;
  tag: string;
  data: string;
}

interface SecretsFile {
  version: 1;
  entries: Record<string, Entry>;
}

export class SecretStoreError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

const REF = /^[A-Za-z0-9._:-]{1,128}$/;
const KEY_FILE = 'secrets.key';
const DATA_FILE = 'secrets.json';

/**
 * AES-256-GCM encrypted file (`secrets.json`) with a random 32-byte key in `secrets.key`;
 * both are created 0600 in a 0700 folder and a key readable by group/others is refused.
 * The ref is bound as additional authenticated data, so entries cannot be swapped.
 * This protects against the file being copied off the machine without the key (e.g. in a
 * backup of the database), not against someone who can read the user's files.
 */
export class FileSecretStore implements SecretStore {
  private key: Buffer | null = null;

  constructor(private readonly dir: string) {}

  async get(ref: string): Promise<string | null> {
    checkRef(ref);
    const entry = this.readFile().entries[ref];
    if (!entry) return null;
    const key = this.loadKey(false);
    if (!key) throw new SecretStoreError(`secret "${ref}" cannot be decrypted: ${KEY_FILE} is missing`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(entry.iv, 'base64'));
      decipher.setAAD(Buffer.from(ref, 'utf8'));
      decipher.setAuthTag(Buffer.from(entry.tag, 'base64'));
      return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretStoreError(`secret "${ref}" cannot be decrypted (wrong key file or damaged ${DATA_FILE})`);
    }
  }

  async set(ref: string, value: string): Promise<void> {
    checkRef(ref);
    const key = this.loadKey(true)!;
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(ref, 'utf8'));
    const data = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    const file = this.readFile();
    file.entries[ref] = { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
    this.writeFile(file);
  }

  async delete(ref: string): Promise<void> {
    checkRef(ref);
    const file = this.readFile();
    if (!(ref in file.entries)) return;
    delete file.entries[ref];
    this.writeFile(file);
  }

  /** Refs only (for "password set" indicators). */
  async list(): Promise<string[]> {
    return Object.keys(this.readFile().entries).sort();
  }

  private loadKey(create: boolean): Buffer | null {
    if (this.key) return this.key;
    const file = path.join(this.dir, KEY_FILE);
    if (!fs.existsSync(file)) {
      if (!create) return null;
      fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
      try {
        fs.writeFileSync(file, randomBytes(32), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error; // another process won the race
      }
    }
    const stat = fs.statSync(file);
    if (process.platform !== 'win32' && (stat.mode & 0o077) !== 0) {
      throw new SecretStoreError(`${file} is readable by other users (mode ${(stat.mode & 0o777).toString(8)}); run: chmod 600 "${file}"`);
    }
    const key = fs.readFileSync(file);
    if (key.length !== 32) throw new SecretStoreError(`${file} is not a 32-byte key`);
    this.key = key;
    return key;
  }

  private readFile(): SecretsFile {
    const file = path.join(this.dir, DATA_FILE);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw error;
    }
    const parsed = JSON.parse(text) as Partial<SecretsFile>;
    if (parsed.version !== 1 || !parsed.entries || typeof parsed.entries !== 'object') throw new SecretStoreError(`${file} is not a Firebreak secrets file`);
    return { version: 1, entries: { ...parsed.entries } };
  }

  private writeFile(content: SecretsFile): void {
    fs.mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    const file = path.join(this.dir, DATA_FILE);
    const tmp = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(content, null, 2), { mode: 0o600 });
    fs.renameSync(tmp, file);
  }
}

function checkRef(ref: string): void {
  if (!REF.test(ref)) throw new SecretStoreError('secret refs are 1–128 letters, digits, dot, dash, underscore or colon');
}
