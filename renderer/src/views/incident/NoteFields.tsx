import { useTranslation } from 'react-i18next';
import { NOTE_FIELD_PREFIXES, noteField, type NoteFieldName } from '../../../../shared/note-fields';
import { currentLanguage } from '../../i18n/language';

// Seed 004 §9.1 and the postmortem: the report's fields the operator writes as notes.
const FIELDS: readonly NoteFieldName[] = ['detection', 'rootCause', 'resolution', 'followUp', 'prevention', 'lessons'];

/** `Detection: …` in front of the note (replacing another field's prefix), in the UI's language. */
export function withFieldPrefix(note: string, field: NoteFieldName, language: 'en' | 'ja'): string {
  const current = noteField(note);
  const body = current ? current.value : note;
  return `${NOTE_FIELD_PREFIXES[language][field]}: ${body.trimStart()}`;
}

/**
 * Buttons that start the note as a report field (検知方法, 今後の対応計画 …): the note then fills
 * that section of the incident report and postmortem, and the close check counts it.
 */
export function NoteFields({ note, onPick }: { readonly note: string; readonly onPick: (text: string) => void }) {
  const { t } = useTranslation();
  const active = noteField(note)?.field;
  return (
    <div className="note-fields" role="group" aria-label={t('reports.noteFields.title')} data-testid="note-fields">
      <span className="muted small">{t('reports.noteFields.title')}</span>
      {FIELDS.map((f) => (
        <button
          key={f}
          type="button"
          className={`small${active === f ? ' active' : ''}`}
          aria-pressed={active === f}
          title={t('reports.noteFields.hint')}
          onClick={() => onPick(withFieldPrefix(note, f, currentLanguage()))}
          data-testid={`note-field-${f}`}
        >
          {t(`reports.noteFields.${f}`)}
        </button>
      ))}
    </div>
  );
}
