import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { ArtifactRecord } from '../../../../shared/evidence';
import { api, errorMessage } from '../../api';
import { formatDateTime } from '../../i18n/dates';

/**
 * Mistaken evidence is taken back, never deleted (issue 15): the artifact stays in the store
 * and custody chain; reports and default exports leave it out. The reason is required.
 */
export function RetractArtifact({ artifact, onRetracted }: { readonly artifact: ArtifactRecord; readonly onRetracted: (artifact: ArtifactRecord) => void }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  if (artifact.retracted) {
    return (
      <p className="warn-text small" data-testid="preview-retracted">
        {t('evidence.retract.done', { reason: artifact.retracted.reason, actor: artifact.retracted.actor, time: formatDateTime(artifact.retracted.at) })}
      </p>
    );
  }
  if (!open) {
    return (
      <div>
        <button type="button" onClick={() => setOpen(true)} data-testid="retract-open">
          {t('evidence.retract.button')}
        </button>
      </div>
    );
  }
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!reason.trim()) return setError(t('evidence.retract.needReason'));
    setBusy(true);
    try {
      onRetracted(await api.evidence.retract({ artifactId: artifact.id, reason }));
      setOpen(false);
      setError(undefined);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="retract-form" onSubmit={(e) => void submit(e)} data-testid="retract-form">
      <p className="small muted">{t('evidence.retract.explain')}</p>
      <label className="small">
        {t('evidence.retract.reason')}
        <textarea rows={2} required value={reason} onChange={(e) => setReason(e.target.value)} autoFocus data-testid="retract-reason" />
      </label>
      <div className="form-actions">
        <button type="submit" className="danger-button" disabled={busy || reason.trim() === ''} data-testid="retract-submit">
          {t('evidence.retract.submit')}
        </button>
        <button type="button" onClick={() => setOpen(false)}>
          {t('evidence.retract.cancel')}
        </button>
        {error && (
          <span className="error-text small" role="alert">
            {error}
          </span>
        )}
      </div>
    </form>
  );
}
