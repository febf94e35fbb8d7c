import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';

const joinList = (list: readonly string[]) => list.join(', ');
const splitList = (value: string) =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** Edits the descriptive fields; only what changed is sent, and the timeline records before/after. */
export function DetailsEditor({ incident, onDone }: { readonly incident: IncidentView; readonly onDone: () => void }) {
  const { t } = useTranslation();
  const upsert = useAppStore((s) => s.upsertIncident);
  const [title, setTitle] = useState(incident.title);
  const [summary, setSummary] = useState(incident.summary);
  const [impact, setImpact] = useState(incident.impact);
  const [responder, setResponder] = useState(incident.responder);
  const [services, setServices] = useState(joinList(incident.services));
  const [tags, setTags] = useState(joinList(incident.tags));
  const [error, setError] = useState<string>();

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const patch: Record<string, string | string[]> = {};
    if (title !== incident.title) patch.title = title;
    if (summary !== incident.summary) patch.summary = summary;
    if (impact !== incident.impact) patch.impact = impact;
    if (responder !== incident.responder) patch.responder = responder;
    if (services !== joinList(incident.services)) patch.services = splitList(services);
    if (tags !== joinList(incident.tags)) patch.tags = splitList(tags);
    if (Object.keys(patch).length === 0) return onDone();
    try {
      upsert(await api.incidents.update({ id: incident.id, patch }));
      onDone();
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  return (
    <form className="details-editor" onSubmit={submit} aria-label={t('incident.editDetails')}>
      <label>
        {t('fields.title')}
        <input value={title} onChange={(e) => setTitle(e.target.value)} maxLength={200} />
      </label>
      <label>
        {t('fields.summary')}
        <textarea value={summary} onChange={(e) => setSummary(e.target.value)} rows={3} />
      </label>
      <label>
        {t('fields.impact')}
        <textarea value={impact} onChange={(e) => setImpact(e.target.value)} rows={2} />
      </label>
      <div className="form-row three">
        <label>
          {t('fields.responder')}
          <input value={responder} onChange={(e) => setResponder(e.target.value)} maxLength={200} />
        </label>
        <label>
          {t('fields.services')}
          <input value={services} onChange={(e) => setServices(e.target.value)} />
        </label>
        <label>
          {t('fields.tags')}
          <input value={tags} onChange={(e) => setTags(e.target.value)} />
        </label>
      </div>
      {error && (
        <p className="error-text" role="alert">
          {error}
        </p>
      )}
      <div className="dialog-actions">
        <button type="button" onClick={onDone}>
          {t('actions.cancel')}
        </button>
        <button type="submit" className="primary">
          {t('actions.save')}
        </button>
      </div>
    </form>
  );
}
