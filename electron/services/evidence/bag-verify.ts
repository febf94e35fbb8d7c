import crypto from 'node:crypto';
import path from 'node:path';
import { openBag, type BagReader } from './bag-readers';
import { decodeManifestPath, REMOTE_EVIDENCE_FILE } from './bagit';
import { parseRemoteEvidence } from './bag-remote';
import { ARTIFACTS_FILE, checkBagTimeline, TIMELINE_CSV_FILE, TIMELINE_FILE } from './bag-timeline';
import type { BagTimelineSummary, BagVerificationReport, IntegrityFailure, RemoteEvidenceItem } from './types';

export type { BagVerificationReport } from './types';

interface ManifestParse {
  readonly entries: Map<string, string>;
  readonly failures: IntegrityFailure[];
}

function parseManifest(name: string, text: string, payload: boolean): ManifestParse {
  const entries = new Map<string, string>();
  const failures: IntegrityFailure[] = [];
  for (const [index, line] of text.split(/\r\n|\n|\r/).entries()) {
    if (line.trim() === '') continue;
    const m = /^([0-9a-fA-F]+)[ \t]+(.+)$/.exec(line);
    if (!m) {
      failures.push({ file: name, kind: 'format', message: `line ${index + 1} is not "<checksum> <path>"` });
      continue;
    }
    const rel = decodeManifestPath(m[2]!.replace(/^\*/, ''));
    const segments = rel.split('/');
    if (rel.startsWith('/') || segments.includes('..') || (payload && segments[0] !== 'data')) {
      failures.push({ file: name, kind: 'format', message: `line ${index + 1}: path ${JSON.stringify(rel)} is not ${payload ? 'inside data/' : 'a relative path in the bag'}` });
      continue;
    }
    entries.set(rel, m[1]!.toLowerCase());
  }
  return { entries, failures };
}

export function parseBagInfo(text: string): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  let last: { key: string; index: number } | undefined;
  for (const line of text.split(/\r\n|\n|\r/)) {
    if (/^[ \t]/.test(line) && last) {
      const values = out[last.key]!;
      values[last.index] += ` ${line.trim()}`;
      continue;
    }
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    const key = line.slice(0, colon).trim();
    (out[key] ??= []).push(line.slice(colon + 1).trim());
    last = { key, index: out[key]!.length - 1 };
  }
  return out;
}


const KNOWN_ALGORITHMS = new Set(['md5', 'sha1', 'sha256', 'sha512']);

/** Whether a tag manifest of a known algorithm lists `rel` (its hash is checked with the other tag files). */
async function listedInTagManifest(reader: BagReader, tagManifests: readonly string[], rel: string): Promise<boolean> {
  for (const name of tagManifests) {
    if (!KNOWN_ALGORITHMS.has(name.slice('tagmanifest-'.length, -'.txt'.length))) continue;
    if (parseManifest(name, (await reader.read(name)).toString('utf8'), false).entries.has(rel)) return true;
  }
  return false;
}

/**
 * Validates a bag (directory, .tar or .zip) per RFC 8493: bagit.txt, every payload manifest
 * entry, no payload file missing from or extra to any manifest, Payload-Oxum, and every
 * tag manifest entry. Returns every failure, each naming its file. Never throws: a bag that
 * cannot be read (a malformed archive, a name that leaves the bag) is one failure saying why.
 */
export async function verifyBag(target: string): Promise<BagVerificationReport> {
  const failures: IntegrityFailure[] = [];
  const counts = { filesChecked: 0, bytesChecked: 0 };
  const state: BagState = { bagInfo: {}, algorithms: [] };
  let reader: BagReader | undefined;
  try {
    reader = await openBag(target);
    await checkBag(reader, failures, counts, state);
  } catch (error) {
    // One line, and no control characters: a member's name can carry terminal escapes.
    const message = (error instanceof Error ? error.message : String(error)).split('\n')[0]!.replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
    failures.push({ file: path.basename(target), kind: 'format', message: `cannot read the bag: ${message}` });
  } finally {
    await reader?.close().catch(() => undefined);
  }
  return { ok: failures.length === 0, target, ...counts, failures, bagInfo: state.bagInfo, algorithms: state.algorithms, ...(state.timeline ? { timeline: state.timeline } : {}), ...(state.remote?.length ? { remote: state.remote } : {}) };
}

interface BagState {
  bagInfo: Record<string, string[]>;
  algorithms: string[];
  timeline?: BagTimelineSummary;
  remote?: RemoteEvidenceItem[];
}

async function checkBag(reader: BagReader, failures: IntegrityFailure[], counts: { filesChecked: number; bytesChecked: number }, state: BagState): Promise<void> {
  if (!reader.files.has('bagit.txt')) {
    failures.push({ file: 'bagit.txt', kind: 'missing', message: 'bagit.txt is missing: this is not a bag' });
    return;
  }
  const declaration = (await reader.read('bagit.txt')).toString('utf8');
  if (!/^BagIt-Version: \d+\.\d+\r?\n/m.test(declaration) || !/Tag-File-Character-Encoding: UTF-8/i.test(declaration)) {
    failures.push({ file: 'bagit.txt', kind: 'format', message: 'bagit.txt must declare BagIt-Version and Tag-File-Character-Encoding' });
  }
  const top = [...reader.files.keys()].filter((f) => !f.includes('/'));
  const payloadManifests = top.filter((f) => /^manifest-[a-z0-9]+\.txt$/.test(f));
  const tagManifests = top.filter((f) => /^tagmanifest-[a-z0-9]+\.txt$/.test(f));
  if (payloadManifests.length === 0) failures.push({ file: 'manifest-sha256.txt', kind: 'missing', message: 'no payload manifest' });
  if (reader.files.has('fetch.txt')) failures.push({ file: 'fetch.txt', kind: 'format', message: 'fetch.txt is present: remote payload is not verified here' });

  const expected = new Map<string, Map<string, string>>();
  for (const name of payloadManifests) {
    const alg = name.slice('manifest-'.length, -'.txt'.length);
    if (!KNOWN_ALGORITHMS.has(alg)) {
      failures.push({ file: name, kind: 'format', message: `unsupported algorithm ${alg}` });
      continue;
    }
    const parsed = parseManifest(name, (await reader.read(name)).toString('utf8'), true);
    failures.push(...parsed.failures);
    expected.set(alg, parsed.entries);
  }
  const algorithms = [...expected.keys()];
  state.algorithms = algorithms;
  if (reader.files.has('bag-info.txt')) state.bagInfo = parseBagInfo((await reader.read('bag-info.txt')).toString('utf8'));
  const firebreak = state.bagInfo['Firebreak-Incident-Id'] !== undefined;
  const payload = [...reader.files.keys()].filter((f) => f.startsWith('data/')).sort();
  let octets = 0;
  // A Firebreak bag's evidence is also checked against the sha256 recorded at capture.
  const sha256 = new Map<string, string>();
  const hashWith = firebreak && !algorithms.includes('sha256') ? [...algorithms, 'sha256'] : algorithms;
  await reader.digestAll(new Set(payload), hashWith, (rel, digests) => {
    if (digests.digests.sha256) sha256.set(rel, digests.digests.sha256);
    counts.filesChecked++;
    counts.bytesChecked += digests.size;
    octets += digests.size;
    for (const alg of algorithms) {
      const want = expected.get(alg)!.get(rel);
      if (want === undefined) failures.push({ file: rel, kind: 'extra', message: `payload file is not listed in manifest-${alg}.txt`, algorithm: alg });
      else if (want !== digests.digests[alg]) failures.push({ file: rel, kind: 'checksum', message: `${alg} does not match manifest-${alg}.txt`, algorithm: alg, expected: want, actual: digests.digests[alg] ?? '' });
    }
  });
  const present = new Set(payload);
  for (const [alg, entries] of expected) {
    for (const rel of entries.keys()) if (!present.has(rel)) failures.push({ file: rel, kind: 'missing', message: `listed in manifest-${alg}.txt but not in the bag`, algorithm: alg });
  }

  if (reader.files.has('bag-info.txt')) {
    const oxum = state.bagInfo['Payload-Oxum']?.[0];
    if (oxum !== undefined) {
      const actual = `${octets}.${payload.length}`;
      if (oxum !== actual) failures.push({ file: 'bag-info.txt', kind: 'oxum', message: `Payload-Oxum is ${oxum}, the payload is ${actual}`, expected: oxum, actual });
    }
  }

  if (firebreak) {
    const optional = async (rel: string) => (reader.files.has(rel) ? reader.read(rel) : undefined);
    const remoteFile = await optional(REMOTE_EVIDENCE_FILE);
    if (remoteFile) {
      const parsed = parseRemoteEvidence(remoteFile);
      failures.push(...parsed.failures);
      // Only a list the tag manifest vouches for may excuse evidence from being in the bag.
      if (!(await listedInTagManifest(reader, tagManifests, REMOTE_EVIDENCE_FILE))) {
        failures.push({ file: REMOTE_EVIDENCE_FILE, kind: 'custody', message: 'is not listed in a tag manifest, so it cannot excuse evidence missing from the bag' });
      } else state.remote = parsed.items;
    }
    const checked = checkBagTimeline({ bagInfo: state.bagInfo, timeline: await optional(TIMELINE_FILE), artifacts: await optional(ARTIFACTS_FILE), csv: await optional(TIMELINE_CSV_FILE), sha256, ...(state.remote ? { remote: state.remote } : {}) });
    failures.push(...checked.failures);
    if (checked.timeline) state.timeline = checked.timeline;
  }

  for (const name of tagManifests) {
    const alg = name.slice('tagmanifest-'.length, -'.txt'.length);
    if (!KNOWN_ALGORITHMS.has(alg)) {
      failures.push({ file: name, kind: 'format', message: `unsupported algorithm ${alg}` });
      continue;
    }
    const parsed = parseManifest(name, (await reader.read(name)).toString('utf8'), false);
    failures.push(...parsed.failures);
    for (const [rel, want] of parsed.entries) {
      if (!reader.files.has(rel)) {
        failures.push({ file: rel, kind: 'missing', message: `listed in ${name} but not in the bag`, algorithm: alg });
        continue;
      }
      let actual = '';
      if (rel.startsWith('data/')) {
        // Unusual (tag manifests list tag files), but valid: a payload file is hashed, not held.
        await reader.digestAll(new Set([rel]), [alg], (_, d) => (actual = d.digests[alg] ?? ''));
      } else {
        // Tag files are small and already in memory (tar) or one read away.
        const data = await reader.read(rel);
        actual = crypto.createHash(alg).update(data).digest('hex');
      }
      counts.filesChecked++;
      counts.bytesChecked += reader.files.get(rel) ?? 0;
      if (actual !== want) failures.push({ file: rel, kind: 'checksum', message: `${alg} does not match ${name}`, algorithm: alg, expected: want, actual });
    }
  }
}
