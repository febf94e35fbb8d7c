import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import type { SecretStore } from '../probes/secret-store';

/** Secret-store ref of this profile's Ed25519 private key (PKCS#8 PEM). */
export const DEVICE_KEY_REF = 'firebreak.device.ed25519';

export interface DeviceKey {
  readonly privateKey: KeyObject;
  /** The raw 32-byte public key, base64url (JWK `x`), as stored and shared. */
  readonly publicKey: string;
  readonly fingerprint: string;
}

/** `SHA256:` + base64 of the raw key's SHA-256, the form OpenSSH prints, so people can compare it aloud. */
export function fingerprintOf(publicKey: string): string {
  return `SHA256:${createHash('sha256').update(Buffer.from(publicKey, 'base64url')).digest('base64').replace(/=+$/, '')}`;
}

export function publicKeyObject(publicKey: string): KeyObject {
  return createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: publicKey }, format: 'jwk' });
}

function fromPem(pem: string): DeviceKey {
  const privateKey = createPrivateKey(pem);
  const jwk = createPublicKey(privateKey).export({ format: 'jwk' });
  if (jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') throw new Error(`the device key in the secret store (${DEVICE_KEY_REF}) is not an Ed25519 key`);
  return { privateKey, publicKey: jwk.x, fingerprint: fingerprintOf(jwk.x) };
}

/** Loads the device key, making it on first start; two processes racing both end up with the one stored. */
export async function loadDeviceKey(secrets: SecretStore): Promise<DeviceKey> {
  const pem = await secrets.get(DEVICE_KEY_REF);
  if (pem !== null) return fromPem(pem);
  const { privateKey } = generateKeyPairSync('ed25519');
  await secrets.set(DEVICE_KEY_REF, privateKey.export({ format: 'pem', type: 'pkcs8' }).toString());
  const stored = await secrets.get(DEVICE_KEY_REF);
  if (stored === null) throw new Error('the secret store did not keep the device key');
  return fromPem(stored);
}
