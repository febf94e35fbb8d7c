import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import type { renderReportSchema, saveReportSchema, timelineExportFilterSchema } from '../../../shared/channels/reports';
import type { MetricsSummary, RenderedReport, ReportFormat, ReportTemplateInfo, SavedReport, SaveFormat, TimelineExport } from '../../../shared/reports';
import { assertNever } from '../../../shared/assert';
import type { ChainHead } from '../../../shared/domain';
import { DateFormatter } from '../../../shared/datetime';
import type { Clock } from '../clock';
import { DATABASE_FILE, type Db } from '../db/open';
import { invalidInput } from '../errors';
import { formatIncidentRef, type IncidentService } from '../incidents';
import type { TimelineService } from '../timeline';
import { COMMUNICATION_KINDS, CommunicationsCollector } from './communications';
import { exportTimeline, queryTimeline } from './export';
import { gaugeChartSvg, readGaugeHistory, readRunbookVariables } from './gauges';
import { htmlDocument } from './html';
import { EN_REPORT_DICTIONARY, type ReportDictionary } from './labels';
import { JA_REPORT_DICTIONARY } from './labels-ja';
import { summarize } from './metrics';
import { buildReportView } from './model';
import { SERVICE_SECTION_KINDS, serviceSections } from './service-sections';
import { TimelineFileWriter, timelineFileName } from './keep-ends';
import { ChromiumPdfRenderer, type PdfRenderer } from './pdf';
import { REDACTED, compileUserPatterns, createRedactor } from './redact';
import { ROLLBACK_RUNBOOK_ID, RunbookRunCollector, readRunbookTexts } from './runbook-runs';
import { TemplateStore, findBuiltInTemplatesDir, renderTemplate } from './templates';

export type { PdfRenderer } from './pdf';
export { ChromiumPdfRenderer } from './pdf';

export interface ReportServiceDeps {
  readonly db: Db;
  readonly timeline: TimelineService;
  readonly incidents: IncidentService;
  readonly clock: Clock;
  /** The profile folder: user templates in <home>/templates, default saves in <home>/reports. */
  readonly home: string;
  /** Electron supplies printToPDF; elsewhere the installed Chromium. */
  readonly pdf?: PdfRenderer;
  readonly builtInTemplatesDir?: string;
  readonly dictionary?: ReportDictionary;
  /** The zone reports print their times in (IANA name); the machine's when absent. */
  readonly timeZone?: string;
}

interface Rendered {
  readonly markdown: string;
  readonly charts: readonly string[];
  readonly title: string;
  readonly redaction: RenderedReport['redaction'];
  readonly language: 'en' | 'ja';
}

// The channels default language to 'en'; direct callers (tests, benches) may leave it out.
type Optional<T, K extends keyof T> = Omit<T, K> & Partial<Pick<T, K>>;
export type RenderReportRequest = Optional<z.output<typeof renderReportSchema>, 'language'>;
export type SaveReportRequest = Optional<z.output<typeof saveReportSchema>, 'language'>;
export interface TimelineExportRequest {
  readonly incidentId?: number | undefined;
  readonly format: 'csv' | 'json';
  readonly filter?: z.output<typeof timelineExportFilterSchema> | undefined;
}
type RenderRequest = Pick<RenderReportRequest, 'incidentId' | 'template' | 'redact' | 'patterns' | 'language'>;

/**
 * Reports, metrics and timeline export, all built from the incident row and its timeline
 * (the interface every feature writes to), plus gauge history when that table exists.
 * Redaction works on the report's copies of the record; nothing stored is ever changed.
 */
export class ReportService {
  private readonly store: TemplateStore;
  private readonly pdf: PdfRenderer;
  private readonly dict: ReportDictionary;
  private readonly dates: DateFormatter;

  constructor(private readonly deps: ReportServiceDeps) {
    this.dates = new DateFormatter({ ...(deps.timeZone ? { timeZone: deps.timeZone } : {}), now: () => deps.clock.now() });
    this.store = new TemplateStore(deps.builtInTemplatesDir ?? findBuiltInTemplatesDir(), path.join(deps.home, 'templates'));
    this.pdf = deps.pdf ?? new ChromiumPdfRenderer();
    this.dict = deps.dictionary ?? EN_REPORT_DICTIONARY;
  }

  templates(): ReportTemplateInfo[] {
    return this.store.list();
  }

  render(request: RenderReportRequest): RenderedReport {
    const rendered = this.renderMarkdown(request);
    const text = this.toFormat(rendered, request.format);
    return {
      incidentId: request.incidentId,
      template: request.template,
      format: request.format,
      text,
      redaction: rendered.redaction,
      fileName: fileName(request.incidentId, request.template, request.format),
    };
  }

  async save(request: SaveReportRequest): Promise<SavedReport> {
    const target = path.resolve(request.path);
    const dir = path.dirname(target);
    if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw invalidInput('path', `the folder ${dir} does not exist`);
    if (fs.existsSync(target) && fs.statSync(target).isDirectory()) throw invalidInput('path', `${target} is a folder; give a file name`);
    // A report must never replace the record it was made from.
    const db = path.join(path.resolve(this.deps.home), DATABASE_FILE);
    if ([db, `${db}-wal`, `${db}-shm`, `${db}-journal`].includes(target)) throw invalidInput('path', `${target} is Firebreak's database; choose another file`);
    // The full timeline goes beside the report (the report prints its sha256 where it left
    // entries out): its lines are written as the report hashes them, one pass for both.
    const timelineFile = new TimelineFileWriter(path.join(dir, timelineFileName(formatIncidentRef(request.incidentId))));
    let bytes: Awaited<ReturnType<ReportService['bytes']>>;
    try {
      bytes = await this.bytes(request, timelineFile.write);
    } catch (error) {
      timelineFile.discard();
      throw error;
    }
    // Written beside the target and renamed, so a crash never leaves half a report.
    const temp = path.join(dir, `.${path.basename(target)}.${process.pid}.tmp`);
    try {
      fs.writeFileSync(temp, bytes.data);
      fs.renameSync(temp, target);
    } catch (error) {
      timelineFile.discard();
      throw error;
    } finally {
      fs.rmSync(temp, { force: true });
    }
    timelineFile.commit();
    return { path: target, sha256: createHash('sha256').update(bytes.data).digest('hex'), bytes: bytes.data.length, format: request.format, redaction: bytes.redaction };
  }

  /** `<home>/reports/INC-0007-postmortem.pdf`, creating the folder so the default always works. */
  defaultPath(incidentId: number, template: string, format: SaveFormat): string {
    const dir = path.join(this.deps.home, 'reports');
    fs.mkdirSync(dir, { recursive: true });
    return path.join(dir, fileName(incidentId, template, format));
  }

  metrics(period: { since?: string | undefined; until?: string | undefined } = {}): MetricsSummary {
    const since = period.since ? Date.parse(period.since) : -Infinity;
    const until = period.until ? Date.parse(period.until) : Infinity;
    if (since > until) throw invalidInput('since', 'must not be after until');
    const incidents = this.deps.incidents.list().filter((i) => {
      const at = Date.parse(i.detectedAt);
      return at >= since && at <= until;
    });
    const ids = new Set(incidents.map((i) => i.id));
    const runs = new RunbookRunCollector();
    const rows = this.deps.db
      .prepare<[string], { id: number; incident_id: number; seq: number; at: string; kind: string; data: string; corrects: number | null }>(
        "SELECT id, incident_id, seq, at, kind, data, corrects FROM timeline WHERE kind LIKE 'runbook.%' AND json_extract(data, '$.runbookId') = ? ORDER BY incident_id, seq",
      )
      .iterate(ROLLBACK_RUNBOOK_ID);
    for (const r of rows) {
      if (!ids.has(r.incident_id)) continue;
      runs.add({ id: r.id, incidentId: r.incident_id, seq: r.seq, at: r.at, kind: r.kind, data: JSON.parse(r.data) as Record<string, unknown>, corrects: r.corrects, actor: '', host: '', prevHash: '', hash: '' });
    }
    // Escalations and updates, read in chain order so acknowledgements find their escalation.
    const comms = new Map<number, CommunicationsCollector>();
    const commRows = this.deps.db
      .prepare<string[], { id: number; incident_id: number; at: string; kind: string; data: string }>(
        `SELECT id, incident_id, at, kind, data FROM timeline WHERE kind IN (${COMMUNICATION_KINDS.map(() => '?').join(', ')}) ORDER BY incident_id, seq`,
      )
      .iterate(...COMMUNICATION_KINDS);
    for (const r of commRows) {
      if (!ids.has(r.incident_id)) continue;
      let c = comms.get(r.incident_id);
      if (!c) comms.set(r.incident_id, (c = new CommunicationsCollector()));
      c.add({ id: r.id, kind: r.kind, at: r.at, data: JSON.parse(r.data) as Record<string, unknown> });
    }
    return summarize(incidents, runs.list(), { since: period.since ?? null, until: period.until ?? null }, this.deps.clock.now(), comms);
  }

  exportTimeline(request: TimelineExportRequest): TimelineExport {
    if (request.incidentId !== undefined) this.deps.incidents.get(request.incidentId);
    const filter = request.filter ?? {};
    return exportTimeline(queryTimeline(this.deps.db, request.incidentId, filter), request.format, {
      ...(request.incidentId !== undefined ? { incidentId: request.incidentId } : {}),
      filter,
      exportedAt: new Date(this.deps.clock.now()).toISOString(),
    });
  }

  private renderMarkdown(request: RenderRequest, timelineSink?: (line: string) => void): Rendered {
    const language = request.language ?? 'en';
    const template = this.store.load(request.template, language);
    const dict = language === 'ja' ? JA_REPORT_DICTIONARY : this.dict;
    const incident = this.deps.incidents.get(request.incidentId);
    const redactor = createRedactor(request.redact, compileUserPatterns(request.patterns ?? []));
    const gauges = readGaugeHistory(this.deps.db, incident.id);
    // Read once: every row is parsed for the report and checked against the chain in the same pass.
    const timeline = this.deps.timeline.readVerified(incident.id);
    const view = {
      ...buildReportView({
        incident,
        entries: timeline.entries,
        chain: () => timeline.verification(),
        gauges,
        variables: readRunbookVariables(this.deps.db, incident.id),
        // Steps are quoted in the report's language when the run has it.
        runbookTexts: readRunbookTexts(this.deps.db, incident.id, language),
        nowMs: this.deps.clock.now(),
        redactor,
        dict,
        dates: this.dates,
        ...(timelineSink ? { timelineSink } : {}),
      }),
      // Issue 21: service indicators around the window and the realised risks (templates print them).
      ...serviceSections(this.deps.home, incident, this.deps.timeline.iterateKinds(incident.id, SERVICE_SECTION_KINDS), this.deps.clock.now(), language, (iso) => this.dates.dateTime(iso)),
    };
    const body = renderTemplate(template.text, view).replace(/\n{3,}/g, '\n\n').trim();
    // The view holds more than a template prints, so the count is of what this report shows.
    const viewSummary = redactor.summary();
    const redaction = { ...viewSummary, matches: viewSummary.applied ? countOf(body, REDACTED) - countOf(template.text, REDACTED) : 0 };
    // After the summary: the title is already counted where the body printed it.
    const title = `${formatIncidentRef(incident.id)} ${redactor.apply(incident.title)}`;
    const L = dict.labels;
    const integrity = view.integrity as { ok: boolean; entries: number; text: string; head?: ChainHead };
    // Every report says where it came from and whether it was redacted, whatever the template.
    // A Japanese sentence ends with 。, not an ASCII period.
    const stop = language === 'ja' ? '。' : '.';
    const footer = [
      '---',
      '',
      `${L.generated}, ${String(view.generatedAt)}: ${integrity.entries} ${L.entries}, ${integrity.text}${stop}`,
      ...(integrity.head ? ['', `${L.chainHead}: #${integrity.head.seq} sha256 ${integrity.head.hash}`] : []),
      redaction.applied ? `${L.redactionApplied}: ${redaction.matches} ${L.matches}${stop}` : `${L.redactionOff}${stop}`,
    ].join('\n');
    const marks = (view.gauges as { marks: { t: number; label: string }[] }[])[0]?.marks ?? [];
    return {
      markdown: `${body}\n\n${footer}\n`,
      charts: gauges.map((s) => gaugeChartSvg(s, marks, this.dates)),
      title,
      redaction,
      language,
    };
  }

  private toFormat(rendered: Rendered, format: ReportFormat): string {
    switch (format) {
      case 'md':
        return rendered.markdown;
      case 'html':
        return htmlDocument(rendered.markdown, rendered.title, rendered.charts, rendered.language);
      default:
        return assertNever(format, 'report format');
    }
  }

  private async bytes(request: SaveReportRequest, timelineSink?: (line: string) => void): Promise<{ data: Buffer; redaction: RenderedReport['redaction'] }> {
    switch (request.format) {
      case 'md':
      case 'html': {
        const rendered = this.renderMarkdown(request, timelineSink);
        return { data: Buffer.from(this.toFormat(rendered, request.format), 'utf8'), redaction: rendered.redaction };
      }
      case 'pdf': {
        // The report is built inside the printer's callback, so it overlaps Chromium's start-up;
        // the cheap checks run first so a wrong name never starts a browser.
        this.store.load(request.template, request.language);
        this.deps.incidents.get(request.incidentId);
        let rendered: Rendered | undefined;
        const title = `${formatIncidentRef(request.incidentId)}`;
        const data = await this.pdf.render(
          () => {
            rendered = this.renderMarkdown(request, timelineSink);
            return htmlDocument(rendered.markdown, rendered.title, rendered.charts, rendered.language);
          },
          // Read by the printer after it has built the document, so it is the redacted title.
          { paper: request.paper, language: request.language ?? 'en', get title() { return rendered?.title ?? title; } },
        );
        return { data, redaction: rendered!.redaction };
      }
      default:
        return assertNever(request.format, 'save format');
    }
  }
}

function fileName(incidentId: number, template: string, format: SaveFormat): string {
  return `${formatIncidentRef(incidentId)}-${template}.${format}`;
}

function countOf(text: string, needle: string): number {
  let n = 0;
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) n++;
  return n;
}
