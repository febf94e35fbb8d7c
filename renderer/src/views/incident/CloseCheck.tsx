import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CloseGap, CloseReadiness } from '../../../../shared/closing';

const SHOWN_ITEMS = 6;

/**
 * What resolving or closing would leave undone, shown before it happens: the operator goes
 * back, or goes ahead with a reason the timeline keeps (the host refuses it without one too).
 */
export function CloseCheck({
  readiness,
  onGoAhead,
  onBack,
}: {
  readonly readiness: CloseReadiness;
  readonly onGoAhead: (reason: string) => void;
  readonly onBack: () => void;
}) {
  const { t } = useTranslation();
  const [reason, setReason] = useState('');
  const action = t(`actions.to.${readiness.to}`);
  return (
    <section className="close-check" role="alertdialog" aria-label={t('closing.title', { action })} data-testid="close-check">
      <h3>{t('closing.title', { action })}</h3>
      <p>{t('closing.intro')}</p>
      <ul>
        {readiness.gaps.map((gap) => (
          <li key={gap.kind} data-gap={gap.kind}>
            <strong>{t(`closing.gap.${gap.kind}`, { count: gap.count })}</strong>
            <GapItems gap={gap} />
          </li>
        ))}
      </ul>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (reason.trim() !== '') onGoAhead(reason.trim());
        }}
      >
        <textarea autoFocus rows={2} value={reason} onChange={(e) => setReason(e.target.value)} aria-label={t('closing.reason')} placeholder={t('closing.reason')} data-testid="close-reason" />
        <div className="row">
          <button type="submit" className="danger" disabled={reason.trim() === ''} data-testid="close-anyway">
            {t('closing.goAhead')}
          </button>
          <button type="button" onClick={onBack}>
            {t('closing.back')}
          </button>
        </div>
      </form>
    </section>
  );
}

function GapItems({ gap }: { readonly gap: CloseGap }) {
  const { t } = useTranslation();
  if (gap.items.length === 0) return null;
  const items = gap.kind === 'postmortem' ? gap.items.map((f) => t(`closing.field.${f}`, { defaultValue: f })) : gap.items;
  const hidden = gap.count - Math.min(SHOWN_ITEMS, items.length);
  return (
    <ul className="muted small">
      {items.slice(0, SHOWN_ITEMS).map((item, i) => (
        <li key={i}>
          <code>{item}</code>
        </li>
      ))}
      {hidden > 0 && <li>{t('closing.more', { count: hidden })}</li>}
    </ul>
  );
}
