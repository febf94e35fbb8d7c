import { z } from 'zod';
import { userPatternProblem } from '../user-pattern';
import { channel, event } from '../channel-def';
import type {
  ArtifactChunk,
  ArtifactRecord,
  BagExportResult,
  BagVerificationReport,
  CollectionEstimate,
  CollectionResult,
  EvidenceListing,
  EvidenceProgressEvent,
  SearchResult,
  VerificationReport,
} from '../evidence';
import { BAG_FORMATS, LOG_LEVELS } from '../evidence';
import { ARTIFACT_PAGE_MAX, type ArtifactFilter, type ArtifactPage } from '../artifact-page';
import { incidentIdSchema, isoTimeSchema } from '../schemas';

// Evidence collection and preservation (issue 5). Paths arriving here are checked for
// shape only (absolute, no NUL); whatever they point at — symlinks out of the roots,
// FIFOs, unreadable or growing files — is the collector's job to handle safely.

const isAbsolute = (p: string) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\');

/** An absolute path or glob on this machine (POSIX or Windows form). */
export const evidencePathSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(4096)
  .refine((p) => !p.includes('\0'), { error: 'must not contain a NUL character' })
  .refine(isAbsolute, { error: 'must be an absolute path' });

/** Chosen by the caller so it can cancel, and match progress events, before the call returns. */
export const requestIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'must be 1–64 letters, digits, dash or underscore' });

// RE2 syntax (shared/user-pattern.ts): the message says what is wrong or unsupported.
const grepSchema = z
  .string()
  .min(1)
  .max(1000)
  .superRefine((re, ctx) => {
    const problem = userPatternProblem(re);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

const filterFields = {
  tail: z.number().int().positive().max(10_000_000).optional(),
  since: isoTimeSchema.optional(),
  /** The window's end: log lines newer than this are dropped. */
  until: isoTimeSchema.optional(),
  grep: grepSchema.optional(),
  grepIgnoreCase: z.boolean().optional(),
  /** That level and more severe, on JSON (`level`) and plain (ERROR/WARN/INFO/DEBUG) lines. */
  level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
  /** Most bytes stored per artifact. */
  maxBytes: z.number().int().positive().max(2 ** 50).optional(),
};

export const collectFilesSchema = z.strictObject({
  incidentId: incidentIdSchema,
  paths: z.array(evidencePathSchema).min(1, { error: 'name at least one path or glob' }).max(100),
  ...filterFields,
  /** Above 5,000 files or 500 MB (a quick estimate) a collection is refused unless confirmed. */
  confirmLarge: z.boolean().optional(),
  requestId: requestIdSchema,
});

export const collectPresetSchema = z.strictObject({
  incidentId: incidentIdSchema,
  ...filterFields,
  /** Application logs to add to the platform's usual locations. */
  extraPaths: z.array(evidencePathSchema).max(100).optional(),
  includeCommands: z.boolean().optional(),
  requestId: requestIdSchema,
});

export const collectSnapshotSchema = z.strictObject({
  incidentId: incidentIdSchema,
  sections: z.array(z.string().regex(/^[A-Za-z]{1,40}$/)).max(40).optional(),
  includeCommands: z.boolean().optional(),
  requestId: requestIdSchema,
});

export const collectChangesSchema = z.strictObject({
  incidentId: incidentIdSchema,
  roots: z.array(evidencePathSchema).min(1, { error: 'name at least one folder' }).max(50),
  since: isoTimeSchema,
  until: isoTimeSchema.optional(),
  maxEntries: z.number().int().positive().max(1_000_000).optional(),
  requestId: requestIdSchema,
});

const artifactIdSchema = z.number({ error: 'must be an artifact id' }).int().positive();

const artifactFilterSchema = z.strictObject({
  text: z.string().max(200, { error: 'must be at most 200 characters' }).optional(),
  status: z.string().max(40, { error: 'must be at most 40 characters' }).optional(),
  collector: z.string().max(100, { error: 'must be at most 100 characters' }).optional(),
  includeRetracted: z.boolean().optional(),
}) satisfies z.ZodType<ArtifactFilter>;

/** One page of an incident's artifacts, newest first, from an id cursor (see shared/artifact-page.ts). */
export const artifactsPageSchema = z.strictObject({
  incidentId: incidentIdSchema,
  filter: artifactFilterSchema.optional(),
  beforeId: z.number().int().positive().optional(),
  skip: z.number().int().nonnegative().optional(),
  limit: z.number().int().min(1).max(ARTIFACT_PAGE_MAX, { error: `must be at most ${ARTIFACT_PAGE_MAX}` }),
  /** Also the statuses and collectors present, for the filter box. */
  facets: z.boolean().optional(),
});

export const evidenceChannels = {
  'evidence.list': channel<EvidenceListing>()(z.strictObject({ incidentId: incidentIdSchema })),
  /** The Evidence tab's read: a page, not all 10,000. */
  'evidence.artifactsPage': channel<ArtifactPage>()(artifactsPageSchema),
  /** How many files and bytes `collectFiles` would take (a capped count), asked before a large one. */
  'evidence.estimateFiles': channel<CollectionEstimate>()(
    z.strictObject({ paths: z.array(evidencePathSchema).min(1, { error: 'name at least one path or glob' }).max(100) }),
  ),
  'evidence.collectFiles': channel<CollectionResult>()(collectFilesSchema),
  /** The platform's usual system and application logs (+ journalctl / log show / wevtutil). */
  'evidence.collectPreset': channel<CollectionResult>()(collectPresetSchema),
  'evidence.collectSnapshot': channel<CollectionResult>()(collectSnapshotSchema),
  'evidence.collectChanges': channel<CollectionResult>()(collectChangesSchema),
  /** Stops the collection started with `requestId`; what was committed stays, marked cancelled. */
  'evidence.cancel': channel<{ readonly cancelled: boolean }>()(z.strictObject({ requestId: requestIdSchema })),
  /** One page of a stored artifact; recorded as `evidence.viewed`. */
  'evidence.read': channel<ArtifactChunk>()(
    z.strictObject({
      artifactId: artifactIdSchema,
      offset: z.number().int().nonnegative().optional(),
      length: z.number().int().positive().max(8 << 20).optional(),
    }),
  ),
  'evidence.search': channel<SearchResult>()(
    z.strictObject({
      artifactId: artifactIdSchema,
      pattern: grepSchema,
      ignoreCase: z.boolean().optional(),
      /** Only lines of this level and more severe (as collect's level; lines without one go with the line above). */
      level: z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(', ')}` }).optional(),
      maxMatches: z.number().int().positive().max(10_000).optional(),
    }),
  ),
  /** Takes mistaken evidence back, never deleting it: kept in the store and custody chain, left out of reports and default exports. */
  'evidence.retract': channel<ArtifactRecord>()(
    z.strictObject({
      artifactId: artifactIdSchema,
      reason: z.string({ error: 'say why the artifact is retracted' }).trim().min(1, { error: 'say why the artifact is retracted' }).max(2000, { error: 'must be at most 2,000 characters' }),
    }),
  ),
  /** Re-hashes the incident's stored evidence against its rows and custody entries. */
  'evidence.verifyStore': channel<VerificationReport>()(z.strictObject({ incidentId: incidentIdSchema })),
  'evidence.export': channel<BagExportResult>()(
    z.strictObject({
      incidentId: incidentIdSchema,
      out: evidencePathSchema,
      format: z.enum(BAG_FORMATS).default('dir'),
      /** Also the payload of retracted artifacts, under data/evidence/retracted/ (left out by default). */
      includeRetracted: z.boolean().optional(),
    }),
  ),
  /** `<home>/exports/INC-xxxx-<timestamp>[.tar|.zip]`, its folder created: the export form's default. */
  'evidence.defaultExportPath': channel<string>()(z.strictObject({ incidentId: incidentIdSchema, format: z.enum(BAG_FORMATS).default('dir') })),
  'evidence.verifyBag': channel<BagVerificationReport>()(z.strictObject({ path: evidencePathSchema })),
} as const;

export const evidenceEvents = {
  'evidence.progress': event<EvidenceProgressEvent>(),
} as const;
