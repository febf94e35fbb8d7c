import { useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ChainVerification, TimelineEntry } from '../../../../shared/domain';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage } from '../../api';
import { useAppStore } from '../../store/store';
import { describeAlert } from '../system/alert-text';
import { describeEvidence } from '../evidence/evidence-text';
import { describeRunbookEntry, isRunbookKind } from '../runbooks/timeline-text';

const EMPTY: readonly TimelineEntry[] = [];

/** A readable sentence for each kind of entry; unknown kinds still show their data. */
export function describeEntry(entry: TimelineEntry, t: TFunction): string {
  const d = entry.data as Record<string, unknown>;
  const s = (key: string) => String(d[key] ?? '');
  switch (entry.kind) {
    case 'incident.created':
      return t('timeline.kind.created', { title: s('title'), severity: t(`severity.${s('severity')}.label`) });
    case 'status.changed': {
      const skipped = Array.isArray(d.skipped) ? (d.skipped as string[]).map((x) => t(`status.${x}`)).join(', ') : '';
      return [
        t('timeline.kind.status', { from: t(`status.${s('from')}`), to: t(`status.${s('to')}`) }),
        skipped ? t('timeline.skipped', { statuses: skipped }) : '',
        d.reason ? `— ${s('reason')}` : '',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'severity.changed':
      return t('timeline.kind.severity', { from: t(`severity.${s('from')}.label`), to: t(`severity.${s('to')}.label`) });
    case 'incident.updated':
      return t('timeline.kind.updated', { fields: Object.keys((d.changes as object) ?? {}).map((f) => t(`fields.${f}`)).join(', ') });
    case 'note':
      return s('text');
    case 'correction':
      return t('timeline.kind.correction', { seq: s('correctsSeq'), text: s('text') });
    case 'sla.paused':
      return t('timeline.kind.slaPaused', { reason: s('reason') });
    case 'sla.resumed':
      return t('timeline.kind.slaResumed', { time: formatDuration(Number(d.pausedMs ?? 0)) });
    case 'sla.breached':
      return t('timeline.kind.slaBreached', { clock: t(`sla.${s('clock')}`) });
    case 'alert.raised':
    case 'alert.cleared':
      return describeAlert(d, t);
    case 'evidence.collected':
    case 'evidence.viewed':
    case 'evidence.exported':
    case 'evidence.verified':
    case 'evidence.collection-incomplete':
      return describeEvidence(entry.kind, d, t);
    default:
      if (isRunbookKind(entry.kind)) return describeRunbookEntry(entry.kind, d, t);
      return `${entry.kind} ${JSON.stringify(d)}`;
  }
}

export function Timeline({ incidentId }: { readonly incidentId: number }) {
  const { t, i18n } = useTranslation();
  const entries = useAppStore((s) => s.timelines[incidentId] ?? EMPTY);
  const notify = useAppStore((s) => s.notify);
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [verification, setVerification] = useState<ChainVerification>();
  const [correcting, setCorrecting] = useState<number>();
  const [correction, setCorrection] = useState('');
  const correctedBy = new Map<number, number[]>();
  for (const entry of entries) {
    if (entry.corrects !== null) correctedBy.set(entry.corrects, [...(correctedBy.get(entry.corrects) ?? []), entry.seq]);
  }
  const time = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'short', timeStyle: 'medium' });

  const addNote = async () => {
    if (note.trim() === '' || busy) return;
    setBusy(true);
    try {
      const entry = await api.timeline.addNote({ incidentId, text: note });
      useAppStore.getState().appendEntry(entry);
      setNote('');
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
      event.preventDefault();
      void addNote();
    }
  };

  const correct = async (entryId: number) => {
    try {
      useAppStore.getState().appendEntry(await api.timeline.correct({ incidentId, entryId, text: correction }));
      setCorrecting(undefined);
      setCorrection('');
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  const verify = async () => {
    try {
      setVerification(await api.timeline.verify({ incidentId }));
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };

  return (
    <section className="timeline" aria-label={t('timeline.title')}>
      <header className="section-head">
        <h2>{t('timeline.title')}</h2>
        <button type="button" onClick={() => void verify()} data-testid="verify-chain">
          {t('timeline.verify')}
        </button>
        {verification && (
          <span className={verification.ok ? 'ok-text' : 'error-text'} data-testid="verify-result">
            {verification.ok
              ? t('timeline.intact', { count: verification.entriesChecked })
              : t('timeline.broken', { seq: verification.failures[0]?.seq, reason: verification.failures[0]?.reason })}
          </span>
        )}
      </header>
      <div className="note-composer">
        <textarea
          value={note}
          onChange={(e) => setNote(e.target.value)}
          onKeyDown={onKeyDown}
          placeholder={t('timeline.notePlaceholder')}
          aria-label={t('timeline.notePlaceholder')}
          rows={2}
          data-testid="note-input"
        />
        <button type="button" className="primary" onClick={() => void addNote()} disabled={busy || note.trim() === ''}>
          {t('timeline.addNote')}
        </button>
      </div>
      <ol className="entries" data-testid="timeline">
        {[...entries].reverse().map((entry) => (
          <li key={entry.id} className={`entry kind-${entry.kind.replace(/\./g, '-')}`} data-kind={entry.kind}>
            <span className="entry-seq">#{entry.seq}</span>
            <time dateTime={entry.at}>{time.format(new Date(entry.at))}</time>
            <span className="entry-text">
              {describeEntry(entry, t)}
              {correctedBy.get(entry.id) && <span className="corrected"> {t('timeline.correctedBy', { seqs: correctedBy.get(entry.id)!.join(', #') })}</span>}
              {correcting === entry.id && (
                <form
                  className="inline-form correction-form"
                  onSubmit={(e) => {
                    e.preventDefault();
                    void correct(entry.id);
                  }}
                >
                  <input autoFocus value={correction} onChange={(e) => setCorrection(e.target.value)} placeholder={t('timeline.correctPlaceholder')} aria-label={t('timeline.correctPlaceholder')} />
                  <button type="submit" disabled={correction.trim() === ''}>
                    {t('timeline.addCorrection')}
                  </button>
                  <button type="button" onClick={() => setCorrecting(undefined)}>
                    {t('actions.cancel')}
                  </button>
                </form>
              )}
            </span>
            <span className="entry-meta" title={`sha256 ${entry.hash}\nprev ${entry.prevHash}`}>
              {entry.actor}@{entry.host} · {entry.hash.slice(0, 10)}
              {correcting !== entry.id && (
                <button type="button" className="link" onClick={() => setCorrecting(entry.id)} title={t('timeline.correctHint')}>
                  {t('timeline.correct')}
                </button>
              )}
            </span>
          </li>
        ))}
      </ol>
    </section>
  );
}
