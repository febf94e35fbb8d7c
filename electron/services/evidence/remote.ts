import { invalidInput, ServiceError } from '../errors';
import type { TargetService } from '../targets/service';
import { collectRemoteFiles, COPY_COMMAND_SUMMARY, listingScript, type RemoteFileRequest } from './remote-files';
import { BATCH_COMMAND_SUMMARY } from './remote-batch';
import { GREP_COMMAND_SUMMARY } from './remote-grep';
import { collectRemoteSnapshot, REMOTE_SNAPSHOT, sectionScript } from './remote-snapshot';
import type { EvidenceService } from './service';
import { toFilters } from './files';
import type { CollectionResult, CollectOptions } from './types';

/**
 * Evidence from a remote target: the connection is brought up first (a host-key or
 * authentication problem is reported before any collection row exists), then the
 * collection runs through the evidence service like a local one. Its params — written in
 * every custody entry — name the target, the resolved host, the remote user, the verified
 * host key fingerprint and the remote commands; the artifacts carry the target as host.
 */
export class RemoteEvidence {
  constructor(
    private readonly evidence: EvidenceService,
    private readonly targets: TargetService,
  ) {}

  private async connected(name: string, signal?: AbortSignal) {
    const target = this.targets.ssh(name);
    try {
      await target.connect({ force: true, ...(signal ? { signal } : {}) });
    } catch (error) {
      throw new ServiceError('conflict', (error as Error).message);
    }
    const origin = await target.origin();
    return { target, origin };
  }

  async collectFiles(incidentId: number, targetName: string, request: RemoteFileRequest, options: CollectOptions = {}): Promise<CollectionResult> {
    if (request.paths.length === 0) throw invalidInput('paths', 'give at least one path or pattern');
    for (const p of request.paths) if (!p.startsWith('/')) throw invalidInput('paths', `${p}: must be an absolute path on the target`);
    try {
      toFilters(request);
    } catch (error) {
      const message = (error as Error).message;
      throw invalidInput(error instanceof SyntaxError ? 'grep' : message.startsWith('until:') ? 'until' : 'since', message);
    }
    const { target, origin } = await this.connected(targetName, options.signal);
    const params = { ...request, target: origin.target, hostname: origin.hostname, remoteUser: origin.user, hostKeyFingerprint: origin.hostKeyFingerprint, remoteCommand: { listing: listingScript(request.paths), batch: BATCH_COMMAND_SUMMARY, perFile: COPY_COMMAND_SUMMARY, ...(request.grep && request.pushdown !== false ? { perFileGrep: GREP_COMMAND_SUMMARY } : {}) } };
    return this.evidence.collectWith(incidentId, 'remote-files', params, (ctx) => collectRemoteFiles(ctx, target, request), options, { host: origin.target, osUser: origin.user });
  }

  async collectSnapshot(incidentId: number, targetName: string, options: CollectOptions = {}): Promise<CollectionResult> {
    const { target, origin } = await this.connected(targetName, options.signal);
    const params = { target: origin.target, hostname: origin.hostname, remoteUser: origin.user, hostKeyFingerprint: origin.hostKeyFingerprint, remoteCommand: Object.fromEntries(REMOTE_SNAPSHOT.map((s) => [s.name, sectionScript(s)])) };
    return this.evidence.collectWith(incidentId, 'remote-snapshot', params, (ctx) => collectRemoteSnapshot(ctx, target), options, { host: origin.target, osUser: origin.user });
  }
}
