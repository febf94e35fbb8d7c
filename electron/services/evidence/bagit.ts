import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../canonical-json';
import type { TimelineEntry } from '../../../shared/domain';
import { BagNamer } from './bag-names';
import { hashRange, sha256Hex, type FileDigests } from './digest';
import { TarWriter } from './tar';
import type { ArtifactRecord, BagExportResult, BagFormat, IntegrityFailure, RemoteEvidenceItem } from './types';
import { ZipWriter } from './zip';

export type { BagExportResult, BagFormat } from './types';

// BagIt (RFC 8493, version 1.0) export of one incident's evidence.

export const PAYLOAD_ALGORITHMS = ['sha256', 'sha512'] as const;

/** RFC 8493 §2.1.3: in manifests, CR, LF and % in file paths are percent-encoded. */
export function encodeManifestPath(p: string): string {
  return p.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

export function decodeManifestPath(p: string): string {
  return p.replace(/%0D/gi, '\r').replace(/%0A/gi, '\n').replace(/%25/g, '%');
}


export interface BagExportInput {
  readonly incidentId: number;
  readonly incident: Record<string, unknown>;
  readonly timeline: Iterable<TimelineEntry>;
  readonly artifacts: readonly ArtifactRecord[];
  readonly blobPath: (artifact: ArtifactRecord) => string | null;
  readonly exportedAt: number;
  readonly exportedBy: string;
  readonly softwareAgent: string;
  /** Team mode: evidence other laptops hold (synced custody, no bytes here), listed in REMOTE_EVIDENCE_FILE. */
  readonly remoteEvidence?: readonly RemoteEvidenceItem[];
}

/** A tag file (outside data/, covered by the tag manifest): the evidence that lives on other laptops. */
export const REMOTE_EVIDENCE_FILE = 'bag-info/remote-evidence.json';

export interface BagExportOptions {
  /** Directory to create (format `dir`), or the archive file to create (`tar`, `zip`). */
  readonly out: string;
  readonly format?: BagFormat;
  readonly sourceOrganization?: string;
  /**
   * Retracted artifacts are left out of the payload (still listed in artifacts.json with their
   * retraction, bagPath null); with this they are included under data/evidence/retracted/.
   */
  readonly includeRetracted?: boolean;
}


type PayloadItem = { readonly bagPath: string; readonly file: string; readonly size: number; readonly artifact?: ArtifactRecord } | { readonly bagPath: string; readonly data: Buffer };

function csvCell(value: unknown): string {
  const text = value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** data/timeline.csv: the timeline as a spreadsheet; verification rebuilds it from timeline.json. */
export function timelineCsv(entries: readonly TimelineEntry[]): Buffer {
  const header = 'seq,at,actor,host,kind,data,corrects,prev_hash,hash';
  const rows = entries.map((e) => [e.seq, e.at, e.actor, e.host, e.kind, canonicalJson(e.data), e.corrects, e.prevHash, e.hash].map(csvCell).join(','));
  return Buffer.from([header, ...rows].join('\r\n') + '\r\n', 'utf8');
}

function payloadPlan(input: BagExportInput, includeRetracted: boolean): PayloadItem[] {
  const items: PayloadItem[] = [];
  const namer = new BagNamer();
  const json = (value: unknown) => Buffer.from(JSON.stringify(value, null, 2) + '\n', 'utf8');
  items.push({ bagPath: 'data/incident.json', data: json(input.incident) });
  const entries = [...input.timeline];
  items.push({ bagPath: 'data/timeline.json', data: json(entries) });
  items.push({ bagPath: 'data/timeline.csv', data: timelineCsv(entries) });
  const listing: unknown[] = [];
  for (const a of input.artifacts) {
    const blob = input.blobPath(a);
    let bagPath: string | null = null;
    if (blob && a.size !== null && (!a.retracted || includeRetracted)) {
      // Portable names (see bag-names.ts); the original name and source stay in artifacts.json.
      bagPath = namer.name(`data/evidence/${a.retracted ? 'retracted/' : ''}${a.collectionId}-${a.collector}/${a.name}`, a.id);
      items.push({ bagPath, file: blob, size: a.size, artifact: a });
    }
    listing.push({ ...a, bagPath });
  }
  items.push({ bagPath: 'data/evidence/artifacts.json', data: json(listing) });
  return items;
}

function bagInfo(input: BagExportInput, options: BagExportOptions, oxum: string, timelineHead: TimelineEntry | undefined): string {
  const one = (v: unknown) => String(v ?? '').replace(/[\r\n]+/g, ' ').trim();
  const fields: Array<[string, string]> = [
    ['Source-Organization', one(options.sourceOrganization ?? 'Firebreak')],
    ['Bagging-Date', new Date(input.exportedAt).toISOString().slice(0, 10)],
    ['Payload-Oxum', oxum],
    ['External-Identifier', String(input.incidentId)],
    ['External-Description', one(`Evidence, timeline and record of incident ${input.incidentId}: ${one(input.incident.title)}`)],
    ['Bag-Software-Agent', input.softwareAgent],
    ['Firebreak-Incident-Id', String(input.incidentId)],
    ['Firebreak-Incident-Title', one(input.incident.title)],
    ['Firebreak-Exported-At', new Date(input.exportedAt).toISOString()],
    ['Firebreak-Exported-By', one(input.exportedBy)],
    ['Firebreak-Artifacts', String(input.artifacts.length)],
    ['Firebreak-Retracted-Artifacts', `${input.artifacts.filter((a) => a.retracted).length} (${options.includeRetracted ? 'included under data/evidence/retracted/' : 'left out of the payload'})`],
    ['Firebreak-Timeline-Entries', String(timelineHead?.seq ?? 0)],
    ['Firebreak-Timeline-Head-Hash', timelineHead?.hash ?? ''],
    ...(input.remoteEvidence?.length ? ([['Firebreak-Remote-Evidence', `${input.remoteEvidence.length} (${REMOTE_EVIDENCE_FILE})`]] as Array<[string, string]>) : []),
  ];
  return fields.map(([k, v]) => `${k}: ${v}\n`).join('');
}

interface BagSink {
  addBuffer(bagPath: string, data: Buffer): Promise<void>;
  addFile(bagPath: string, source: string, size: number): Promise<FileDigests>;
  close(): Promise<void>;
}

async function dirSink(root: string): Promise<BagSink> {
  await fs.promises.mkdir(root, { recursive: false });
  const target = (p: string) => path.join(root, ...p.split('/'));
  return {
    async addBuffer(bagPath, data) {
      await fs.promises.mkdir(path.dirname(target(bagPath)), { recursive: true });
      await fs.promises.writeFile(target(bagPath), data, { flag: 'wx' });
    },
    async addFile(bagPath, source, size) {
      await fs.promises.mkdir(path.dirname(target(bagPath)), { recursive: true });
      // Copy in the kernel, then hash the copy: that is what the bag will hold.
      await fs.promises.copyFile(source, target(bagPath), fs.constants.COPYFILE_EXCL);
      await fs.promises.chmod(target(bagPath), 0o644);
      const digests = await hashRange(target(bagPath), PAYLOAD_ALGORITHMS);
      if (digests.size !== size) throw new Error(`${source} is ${digests.size} bytes, expected ${size}`);
      return digests;
    },
    async close() {},
  };
}

function archiveSink(writer: TarWriter | ZipWriter, top: string, mtime: number): BagSink {
  return {
    addBuffer: (bagPath, data) => writer.addBuffer(`${top}/${bagPath}`, data, mtime),
    addFile: (bagPath, source, size) => writer.addFile(`${top}/${bagPath}`, source, size, mtime, PAYLOAD_ALGORITHMS),
    close: () => writer.close(),
  };
}

/** Writes the bag. Payload bytes are hashed as they are written, so manifests describe the bag itself. */
export async function writeBag(input: BagExportInput, options: BagExportOptions): Promise<BagExportResult> {
  const format = options.format ?? 'dir';
  const out = path.resolve(options.out);
  const top = path.basename(out).replace(/\.(tar|zip)$/i, '') || `incident-${input.incidentId}`;
  const sink = format === 'dir' ? await dirSink(out) : archiveSink(format === 'tar' ? await TarWriter.create(out) : await ZipWriter.create(out), top, input.exportedAt);
  const warnings: IntegrityFailure[] = [];
  const manifests: Record<string, string[]> = { sha256: [], sha512: [] };
  let octets = 0;
  let count = 0;
  const tagLines: string[] = [];
  const addTag = async (name: string, text: string) => {
    const data = Buffer.from(text, 'utf8');
    await sink.addBuffer(name, data);
    tagLines.push(`${sha256Hex(data)}  ${encodeManifestPath(name)}\n`);
  };
  try {
    await addTag('bagit.txt', 'BagIt-Version: 1.0\nTag-File-Character-Encoding: UTF-8\n');
    const timeline = [...input.timeline];
    const head = timeline[timeline.length - 1];
    for (const item of payloadPlan({ ...input, timeline }, options.includeRetracted === true)) {
      let digests: FileDigests;
      if ('data' in item) {
        await sink.addBuffer(item.bagPath, item.data);
        digests = { size: item.data.length, digests: { sha256: sha256Hex(item.data), sha512: crypto.createHash('sha512').update(item.data).digest('hex') } };
      } else {
        try {
          digests = await sink.addFile(item.bagPath, item.file, item.size);
        } catch (error) {
          warnings.push({ file: item.bagPath, kind: 'missing', message: `stored blob could not be exported: ${error instanceof Error ? error.message : String(error)}`, ...(item.artifact ? { artifactId: item.artifact.id } : {}) });
          continue;
        }
        if (item.artifact && digests.digests.sha256 !== item.artifact.sha256) {
          warnings.push({ file: item.bagPath, kind: 'checksum', message: 'stored blob does not match the hash recorded at collection', algorithm: 'sha256', expected: item.artifact.sha256 ?? '', actual: digests.digests.sha256 ?? '', artifactId: item.artifact.id });
        }
      }
      octets += digests.size;
      count++;
      for (const alg of PAYLOAD_ALGORITHMS) manifests[alg]!.push(`${digests.digests[alg]}  ${encodeManifestPath(item.bagPath)}\n`);
    }
    const oxum = `${octets}.${count}`;
    for (const alg of PAYLOAD_ALGORITHMS) await addTag(`manifest-${alg}.txt`, manifests[alg]!.sort().join(''));
    if (input.remoteEvidence?.length) await addTag(REMOTE_EVIDENCE_FILE, JSON.stringify(input.remoteEvidence, null, 2) + '\n');
    await addTag('bag-info.txt', bagInfo(input, options, oxum, head));
    const tagManifest = Buffer.from(tagLines.join(''), 'utf8');
    await sink.addBuffer('tagmanifest-sha256.txt', tagManifest);
    await sink.close();
    const timelineHead = head ? { seq: head.seq, hash: head.hash } : null;
    return { path: out, format, payloadOxum: oxum, files: count, bytes: octets, tagManifestSha256: sha256Hex(tagManifest), warnings, timelineHead };
  } catch (error) {
    if (format !== 'dir') await sink.close().catch(() => undefined);
    throw error;
  }
}
