import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { DetailsEditor } from './DetailsEditor';
import { dateTimeFormat } from '../../i18n/dates';

/** Times, people, services and the narrative fields of an incident; editable until it is closed. */
export function Details({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  if (editing) return <DetailsEditor incident={incident} onDone={() => setEditing(false)} />;
  const when = dateTimeFormat;
  const times = (
    [
      ['detected', incident.detectedAt],
      ['acknowledged', incident.acknowledgedAt],
      ['investigating', incident.investigatingAt],
      ['mitigated', incident.mitigatedAt],
      ['resolved', incident.resolvedAt],
      ['closed', incident.closedAt],
    ] as const
  ).filter((pair): pair is readonly [(typeof pair)[0], string] => pair[1] !== null);
  const facts: [string, string][] = [
    [t('fields.responder'), incident.responder],
    [t('fields.services'), incident.services.join(', ')],
    [t('fields.tags'), incident.tags.join(', ')],
  ];

  return (
    <section className="details">
      <dl>
        {times.map(([status, value]) => (
          <div key={status}>
            <dt>{t(`status.${status}`)}</dt>
            <dd>
              <time dateTime={value}>{when.format(new Date(value))}</time>
            </dd>
          </div>
        ))}
        {facts
          .filter(([, value]) => value !== '')
          .map(([label, value]) => (
            <div key={label}>
              <dt>{label}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        {incident.status !== 'closed' && (
          <div className="edit-link">
            <button type="button" onClick={() => setEditing(true)} data-testid="edit-details">
              {t('incident.editDetails')}
            </button>
          </div>
        )}
      </dl>
      <h3>{t('fields.summary')}</h3>
      <p className={incident.summary ? 'prose' : 'prose muted'}>{incident.summary || t('incident.noSummary')}</p>
      <h3>{t('fields.impact')}</h3>
      <p className={incident.impact ? 'prose' : 'prose muted'}>{incident.impact || t('incident.noImpact')}</p>
    </section>
  );
}
