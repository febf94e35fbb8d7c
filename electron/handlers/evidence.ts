import fs from 'node:fs';
import path from 'node:path';
import type { evidenceChannels } from '../../shared/channels/evidence';
import type { BagFormat, CollectionProgress, CollectionResult, CollectOptions } from '../../shared/evidence';
import type { Services } from '../services';
import { conflict, invalidInput } from '../services/errors';
import { formatIncidentRef } from '../services/incidents';
import type { HandlersFor } from './types';
import { requireFileOrFolder } from '../services/file-kind';

/** `INC-0007-20261123T101500Z`: sortable, and no characters any file system dislikes. */
export function exportBaseName(incidentId: number, at: number): string {
  const stamp = new Date(at).toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
  return `${formatIncidentRef(incidentId)}-${stamp}`;
}

export function exportFileName(incidentId: number, at: number, format: BagFormat): string {
  return exportBaseName(incidentId, at) + (format === 'dir' ? '' : `.${format}`);
}

/** The bag writer refuses to overwrite; say so (and about a missing folder) in the user's terms. */
async function checkExportTarget(out: string): Promise<void> {
  if (await fs.promises.lstat(out).then(() => true, () => false)) throw conflict(`${out} already exists; choose a new name`);
  const parent = path.dirname(out);
  const stat = await fs.promises.stat(parent).catch(() => undefined);
  if (!stat?.isDirectory()) throw invalidInput('out', `the folder ${parent} does not exist`);
}

export function createEvidenceHandlers(services: Services): HandlersFor<typeof evidenceChannels> {
  const { evidence, evidenceArchive: archive, events, incidents } = services;
  /** Running collections by the caller's request id, so `evidence.cancel` can reach them. */
  const running = new Map<string, AbortController>();

  const collect = async (incidentId: number, requestId: string, start: (options: CollectOptions) => Promise<CollectionResult>): Promise<CollectionResult> => {
    await evidence.ready();
    const incident = incidents.get(incidentId);
    // A closed incident's record is final (only notes may follow); custody actions still work.
    if (incident.status === 'closed') throw conflict(`${formatIncidentRef(incidentId)} is closed; evidence can no longer be added`);
    if (running.has(requestId)) throw conflict(`a collection with request id ${requestId} is already running`);
    const controller = new AbortController();
    running.set(requestId, controller);
    let last: CollectionProgress | undefined;
    const emit = (p: CollectionProgress, done: boolean) =>
      events.emit('evidence.progress', { incidentId, requestId, done, collectionId: p.collectionId, files: p.files, bytes: p.bytes, bytesPerSecond: p.bytesPerSecond, elapsedMs: p.elapsedMs, current: p.current, linesMatched: p.linesMatched, totalBytes: p.totalBytes, etaMs: p.etaMs });
    try {
      return await start({
        signal: controller.signal,
        onProgress: (p) => {
          last = p;
          emit(p, false);
        },
      });
    } finally {
      running.delete(requestId);
      if (last) emit({ ...last, current: null, etaMs: null }, true);
    }
  };

  return {
    'evidence.artifactsPage': async (input) => {
      await evidence.ready();
      incidents.get(input.incidentId);
      return services.artifactPages.page(input);
    },
    'evidence.list': async ({ incidentId }) => {
      await evidence.ready();
      incidents.get(incidentId);
      return { collections: evidence.listCollections(incidentId), artifacts: evidence.listArtifacts(incidentId) };
    },
    'evidence.estimateFiles': async ({ paths }) => evidence.estimateFiles(paths),
    'evidence.collectFiles': ({ incidentId, requestId, ...request }) => collect(incidentId, requestId, (options) => evidence.collectFiles(incidentId, request, options)),
    'evidence.collectPreset': ({ incidentId, requestId, ...request }) => collect(incidentId, requestId, (options) => evidence.collectLogPreset(incidentId, request, options)),
    'evidence.collectSnapshot': ({ incidentId, requestId, ...request }) => collect(incidentId, requestId, (options) => evidence.collectSnapshot(incidentId, request, options)),
    'evidence.collectChanges': ({ incidentId, requestId, ...request }) => collect(incidentId, requestId, (options) => evidence.collectChanges(incidentId, request, options)),
    'evidence.cancel': ({ requestId }) => {
      const controller = running.get(requestId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
    'evidence.read': async ({ artifactId, offset, length }) => {
      await evidence.ready();
      return archive.readArtifact(artifactId, { ...(offset !== undefined ? { offset } : {}), ...(length !== undefined ? { length } : {}) });
    },
    'evidence.search': async ({ artifactId, pattern, ignoreCase, level, maxMatches }) => {
      await evidence.ready();
      return archive.searchArtifact(artifactId, pattern, { ...(ignoreCase !== undefined ? { ignoreCase } : {}), ...(level !== undefined ? { level } : {}), ...(maxMatches !== undefined ? { maxMatches } : {}) });
    },
    'evidence.retract': async ({ artifactId, reason }) => {
      await evidence.ready();
      return evidence.retract(artifactId, reason);
    },
    'evidence.verifyStore': async ({ incidentId }) => {
      await evidence.ready();
      incidents.get(incidentId);
      return archive.verifyStore(incidentId);
    },
    'evidence.export': async ({ incidentId, out, format, includeRetracted }) => {
      await evidence.ready();
      incidents.get(incidentId);
      await checkExportTarget(out);
      return archive.exportBag(incidentId, { out, format, ...(includeRetracted ? { includeRetracted } : {}) }, services.identity.actor);
    },
    'evidence.defaultExportPath': async ({ incidentId, format }) => {
      incidents.get(incidentId);
      const dir = path.join(services.home, 'exports');
      await fs.promises.mkdir(dir, { recursive: true });
      return path.join(dir, exportFileName(incidentId, services.clock.now(), format));
    },
    'evidence.verifyBag': async ({ path: target }) => {
      await evidence.ready();
      // A FIFO or a device would block or never end: refused by type before anything reads it.
      requireFileOrFolder(target, 'a bag (a folder, .tar or .zip)');
      return archive.verifyBag(target);
    },
  };
}
