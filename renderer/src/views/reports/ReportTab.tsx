import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import type { ExportFormat, Paper, RenderedReport, ReportFormat, ReportTemplateInfo, SavedReport, SaveFormat } from '../../../../shared/reports';
import { api, errorMessage } from '../../api';
import { currentLanguage, isLanguage, LANGUAGES, type Language } from '../../i18n/language';
import { useAppStore } from '../../store/store';
import './reports.css';

const PREVIEW_FORMATS: readonly ReportFormat[] = ['html', 'md'];
const SAVE_FORMATS: readonly SaveFormat[] = ['pdf', 'html', 'md'];
const PAPERS: readonly Paper[] = ['A4', 'Letter'];
const EXPORT_FORMATS: readonly ExportFormat[] = ['csv', 'json'];

const MIME: Record<string, string> = { html: 'text/html', md: 'text/markdown', csv: 'text/csv', json: 'application/json' };

/** Offers text as a file download (the browser host cannot write where the user browses). */
function download(text: string, fileName: string): void {
  const ext = fileName.slice(fileName.lastIndexOf('.') + 1);
  const blob = new Blob([text], { type: `${MIME[ext] ?? 'text/plain'};charset=utf-8` });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * One-click report: pick a template, see it rendered from the record as it stands, save it.
 * The HTML preview is the saved document itself, in a sandboxed frame (no scripts, no
 * same-origin access); its one stylesheet is allowed by hash in the console's CSP.
 */
export function ReportTab({ incident }: { readonly incident: IncidentView }) {
  const { t, i18n } = useTranslation();
  const [templates, setTemplates] = useState<readonly ReportTemplateInfo[]>([]);
  const [template, setTemplate] = useState('incident-report');
  const [format, setFormat] = useState<ReportFormat>('html');
  const [redact, setRedact] = useState(true);
  // The report's language follows the UI's until the operator picks one for this report; a
  // Japanese console can still write an English report.
  const [chosenLanguage, setLanguage] = useState<Language | undefined>();
  const language: Language = chosenLanguage ?? (isLanguage(i18n.language) ? i18n.language : currentLanguage());
  const [report, setReport] = useState<RenderedReport | undefined>();
  const [error, setError] = useState<string | undefined>();
  const [saveFormat, setSaveFormat] = useState<SaveFormat>('pdf');
  const [paper, setPaper] = useState<Paper>('A4');
  const [path, setPath] = useState('');
  const [pathTouched, setPathTouched] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saved, setSaved] = useState<SavedReport | undefined>();

  useEffect(() => {
    api.reports.templates().then(
      (list) => {
        setTemplates(list);
        if (list.length && !list.some((l) => l.name === template)) setTemplate(list[0]!.name);
      },
      (e: unknown) => setError(errorMessage(e)),
    );
  }, []);

  // Live: re-rendered whenever the record changes. Entries other features append (commands,
  // alerts, evidence) arrive as timeline events, which keep the store's timeline current.
  const entries = useAppStore((s) => s.timelines[incident.id]?.headSeq ?? 0);
  useEffect(() => {
    let stale = false;
    // A burst of entries (alerts, evidence batches) re-renders once, shortly after it ends.
    const timer = setTimeout(() => {
      api.reports.render({ incidentId: incident.id, template, format, redact, language }).then(
        (r) => {
          if (stale) return;
          setReport(r);
          setError(undefined);
        },
        (e: unknown) => !stale && setError(errorMessage(e)),
      );
    }, 150);
    return () => {
      stale = true;
      clearTimeout(timer);
    };
  }, [incident.id, entries, incident.updatedAt, template, format, redact, language]);

  useEffect(() => {
    if (pathTouched) return;
    api.reports.defaultPath({ incidentId: incident.id, template, format: saveFormat }).then(setPath, () => undefined);
  }, [incident.id, template, saveFormat, pathTouched]);

  const save = async () => {
    setSaving(true);
    setSaved(undefined);
    try {
      setSaved(await api.reports.save({ incidentId: incident.id, template, format: saveFormat, paper, redact, language, path }));
      setError(undefined);
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setSaving(false);
    }
  };

  const exportTimeline = async (f: ExportFormat) => {
    try {
      const out = await api.timeline.export({ incidentId: incident.id, format: f });
      download(out.text, out.fileName);
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const description = useMemo(() => templates.find((x) => x.name === template)?.description ?? '', [templates, template]);

  return (
    <section className="report-tab" aria-label={t('reports.tab')}>
      <div className="report-controls">
        <label>
          {t('reports.template')}
          <select value={template} onChange={(e) => setTemplate(e.target.value)} data-testid="report-template" title={description}>
            {templates.map((x) => (
              <option key={x.name} value={x.name}>
                {x.source === 'built-in' || x.overridesBuiltIn ? t(`reports.templateNames.${x.name}`, { defaultValue: x.name }) : x.name}
                {x.source === 'user' ? ' ★' : ''}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.preview')}
          <select value={format} onChange={(e) => setFormat(e.target.value as ReportFormat)} data-testid="report-format">
            {PREVIEW_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`reports.formats.${f}`)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('reports.language')}
          <select value={language} onChange={(e) => setLanguage(e.target.value as Language)} data-testid="report-language">
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`reports.languages.${l}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="check" title={t('reports.redactHint')}>
          <input type="checkbox" checked={redact} onChange={(e) => setRedact(e.target.checked)} data-testid="report-redact" />
          {t('reports.redact')}
        </label>
        <span className={redact ? 'muted small' : 'error-text small'} data-testid="report-redaction">
          {report ? (report.redaction.applied ? t('reports.redactedCount', { count: report.redaction.matches }) : t('reports.notRedacted')) : ''}
        </span>
        {report && (
          <button type="button" onClick={() => download(report.text, report.fileName)} data-testid="report-download">
            {t('reports.download', { format: t(`reports.formats.${report.format}`) })}
          </button>
        )}
        {EXPORT_FORMATS.map((f) => (
          <button key={f} type="button" onClick={() => void exportTimeline(f)} data-testid={`timeline-export-${f}`} title={t('reports.exportHint')}>
            {t('reports.exportTimeline', { format: f.toUpperCase() })}
          </button>
        ))}
      </div>
      <form
        className="report-save"
        onSubmit={(e) => {
          e.preventDefault();
          void save();
        }}
      >
        <label>
          {t('reports.saveAs')}
          <select value={saveFormat} onChange={(e) => setSaveFormat(e.target.value as SaveFormat)} data-testid="report-save-format">
            {SAVE_FORMATS.map((f) => (
              <option key={f} value={f}>
                {t(`reports.formats.${f}`)}
              </option>
            ))}
          </select>
        </label>
        {saveFormat === 'pdf' && (
          <label>
            {t('reports.paper')}
            <select value={paper} onChange={(e) => setPaper(e.target.value as Paper)} data-testid="report-paper">
              {PAPERS.map((p) => (
                <option key={p}>{p}</option>
              ))}
            </select>
          </label>
        )}
        <label className="grow" title={t('reports.pathHint')}>
          {t('reports.path')}
          <input
            value={path}
            onChange={(e) => {
              setPath(e.target.value);
              setPathTouched(true);
            }}
            spellCheck={false}
            data-testid="report-path"
          />
        </label>
        <button type="submit" className="primary" disabled={saving || path.trim() === ''} data-testid="report-save">
          {saving ? t('reports.saving') : t('reports.save')}
        </button>
      </form>
      {saved && (
        <p className="report-saved small" data-testid="report-saved">
          <span className="ok-text">{t('reports.saved', { path: saved.path })}</span>
          <br />
          <code data-testid="report-sha256">{t('reports.sha256', { hash: saved.sha256 })}</code>
        </p>
      )}
      {error && (
        <p className="error-text" role="alert" data-testid="report-error">
          {t('reports.failed', { error })}
        </p>
      )}
      <div className="report-preview">
        {!report ? (
          <p className="muted">{t('reports.rendering')}</p>
        ) : report.format === 'html' ? (
          // sandbox="" : no scripts, no forms, an opaque origin — the report cannot reach the console.
          <iframe title={t('reports.previewTitle')} sandbox="" srcDoc={report.text} data-testid="report-preview" />
        ) : (
          <pre className="report-md" data-testid="report-preview">
            {report.text}
          </pre>
        )}
      </div>
    </section>
  );
}
