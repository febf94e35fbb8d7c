import { z } from 'zod';
import { channel } from '../channel-def';
import type { MetricsSummary, RenderedReport, ReportTemplateInfo, SavedReport, TimelineExport } from '../reports';
import { EXPORT_FORMATS, PAPERS, REPORT_FORMATS, SAVE_FORMATS } from '../reports';
import { incidentIdSchema, isoTimeSchema } from '../schemas';

// Reports, metrics and timeline export (issue 7).

/** A template's file name without `.md`: letters, digits, dot, dash, underscore. */
export const templateNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, { error: 'must be a template name such as incident-report or postmortem' });

const absolutePathSchema = z
  .string()
  .min(1, { error: 'must not be empty' })
  .max(4096)
  // Both POSIX and Windows forms: the check that the folder exists happens on the main side.
  .refine((p) => p.startsWith('/') || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith('\\\\'), { error: 'must be an absolute path' });

/** The language a report is written in (words, durations, templates); English unless asked. */
export const REPORT_LANGUAGES = ['en', 'ja'] as const;
export const reportLanguageSchema = z.enum(REPORT_LANGUAGES).default('en');

const userPatternsSchema = z.array(z.string().min(1).max(500)).max(50).optional();

export const renderReportSchema = z.strictObject({
  incidentId: incidentIdSchema,
  template: templateNameSchema,
  format: z.enum(REPORT_FORMATS),
  redact: z.boolean().default(true),
  patterns: userPatternsSchema,
  language: reportLanguageSchema,
});

export const saveReportSchema = z.strictObject({
  incidentId: incidentIdSchema,
  template: templateNameSchema,
  format: z.enum(SAVE_FORMATS),
  paper: z.enum(PAPERS).default('A4'),
  redact: z.boolean().default(true),
  patterns: userPatternsSchema,
  language: reportLanguageSchema,
  path: absolutePathSchema,
});

export const timelineExportFilterSchema = z.strictObject({
  kinds: z.array(z.string().min(1).max(100)).max(100).optional(),
  since: isoTimeSchema.optional(),
  until: isoTimeSchema.optional(),
});

export const reportChannels = {
  'reports.templates': channel<ReportTemplateInfo[]>()(z.strictObject({}).optional()),
  'reports.render': channel<RenderedReport>()(renderReportSchema),
  'reports.save': channel<SavedReport>()(saveReportSchema),
  /** `<home>/reports/<INC-ref>-<template>.<ext>`, its folder created: the save form's default. */
  'reports.defaultPath': channel<string>()(
    z.strictObject({ incidentId: incidentIdSchema, template: templateNameSchema, format: z.enum(SAVE_FORMATS) }),
  ),
  'metrics.summary': channel<MetricsSummary>()(
    z.strictObject({ since: isoTimeSchema.optional(), until: isoTimeSchema.optional() }).optional(),
  ),
  'timeline.export': channel<TimelineExport>()(
    z.strictObject({
      incidentId: incidentIdSchema.optional(),
      format: z.enum(EXPORT_FORMATS),
      filter: timelineExportFilterSchema.optional(),
    }),
  ),
} as const;
