import path from 'node:path';
import { assertNever } from '../../shared/assert';
import type { ChannelInput } from '../../shared/contract';
import type { ArtifactRecord, CollectionEstimate, CollectionResult, EvidenceProgressEvent, IntegrityFailure, LogLevel, RemoteEvidenceItem, VerificationReport } from '../../shared/evidence';
import { collectionState, collectionWarnings, LOG_LEVELS, type CollectionState } from '../../shared/evidence';
import { formatIncidentRef } from '../services/incidents';
import { parse, parseIncidentId, UsageError } from './args';
import { call, CommandFailed, type CliContext } from './commands';
import { columnWidths, tableLine } from './format';
import { parseWhen } from './report';
import { neutraliseControls } from './safe-text';

// `firebreak collect`, `firebreak export`, `firebreak verify`, `firebreak evidence` (issue 5).
// They go through the evidence channels, so validation and custody entries match the UI.

const json = (ctx: CliContext, value: unknown) => ctx.out(JSON.stringify(value, null, 2));

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
export function bytesText(n: number): string {
  let value = n;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${UNITS[unit]}`;
}

function positiveInt(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`${flag}: "${value}" is not a positive whole number`);
  return n;
}

export function artifactTable(artifacts: readonly ArtifactRecord[]): string {
  return [...artifactTableBlocks(artifacts)].join('\n');
}

const TABLE_BLOCK_ROWS = 500;
const ARTIFACT_COLUMNS = ['ID', 'STATUS', 'SIZE', 'SHA256', 'NAME'];
const artifactRow = (a: ArtifactRecord): string[] => [String(a.id), a.status, a.size === null ? '–' : bytesText(a.size), a.sha256 ?? '–', a.name];

/**
 * The artifact table (as `table`) and its notes, a few hundred lines at a time, joined by
 * newlines: a 10,000-file collection's table is megabytes of text, and built whole (with
 * its copies on the way out) it was the collecting process's peak memory (issue 13).
 */
export function* artifactTableBlocks(artifacts: readonly ArtifactRecord[]): Generator<string> {
  if (artifacts.length === 0) {
    yield 'No artifacts.';
    return;
  }
  // Widths from every row, made one at a time rather than held.
  const widths = columnWidths((function* () {
    yield ARTIFACT_COLUMNS;
    for (const a of artifacts) yield artifactRow(a);
  })());
  const line = (cells: readonly string[]): string => tableLine(cells, widths);
  for (let i = 0; i < artifacts.length; i += TABLE_BLOCK_ROWS) {
    const rows = artifacts.slice(i, i + TABLE_BLOCK_ROWS).map((a) => line(artifactRow(a)));
    yield (i === 0 ? [line(ARTIFACT_COLUMNS), ...rows] : rows).join('\n');
  }
  const noted = artifacts.filter((a) => a.detail);
  if (noted.length === 0) return;
  yield '\nNotes:';
  for (let i = 0; i < noted.length; i += TABLE_BLOCK_ROWS) yield noted.slice(i, i + TABLE_BLOCK_ROWS).map((a) => `  #${a.id} ${a.name}: ${a.detail}`).join('\n');
}

/** "This collection is large: more than 5,001 files, 2.1 GiB …" — what `--yes` would go ahead with. */
export function estimateText(e: CollectionEstimate): string {
  const more = e.moreThan ? 'more than ' : '';
  return [
    `This collection is large: ${more}${e.files.toLocaleString('en')} file${e.files === 1 ? '' : 's'}, ${more}${bytesText(e.bytes)}${e.moreThan ? ' (the quick count stopped there)' : ''}.`,
    `Above ${e.threshold.files.toLocaleString('en')} files or ${bytesText(e.threshold.bytes)} a collection needs confirmation: add --yes to collect it.`,
  ].join('\n');
}

const STATE_TEXT: Record<CollectionState, string> = {
  running: 'running',
  complete: 'complete',
  'complete-with-warnings': 'complete with warnings',
  cancelled: 'cancelled',
  failed: 'failed',
  incomplete: 'incomplete',
};

function collectionSummary(result: CollectionResult): string {
  const c = result.collection;
  const warnings = collectionWarnings(result.artifacts);
  const state = collectionState(c.status, warnings.length);
  return [
    `${formatIncidentRef(c.incidentId)} collection #${c.id} (${c.collector}) ${STATE_TEXT[state]}: ${c.artifactCount} artifact${c.artifactCount === 1 ? '' : 's'}, ${bytesText(c.bytes)} stored${warnings.length ? `, ${warnings.length} not stored whole` : ''}`,
    ...(c.error ? [`  ${c.error}`] : []),
    ...(warnings.length ? ['Warnings:', ...warnings.map((a) => `  ! #${a.id} ${a.status} ${a.name}${a.detail ? ` — ${a.detail}` : ''}`)] : []),
  ].join('\n');
}

/** "2 files, 1.2 GiB of 2.0 GiB, 850.0 MiB/s, 31,003 lines matched, 1 s left" (the parts that are known). */
export function progressText(p: EvidenceProgressEvent): string {
  const parts = [
    `${p.files} files`,
    `${bytesText(p.bytes)}${p.totalBytes ? ` of ${bytesText(p.totalBytes)}` : ''}`,
    `${bytesText(p.bytesPerSecond)}/s`,
    ...(p.linesMatched ? [`${p.linesMatched.toLocaleString('en')} lines matched`] : []),
    ...(p.etaMs !== null && p.etaMs !== undefined ? [`${durationText(p.etaMs)} left`] : []),
  ];
  return parts.join(', ');
}

function durationText(ms: number): string {
  const s = Math.ceil(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m} min ${s % 60} s` : `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * Runs one collection with progress on stderr (after the first second, so quick ones stay
 * quiet) and Ctrl+C mapped to `evidence.cancel`: what was committed stays, marked cancelled.
 */
async function runCollection<
  K extends 'evidence.collectFiles' | 'evidence.collectPreset' | 'evidence.collectSnapshot' | 'evidence.collectChanges' | 'targets.collectFiles' | 'targets.collectSnapshot',
>(
  ctx: CliContext,
  channel: K,
  input: Omit<ChannelInput<K>, 'requestId'>,
): Promise<CollectionResult> {
  const requestId = `cli-${process.pid}-${Date.now().toString(36)}`;
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let lastPrint = 0;
  let printed = false;
  const stopProgress = ctx.services.events.on('evidence.progress', (p: EvidenceProgressEvent) => {
    if (p.requestId !== requestId) return;
    const now = Date.now();
    if (p.done || now - started < 1000 || now - lastPrint < (tty ? 200 : 5000)) return;
    lastPrint = now;
    printed = true;
    const line = neutraliseControls(`${progressText(p)}${p.current ? `  ${p.current}` : ''}`);
    process.stderr.write(tty ? `\r\x1b[K${line.slice(0, (process.stderr.columns ?? 100) - 1)}` : `${line}\n`);
  });
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    process.stderr.write(`${tty && printed ? '\n' : ''}firebreak: cancelling (Ctrl+C again to quit at once)…\n`);
    void (channel.startsWith('targets.') ? ctx.dispatch('targets.cancelCollect', { requestId }) : ctx.dispatch('evidence.cancel', { requestId }));
  };
  process.on('SIGINT', onSigint);
  try {
    return (await call(ctx, channel, { ...input, requestId } as ChannelInput<K>)) as CollectionResult;
  } catch (error) {
    // The service asks the UI's question; on the command line the answer is a flag.
    if (error instanceof CommandFailed && error.message.startsWith('confirmLarge:')) throw new CommandFailed(`${error.message} with --yes`);
    throw error;
  } finally {
    process.off('SIGINT', onSigint);
    stopProgress();
    if (tty && printed) process.stderr.write('\r\x1b[K');
  }
}

function parseLevel(value: string | undefined): LogLevel | undefined {
  if (value === undefined) return undefined;
  const level = LOG_LEVELS.find((l) => l === value.toLowerCase());
  if (!level) throw new UsageError(`--level: ${JSON.stringify(value)} is not one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

export async function collectCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, {
    files: { type: 'string', multiple: true },
    snapshot: { type: 'boolean' },
    changes: { type: 'string', multiple: true },
    preset: { type: 'boolean' },
    tail: { type: 'string' },
    since: { type: 'string' },
    until: { type: 'string' },
    grep: { type: 'string' },
    'ignore-case': { type: 'boolean', short: 'i' },
    level: { type: 'string' },
    'max-bytes': { type: 'string' },
    target: { type: 'string' },
    yes: { type: 'boolean', short: 'y' },
    json: { type: 'boolean' },
  });
  const incidentId = parseIncidentId(positionals[0]);
  // An unquoted glob reaches us expanded (`--files a.log b.log`): the words after the first
  // path are more paths, for --files and --changes alike; anywhere else they are a mistake.
  const extra = positionals.slice(1);
  if (extra.length && !values.files && !values.changes) throw new UsageError(`unexpected argument ${JSON.stringify(extra[0])}`);
  if (extra.length && values.files && values.changes) throw new UsageError(`${JSON.stringify(extra[0])}: say which it belongs to, --files or --changes (repeat the flag before each path)`);
  if (values.files) values.files = [...values.files, ...extra];
  if (values.changes) values.changes = [...values.changes, ...extra];
  const modes = [values.files && '--files', values.snapshot && '--snapshot', values.changes && '--changes', values.preset && '--preset'].filter(Boolean);
  if (modes.length !== 1) throw new UsageError(modes.length ? `choose one of ${modes.join(', ')}` : 'say what to collect: --files GLOB, --preset, --snapshot or --changes DIR --since T');
  const now = ctx.services.clock.now();
  const since = parseWhen(values.since, '--since', now);
  const until = parseWhen(values.until, '--until', now);
  const tail = positiveInt(values.tail, '--tail');
  const maxBytes = positiveInt(values['max-bytes'], '--max-bytes');
  const level = parseLevel(values.level);
  const filters = {
    ...(tail !== undefined && { tail }),
    ...(since !== undefined && { since }),
    ...(values.grep !== undefined && { grep: values.grep }),
    ...(values['ignore-case'] && { grepIgnoreCase: true }),
    ...(level !== undefined && { level }),
    ...(until !== undefined && !values.changes && { until }),
    ...(maxBytes !== undefined && { maxBytes }),
  };
  // Globs are resolved against the current folder here, since the service sees absolute paths only.
  const abs = (p: string) => path.resolve(p);
  let result: CollectionResult;
  // On a remote target (issue 13) paths are the server's: absolute, never resolved here.
  if (values.target !== undefined && (values.preset || values.changes)) throw new UsageError('--target works with --files or --snapshot');
  if (values.target !== undefined && values.files) result = await runCollection(ctx, 'targets.collectFiles', { incidentId, target: values.target, paths: values.files, ...filters });
  else if (values.target !== undefined) result = await runCollection(ctx, 'targets.collectSnapshot', { incidentId, target: values.target });
  else if (values.files) {
    const paths = values.files.map(abs);
    if (!values.yes) {
      // Collecting `/` copied 1.7 GiB without a word (issue 15): a large one is stated, not started.
      const estimate = await call(ctx, 'evidence.estimateFiles', { paths });
      if (estimate.large) {
        if (values.json) json(ctx, { estimate });
        else ctx.out(estimateText(estimate));
        throw new CommandFailed('this collection is large: add --yes to collect it');
      }
    }
    result = await runCollection(ctx, 'evidence.collectFiles', { incidentId, paths, ...filters, ...(values.yes && { confirmLarge: true }) });
  }
  else if (values.preset) result = await runCollection(ctx, 'evidence.collectPreset', { incidentId, ...filters });
  else if (values.snapshot) result = await runCollection(ctx, 'evidence.collectSnapshot', { incidentId });
  else {
    if (since === undefined) throw new UsageError('--changes needs --since T (ISO time, or 7d / 12h / 30m back from now)');
    result = await runCollection(ctx, 'evidence.collectChanges', { incidentId, roots: values.changes!.map(abs), since, ...(until !== undefined && { until }) });
  }
  if (values.json) json(ctx, result);
  else {
    for (const block of artifactTableBlocks(result.artifacts)) ctx.out(block);
    ctx.out(`\n${collectionSummary(result)}`);
  }
  const state = collectionState(result.collection.status, collectionWarnings(result.artifacts).length);
  switch (state) {
    case 'complete':
      return 0;
    // A file that was skipped, vanished, unreadable or cut short is evidence missing: say so
    // with the exit code, not only in the table.
    case 'complete-with-warnings':
      return 1;
    case 'cancelled':
      return 130;
    case 'failed':
    case 'incomplete':
    case 'running':
      return 1;
    default:
      return assertNever(state, 'collection state');
  }
}

export async function evidenceCommand(ctx: CliContext, args: string[]): Promise<number> {
  if (args[0] === 'retract') return retractCommand(ctx, args.slice(1));
  const { values, positionals } = parse(args, { json: { type: 'boolean' }, retracted: { type: 'boolean' } });
  const listing = await call(ctx, 'evidence.list', { incidentId: parseIncidentId(positionals[0]) });
  if (values.json) json(ctx, listing);
  else {
    // Retracted evidence is hidden unless asked for, like the Evidence tab's "show retracted".
    const hidden = values.retracted ? 0 : listing.artifacts.filter((a) => a.retracted).length;
    const shown = values.retracted ? listing.artifacts : listing.artifacts.filter((a) => !a.retracted);
    const retractions = shown.filter((a) => a.retracted).map((a) => `  #${a.id} ${a.name}: RETRACTED ${a.retracted!.at} by ${a.retracted!.actor} — ${a.retracted!.reason}`);
    ctx.out(
      [
        artifactTable(shown),
        ...(retractions.length ? ['', 'Retracted (kept in the store and on the timeline; left out of reports and exports):', ...retractions] : []),
        ...(hidden ? ['', `${hidden} retracted artifact${hidden === 1 ? '' : 's'} not shown (--retracted shows them)`] : []),
      ].join('\n'),
    );
  }
  return 0;
}

/** `firebreak evidence retract ID --reason TEXT`: ID is the artifact's (the first column of `evidence INC`). */
async function retractCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { reason: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length !== 1) throw new UsageError('evidence retract ARTIFACT-ID --reason TEXT (the ID column of `firebreak evidence INC`)');
  const artifactId = positiveInt(positionals[0], 'ARTIFACT-ID')!;
  if (values.reason === undefined || values.reason.trim() === '') throw new UsageError('--reason is required: say why the artifact is retracted');
  const artifact = await call(ctx, 'evidence.retract', { artifactId, reason: values.reason });
  if (values.json) json(ctx, artifact);
  else ctx.out(`Retracted artifact #${artifact.id} ${artifact.name} of ${formatIncidentRef(artifact.incidentId)}: ${artifact.retracted?.reason ?? ''}\n  It stays in the evidence store and on the timeline; reports and exports leave it out (export --include-retracted keeps it, marked).`);
  return 0;
}

export async function exportCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { out: { type: 'string', short: 'o' }, tar: { type: 'boolean' }, zip: { type: 'boolean' }, 'include-retracted': { type: 'boolean' }, json: { type: 'boolean' } });
  const incidentId = parseIncidentId(positionals[0]);
  if (values.tar && values.zip) throw new UsageError('choose one of --tar, --zip');
  const ext = values.out ? path.extname(values.out).toLowerCase() : '';
  const format = values.tar || ext === '.tar' ? 'tar' : values.zip || ext === '.zip' ? 'zip' : 'dir';
  const out = values.out !== undefined ? path.resolve(values.out) : await call(ctx, 'evidence.defaultExportPath', { incidentId, format });
  const result = await call(ctx, 'evidence.export', { incidentId, out, format, ...(values['include-retracted'] && { includeRetracted: true }) });
  if (values.json) json(ctx, result);
  else {
    ctx.out(
      [
        `Exported ${formatIncidentRef(incidentId)} as a BagIt bag (${result.format}): ${result.path}`,
        `  ${result.files} payload files, ${bytesText(result.bytes)} (Payload-Oxum ${result.payloadOxum})`,
        `  tagmanifest-sha256.txt sha256 ${result.tagManifestSha256}`,
        ...(result.timelineHead ? [`  timeline head: entry ${result.timelineHead.seq}, sha256 ${result.timelineHead.hash}`] : []),
        ...result.warnings.map((w) => `  WARNING ${w.file}: ${w.message}`),
      ].join('\n'),
    );
  }
  return result.warnings.length ? 1 : 0;
}

function failureLine(f: IntegrityFailure): string {
  const values = f.expected !== undefined ? ` (${f.algorithm ?? 'expected'} ${f.expected}, got ${f.actual ?? '?'})` : '';
  return `FAIL ${f.kind.padEnd(8)} ${f.file}: ${f.message}${values}`;
}

export function verificationReportText(report: VerificationReport & { readonly remote?: readonly RemoteEvidenceItem[] }): string {
  const remote = report.remote ?? [];
  const notHere = remote.length ? `; ${remote.length} remote item${remote.length === 1 ? '' : 's'} not here` : '';
  const head = report.ok
    ? `OK ${report.target}: ${report.filesChecked} files, ${bytesText(report.bytesChecked)} verified${notHere}`
    : `MISMATCH ${report.target}: ${report.failures.length} failure${report.failures.length === 1 ? '' : 's'} (${report.filesChecked} files checked)${notHere}`;
  // Team mode: evidence another laptop collected is recorded in the bag but held there.
  const remoteLines = remote.map(
    (r) => `  not here: ${neutraliseControls(r.name)} sha256 ${r.sha256 ?? '(none)'}${r.size !== null ? ` (${bytesText(r.size)})` : ''} — on ${neutraliseControls(r.deviceName)} (device ${neutraliseControls(r.deviceId)}), collected by ${neutraliseControls(r.collectedBy)}`,
  );
  return [head, ...report.failures.map(failureLine), ...remoteLines].join('\n');
}

export async function verifyCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { store: { type: 'string' }, json: { type: 'boolean' } });
  let report: VerificationReport;
  if (values.store !== undefined) {
    if (positionals.length) throw new UsageError('give either a bag PATH or --store ID');
    report = await call(ctx, 'evidence.verifyStore', { incidentId: parseIncidentId(values.store) });
  } else {
    if (positionals.length !== 1) throw new UsageError('verify PATH (a bag folder, .tar or .zip) or verify --store ID');
    report = await call(ctx, 'evidence.verifyBag', { path: path.resolve(positionals[0]!) });
  }
  if (values.json) json(ctx, report);
  else ctx.out(verificationReportText(report));
  if (!report.ok) throw new CommandFailed(`verification failed: ${report.failures.length} mismatch${report.failures.length === 1 ? '' : 'es'}`);
  return 0;
}
