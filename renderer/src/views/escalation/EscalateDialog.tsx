import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Contact, ContactVia, EscalationLevel, EscalationSuggestion } from '../../../../shared/escalation';
import { CONTACT_VIAS, ESCALATION_LEVEL_NUMBERS } from '../../../../shared/escalation';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { suggestionText } from './suggestion-text';

const OTHER = '\u0000other';

/** Records who was contacted, at which level, by what means and why. */
export function EscalateDialog(props: {
  readonly incidentId: number;
  readonly currentLevel: EscalationLevel;
  readonly suggestion: EscalationSuggestion | undefined;
  readonly onClose: () => void;
}) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const setEscalation = useAppStore((s) => s.setEscalation);
  const ref = useRef<HTMLDialogElement>(null);
  const [contacts, setContacts] = useState<readonly Contact[]>([]);
  const [level, setLevel] = useState<EscalationLevel>(props.suggestion?.level ?? (Math.min(3, props.currentLevel + 1) as EscalationLevel));
  const firstSuggested = props.suggestion?.contacts.find((c) => c.inCover && !c.placeholder) ?? props.suggestion?.contacts[0];
  const [contact, setContact] = useState(firstSuggested?.name ?? '');
  const [other, setOther] = useState('');
  const [via, setVia] = useState<ContactVia | ''>(firstSuggested?.phone ? 'phone' : '');
  const [reason, setReason] = useState(props.suggestion ? suggestionText(props.suggestion.trigger, props.suggestion.facts, props.suggestion.detail, t) : '');
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    api.contacts.list().then(setContacts, () => undefined);
    return () => dialog?.close();
  }, []);

  const atLevel = contacts.filter((c) => c.level === level);
  const submit = async () => {
    setBusy(true);
    try {
      const state = await api.escalation.escalate({ incidentId: props.incidentId, level, contact: contact === OTHER ? other : contact, via: via || null, reason });
      setEscalation(state);
      notify('info', t('escalation.escalated', { level }));
      props.onClose();
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" onCancel={(e) => (e.preventDefault(), props.onClose())} aria-label={t('escalation.dialogTitle', { ref: `INC-${String(props.incidentId).padStart(4, '0')}` })} data-testid="escalate-dialog">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          void submit();
        }}
      >
        <h2>{t('escalation.dialogTitle', { ref: `INC-${String(props.incidentId).padStart(4, '0')}` })}</h2>
        <div className="form-row three">
          <label>
            {t('escalation.levelField')}
            <select value={level} onChange={(e) => setLevel(Number(e.target.value) as EscalationLevel)} data-testid="escalate-level">
              {ESCALATION_LEVEL_NUMBERS.map((n) => (
                <option key={n} value={n}>
                  {n}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('escalation.contact')}
            <select value={contact} onChange={(e) => setContact(e.target.value)} data-testid="escalate-contact">
              <option value="">—</option>
              {atLevel.map((c) => (
                <option key={c.id} value={c.name}>
                  {c.name}
                </option>
              ))}
              {contact && contact !== OTHER && !atLevel.some((c) => c.name === contact) && <option value={contact}>{contact}</option>}
              <option value={OTHER}>{t('escalation.contactOther')}</option>
            </select>
          </label>
          <label>
            {t('escalation.via')}
            <select value={via} onChange={(e) => setVia(e.target.value as ContactVia | '')} data-testid="escalate-via">
              <option value="">{t('escalation.viaNone')}</option>
              {CONTACT_VIAS.map((v) => (
                <option key={v} value={v}>
                  {t(`escalation.${v}`)}
                </option>
              ))}
            </select>
          </label>
        </div>
        {contact === OTHER && <input value={other} onChange={(e) => setOther(e.target.value)} placeholder={t('escalation.contactOther')} aria-label={t('escalation.contactOther')} />}
        <label>
          {t('escalation.reason')}
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} rows={3} required data-testid="escalate-reason" />
        </label>
        <div className="dialog-actions">
          <button type="button" onClick={props.onClose}>
            {t('escalation.cancel')}
          </button>
          <button type="submit" className="primary" disabled={busy || reason.trim() === ''} data-testid="escalate-confirm">
            {t('escalation.confirm')}
          </button>
        </div>
      </form>
    </dialog>
  );
}
