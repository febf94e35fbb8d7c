import type { targetChannels } from '../../shared/channels/targets';
import type { CollectionProgress, CollectionResult, CollectOptions } from '../../shared/evidence';
import type { Services } from '../services';
import { conflict } from '../services/errors';
import { formatIncidentRef } from '../services/incidents';
import type { HandlersFor } from './types';

export function createTargetHandlers(services: Services): HandlersFor<typeof targetChannels> {
  const { targets, targetGauges, remoteEvidence, evidence, incidents, events } = services;
  const running = new Map<string, AbortController>();

  /** Like the local collections: closed incidents refuse, progress goes out as `evidence.progress`, cancel by request id. */
  const collect = async (incidentId: number, requestId: string, start: (options: CollectOptions) => Promise<CollectionResult>): Promise<CollectionResult> => {
    await evidence.ready();
    if (incidents.get(incidentId).status === 'closed') throw conflict(`${formatIncidentRef(incidentId)} is closed; evidence can no longer be added`);
    if (running.has(requestId)) throw conflict(`a collection with request id ${requestId} is already running`);
    const controller = new AbortController();
    running.set(requestId, controller);
    let last: CollectionProgress | undefined;
    const emit = (p: CollectionProgress, done: boolean) =>
      events.emit('evidence.progress', { incidentId, requestId, done, collectionId: p.collectionId, files: p.files, bytes: p.bytes, bytesPerSecond: p.bytesPerSecond, elapsedMs: p.elapsedMs, current: p.current });
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
      if (last) emit({ ...last, current: null }, true);
    }
  };

  return {
    'targets.list': () => targets.list(),
    'targets.add': ({ name }) => {
      const added = targets.add(name);
      // Connect at once (in the background): the first gauge sample, the host-key question or
      // an auth problem then come within the connect time instead of on first use.
      void targets.connect(name);
      return added;
    },
    'targets.remove': ({ name }) => targets.remove(name),
    'targets.connect': ({ name }) => targets.connect(name, { force: true }),
    'targets.hostKey': ({ name }) => targets.offerHostKey(name),
    'targets.acceptHostKey': ({ name, fingerprint }) => targets.acceptHostKey(name, fingerprint),
    'targets.ofIncident': ({ incidentId }) => {
      incidents.get(incidentId);
      return targets.incidentTargets(incidentId);
    },
    'targets.addToIncident': ({ incidentId, name }) => targets.addToIncident(incidentId, name),
    'targets.removeFromIncident': ({ incidentId, name }) => targets.removeFromIncident(incidentId, name),
    'targets.alertPins': ({ incidentId }) => {
      incidents.get(incidentId);
      return services.monitor.routes.pins(incidentId);
    },
    'targets.pinAlerts': ({ incidentId, name }) => services.monitor.routes.pin(incidentId, name),
    'targets.unpinAlerts': ({ incidentId, name }) => services.monitor.routes.unpin(incidentId, name),
    'targets.collectFiles': ({ incidentId, target, requestId, ...request }) => collect(incidentId, requestId, (options) => remoteEvidence.collectFiles(incidentId, target, request, options)),
    'targets.collectSnapshot': ({ incidentId, target, requestId }) => collect(incidentId, requestId, (options) => remoteEvidence.collectSnapshot(incidentId, target, options)),
    'targets.watchGauges': async ({ name }) => {
      const started = !targetGauges.service(name);
      const service = await targetGauges.start(name);
      if (started) service.onUpdate((update) => events.emit('targets.gauges', { name, ...services.monitor.withDisplay(update) }));
      const latest = targetGauges.latest(name);
      return latest ? { name, ...services.monitor.withDisplay(latest) } : null;
    },
    'targets.stopGauges': ({ name }) => targetGauges.stop(name),
    'targets.cancelCollect': ({ requestId }) => {
      const controller = running.get(requestId);
      controller?.abort();
      return { cancelled: controller !== undefined };
    },
  };
}
