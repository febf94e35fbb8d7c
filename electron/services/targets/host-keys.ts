import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { HostKeyOffer } from '../../../shared/targets';
import { runProcess } from './process';
import type { SshTarget } from './ssh';

interface ScannedKey {
  readonly type: string;
  readonly fingerprint: string;
  /** The known_hosts line, named as ssh will look the host up. */
  readonly line: string;
}

/** `ssh-keygen -lf` of one key line: its SHA256 fingerprint. */
async function fingerprintOf(keyLine: string): Promise<string | null> {
  const tmp = path.join(os.tmpdir(), `firebreak-key-${process.pid}-${Math.random().toString(36).slice(2)}`);
  fs.writeFileSync(tmp, `${keyLine}\n`, { mode: 0o600 });
  try {
    const result = await runProcess('ssh-keygen', ['-l', '-E', 'sha256', '-f', tmp], { timeoutMs: 5_000 });
    return /(SHA256:[A-Za-z0-9+/=]+)/.exec(result.stdout)?.[1] ?? null;
  } finally {
    fs.rmSync(tmp, { force: true });
  }
}

/**
 * The keys the host offers now (`ssh-keyscan` from this laptop), with fingerprints, for the
 * operator to compare with what the server's administrator says. Hosts reached only through
 * a ProxyJump cannot be scanned from here: the operator accepts those in a terminal (ssh
 * asks there), which writes their own known_hosts.
 */
async function scan(target: SshTarget): Promise<ScannedKey[]> {
  const resolved = await target.resolve();
  const result = await runProcess('ssh-keyscan', ['-T', '5', '-p', String(resolved.port), '--', resolved.hostname], { timeoutMs: 15_000 });
  const keys: ScannedKey[] = [];
  for (const raw of result.stdout.split('\n')) {
    const parts = raw.trim().split(/\s+/);
    if (parts.length < 3 || raw.startsWith('#')) continue;
    const line = `${resolved.hostKeyAlias} ${parts[1]} ${parts[2]}`;
    const fingerprint = await fingerprintOf(line);
    if (fingerprint) keys.push({ type: parts[1]!, fingerprint, line });
  }
  if (keys.length === 0) throw new Error(`could not read the host key of ${target.name} (${resolved.hostname}:${resolved.port}): ${result.stderr.replace(/^#.*$/gm, '').trim() || 'no answer'}`);
  return keys;
}

export async function offerHostKeys(target: SshTarget): Promise<HostKeyOffer> {
  const keys = await scan(target);
  const resolved = await target.resolve();
  return { name: target.name, knownHostsName: resolved.hostKeyAlias, keys: keys.map(({ type, fingerprint }) => ({ type, fingerprint })) };
}

/** Keys already recorded for the host in any known_hosts file ssh will read, by fingerprint. */
async function knownFingerprints(target: SshTarget, files: readonly string[]): Promise<string[]> {
  const resolved = await target.resolve();
  const out: string[] = [];
  for (const file of files) {
    const expanded = file.replace(/^~(?=\/)/, os.homedir());
    if (!fs.existsSync(expanded)) continue;
    const result = await runProcess('ssh-keygen', ['-l', '-E', 'sha256', '-F', resolved.hostKeyAlias, '-f', expanded], { timeoutMs: 5_000 });
    for (const m of result.stdout.matchAll(/(SHA256:[A-Za-z0-9+/=]+)/g)) out.push(m[1]!);
  }
  return out;
}

/**
 * Records a host key the operator accepted, by the fingerprint they saw: the host is scanned
 * again and only a key with exactly that fingerprint is written (to the profile's
 * known_hosts). If the host already has a different key on record anywhere ssh looks, that
 * is a changed key and it is refused: Firebreak never replaces a known key.
 */
export async function acceptHostKey(target: SshTarget, fingerprint: string, knownHostsFile: string): Promise<void> {
  const keys = await scan(target);
  const key = keys.find((k) => k.fingerprint === fingerprint);
  if (!key) throw new Error(`${target.name} does not offer a host key with fingerprint ${fingerprint} (it offers ${keys.map((k) => k.fingerprint).join(', ')}); nothing was accepted`);
  const resolved = await target.resolve();
  const known = await knownFingerprints(target, [...resolved.knownHostsFiles, knownHostsFile]);
  if (known.includes(fingerprint)) return;
  if (known.length > 0) {
    throw new Error(`${target.name} already has a different host key on record (${known.join(', ')}); a changed host key is refused. Remove the old one with ssh-keygen -R after checking with the server's administrator.`);
  }
  fs.mkdirSync(path.dirname(knownHostsFile), { recursive: true, mode: 0o700 });
  fs.appendFileSync(knownHostsFile, `${key.line}\n`, { mode: 0o600 });
  target.resetBackoff();
}
