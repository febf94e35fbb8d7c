import type { ContentStore } from './cas';
import type { OwnerNames } from './owners';
import type { WalkScope } from './scope';
import type { ArtifactDraft } from './types';

/** What a running collection offers its collector: the store, custody and progress. */
export interface CollectionContext {
  readonly collectionId: number;
  readonly store: ContentStore;
  readonly owners: OwnerNames;
  readonly signal?: AbortSignal;
  readonly platform: NodeJS.Platform;
  /** Folders a folder/glob walk leaves out (pseudo filesystems, the profile); absent: none. */
  readonly scope?: WalkScope;
  now(): number;
  /** Records one artifact; rows and their custody entry are committed in batches. */
  add(draft: ArtifactDraft): Promise<void>;
  /** Source bytes read since the last call, and what is being worked on. */
  progress(bytes: number, current?: string): void;
  /** Lines a line filter kept since the last call (progress only; optional for collectors without filters). */
  readonly matched?: (lines: number) => void;
  /**
   * More source bytes this collection will read, once the collector knows them (a remote
   * listing's sizes): added to the total for the time left. Optional, progress only.
   */
  expect?(bytes: number): void;
  /** Files the collection recognised and deliberately left out (e.g. older than `since`). */
  skipped(reason: string): void;
}

/**
 * A readable, relative, portable name for a source path: `/var/log/syslog` →
 * `var/log/syslog`, `C:\logs\a.log` → `C/logs/a.log`. Used for listings and bag file names.
 */
export function readableName(sourcePath: string): string {
  const parts = sourcePath
    .replace(/^([A-Za-z]):/, '$1')
    .split(/[\\/]+/)
    .filter((p) => p !== '' && p !== '.' && p !== '..')
    // Control characters make names unreadable and are awkward in manifests.
    .map((p) => p.replace(/[\x00-\x1f\x7f]/g, '_'));
  return parts.join('/') || 'unnamed';
}
