// The evidence service's public surface.
export { evidenceMigration } from './migration';
export { EvidenceService, type EvidenceServiceDeps, type PresetRequest, type TranscriptRequest, type RecoveryReport } from './service';
export { EvidenceArchive, type ArtifactChunk, type ReadArtifactRequest, type SearchMatch } from './archive';
export { verifyBag, type BagVerificationReport } from './bag-verify';
export { writeBag, type BagExportOptions, type BagExportResult, type BagFormat } from './bagit';
export { ContentStore } from './cas';
export { logPreset } from './presets';
export { defaultSnapshotSource, type SnapshotRequest, type SnapshotSource } from './snapshot';
export type { FileCollectRequest } from './files';
export type { ChangesRequest, ChangeEntry } from './changes';
export type * from './types';
