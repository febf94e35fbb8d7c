import { memo, useRef, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { TFunction } from 'i18next';
import type { ChainVerification, TimelineEntry } from '../../../../shared/domain';
import { formatDuration } from '../../i18n/format';
import { api, errorMessage, onEvent } from '../../api';
import { useAppStore } from '../../store/store';
import { TimelineFilterBar } from './TimelineFilterBar';
import { TimelineList } from './TimelineList';
import { NoteFields } from './NoteFields';
import { describeAlert } from '../system/alert-text';
import { describeEvidence } from '../evidence/evidence-text';
import { describeRunbookEntry, isRunbookKind } from '../runbooks/timeline-text';
import { describeEscalationEntry, isEscalationKind } from '../escalation/timeline-text';
import { describeRiskEntry, isRiskKind } from '../risks/timeline-text';

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
        Array.isArray(d.gaps) && d.gaps.length ? t('closing.despite', { count: d.gaps.length, gaps: (d.gaps as string[]).join('; ') }) : '',
      ]
        .filter(Boolean)
        .join(' ');
    }
    case 'status.reopened':
      return [t('timeline.kind.reopened', { from: t(`status.${s('from')}`), to: t(`status.${s('to')}`) }), d.reason ? `— ${s('reason')}` : ''].filter(Boolean).join(' ');
    case 'incident.target-added':
    case 'incident.target-removed':
      return t(entry.kind === 'incident.target-added' ? 'timeline.kind.targetAdded' : 'timeline.kind.targetRemoved', { target: s('target') === 'local' ? t('alertEntry.thisLaptop') : s('target') });
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
    case 'alerts.pinned':
    case 'alerts.unpinned':
      return t(entry.kind === 'alerts.pinned' ? 'alertEntry.pinned' : 'alertEntry.unpinned', { target: s('target') === 'local' ? t('alertEntry.thisLaptop') : s('target') });
    case 'evidence.collected':
    case 'evidence.viewed':
    case 'evidence.exported':
    case 'evidence.verified':
    case 'evidence.collection-incomplete':
    case 'evidence.retracted':
      return describeEvidence(entry.kind, d, t);
    default:
      if (isRunbookKind(entry.kind)) return describeRunbookEntry(entry.kind, d, t);
      if (isEscalationKind(entry.kind)) return describeEscalationEntry(entry.kind, d, t);
      if (isRiskKind(entry.kind)) return describeRiskEntry(entry.kind, d, t);
      return `${entry.kind} ${JSON.stringify(d)}`;
  }
}

/**
 * The incident's timeline: verify, the note box, the filter box and the list. Each part
 * reads only what it shows from the store, so typing a note or a filter re-renders that
 * part alone, and an appended entry re-renders the list's visible rows that changed.
 */
export function Timeline({ incidentId }: { readonly incidentId: number }) {
  const { t } = useTranslation();
  return (
    <section className="timeline" aria-label={t('timeline.title')}>
      <header className="section-head">
        <h2>{t('timeline.title')}</h2>
        <VerifyChain incidentId={incidentId} />
      </header>
      <NoteComposer incidentId={incidentId} />
      <TimelineFilterBar incidentId={incidentId} />
      <TimelineList incidentId={incidentId} />
    </section>
  );
}

const VerifyChain = memo(function VerifyChain({ incidentId }: { readonly incidentId: number }) {
  const { t } = useTranslation();
  const [verification, setVerification] = useState<ChainVerification>();
  const [progress, setProgress] = useState<{ checked: number; total: number }>();
  const verify = async () => {
    setVerification(undefined);
    setProgress({ checked: 0, total: 0 });
    const stop = onEvent('timeline.verifyProgress', (p) => {
      if (p.incidentId === incidentId) setProgress({ checked: p.entriesChecked, total: p.entriesTotal });
    });
    try {
      setVerification(await api.timeline.verify({ incidentId }));
    } catch (error) {
      useAppStore.getState().notify('error', errorMessage(error));
    } finally {
      stop();
      setProgress(undefined);
    }
  };
  return (
    <>
      <button type="button" onClick={() => void verify()} disabled={progress !== undefined} data-testid="verify-chain">
        {t('timeline.verify')}
      </button>
      {progress && (
        <span className="muted" role="status" data-testid="verify-progress">
          {t('timeline.verifying', { checked: progress.checked.toLocaleString(), total: progress.total.toLocaleString() })}
        </span>
      )}
      {verification && (
        <span className={verification.ok ? 'ok-text' : 'error-text'} data-testid="verify-result">
          {verification.ok
            ? t('timeline.intact', { count: verification.entriesChecked })
            : t('timeline.broken', { seq: verification.failures[0]?.seq, reason: verification.failures[0]?.reason })}
        </span>
      )}
    </>
  );
});

/** Its text is its own state: a keystroke here re-renders this box and nothing else. */
const NoteComposer = memo(function NoteComposer({ incidentId }: { readonly incidentId: number }) {
  const { t } = useTranslation();
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const input = useRef<HTMLTextAreaElement>(null);

  const addNote = async () => {
    if (note.trim() === '' || busy) return;
    setBusy(true);
    try {
      const entry = await api.timeline.addNote({ incidentId, text: note });
      useAppStore.getState().appendEntry(entry);
      setNote('');
    } catch (error) {
      useAppStore.getState().notify('error', errorMessage(error));
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

  return (
    <>
      <div className="note-composer">
        <textarea
          ref={input}
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
      <NoteFields
        note={note}
        onPick={(text) => {
          setNote(text);
          input.current?.focus();
        }}
      />
    </>
  );
});
