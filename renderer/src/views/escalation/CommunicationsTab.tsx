import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { UPDATE_LANGUAGES, type UpdateDraft, type UpdateLanguage } from '../../../../shared/escalation';
import { api, errorMessage } from '../../api';
import { formatDateTime } from './time';
import { useAppStore } from '../../store/store';
import { copyText } from './clipboard';
import './escalation.css';

/**
 * Escalations (with their acknowledgements) and stakeholder updates: a draft from the
 * record in English or Japanese, edited by the operator, then copied, saved as .eml or
 * Markdown, or opened as a mailto: link. Whatever goes out is recorded with its hash.
 */
export function CommunicationsTab({ incident }: { readonly incident: IncidentView }) {
  const { t, i18n } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const state = useAppStore((s) => s.escalations[incident.id]);
  const setEscalation = useAppStore((s) => s.setEscalation);
  const load = useAppStore((s) => s.loadEscalation);
  const [language, setLanguage] = useState<UpdateLanguage>(i18n.language.startsWith('ja') ? 'ja' : 'en');
  const [draft, setDraft] = useState<UpdateDraft | undefined>();
  const [subject, setSubject] = useState('');
  const [text, setText] = useState('');
  const [busy, setBusy] = useState(false);

  const redraft = useCallback(
    async (lang: UpdateLanguage) => {
      try {
        const d = await api.updates.draft({ incidentId: incident.id, language: lang });
        setDraft(d);
        setSubject(d.subject);
        setText(d.text);
      } catch (error) {
        notify('error', errorMessage(error));
      }
    },
    [incident.id, notify],
  );

  useEffect(() => {
    void redraft(language);
  }, [language, redraft]);
  useEffect(() => {
    if (!state) void load(incident.id);
  }, [incident.id, state, load]);

  const send = async (work: () => Promise<unknown>, message: string) => {
    setBusy(true);
    try {
      await work();
      notify('info', message);
      void load(incident.id);
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };
  const record = (via: 'clipboard' | 'mailto') => api.updates.record({ incidentId: incident.id, language, via, text, subject });

  return (
    <div className="comms" data-testid="comms-tab">
      <section>
        <h2>{t('comms.draft')}</h2>
        <div className="toolbar">
          <label>
            {t('comms.language')}{' '}
            <select value={language} onChange={(e) => setLanguage(e.target.value as UpdateLanguage)} data-testid="update-language">
              {UPDATE_LANGUAGES.map((l) => (
                <option key={l} value={l}>
                  {t(`language.${l}`)}
                </option>
              ))}
            </select>
          </label>
          <button type="button" onClick={() => void redraft(language)}>
            {t('comms.redraft')}
          </button>
        </div>
        <input value={subject} onChange={(e) => setSubject(e.target.value)} aria-label={t('comms.subject')} data-testid="update-subject" />
        <textarea value={text} onChange={(e) => setText(e.target.value)} aria-label={t('comms.draft')} data-testid="update-text" spellCheck={false} />
        <div className="toolbar">
          <button
            type="button"
            className="primary"
            disabled={busy || !text.trim()}
            data-testid="update-copy"
            onClick={() => void send(async () => (await copyText(text), await record('clipboard')), t('comms.copied'))}
          >
            {t('comms.copy')}
          </button>
          {(['eml', 'md'] as const).map((format) => (
            <button
              key={format}
              type="button"
              disabled={busy || !text.trim()}
              data-testid={`update-save-${format}`}
              onClick={() =>
                void send(async () => {
                  const sent = await api.updates.save({ incidentId: incident.id, language, format, text, subject });
                  notify('info', t('comms.saved', { path: sent.path ?? '' }));
                }, t('comms.saved', { path: '' }))
              }
            >
              {format === 'eml' ? t('comms.saveEml') : t('comms.saveMd')}
            </button>
          ))}
          {draft && (
            <a className="button" href={`mailto:${draft.to.map(encodeURIComponent).join(',')}?subject=${encodeURIComponent(subject)}&body=${encodeURIComponent(text)}`} onClick={() => void send(() => record('mailto'), t('comms.copied'))} data-testid="update-mailto">
              {t('comms.mailto')}
            </a>
          )}
        </div>
      </section>
      <section>
        <h2>{t('comms.escalations')}</h2>
        {!state?.escalations.length && <p className="muted">{t('comms.none')}</p>}
        <ul data-testid="escalation-list">
          {state?.escalations.map((e) => (
            <li key={e.entryId}>
              <strong>L{e.level}</strong> {e.contact || '—'} {e.via ? `(${t(`escalation.${e.via}`)})` : ''} — {e.reason}
              <div className="meta">
                {formatDateTime(e.at)} · {e.actor}
                {e.acknowledgedAt ? ` · ${t('comms.acknowledgedAt', { time: formatDateTime(e.acknowledgedAt) })}` : ''}
              </div>
              {!e.acknowledgedAt && (
                <button type="button" onClick={() => void api.escalation.acknowledge({ incidentId: incident.id, entryId: e.entryId }).then(setEscalation, (error: unknown) => notify('error', errorMessage(error)))}>
                  {t('comms.acknowledge')}
                </button>
              )}
            </li>
          ))}
        </ul>
        <h2>{t('comms.sent')}</h2>
        {!state?.updates.length && <p className="muted">{t('comms.noneSent')}</p>}
        <ul data-testid="update-list">
          {[...(state?.updates ?? [])].reverse().map((u) => (
            <li key={u.entryId}>
              {formatDateTime(u.at)} · {u.via} · {u.language} · <span className={u.onTime ? 'on-time' : 'late'}>{u.onTime ? t('comms.onTime') : t('comms.late')}</span>
              <div className="meta">{t('comms.sha', { sha: u.sha256 })}</div>
              {u.path && <div className="meta">{u.path}</div>}
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
