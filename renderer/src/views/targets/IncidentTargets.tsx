import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import { useAppStore } from '../../store/store';
import { TargetState } from './TargetState';
import './targets.css';

const NONE: readonly string[] = [];

/** The hosts this incident is about: added or removed here, each change recorded on the timeline by the service. */
export function IncidentTargets({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const names = useAppStore((s) => s.incidentTargets[incident.id] ?? NONE);
  const targets = useAppStore((s) => s.targets);
  const load = useAppStore((s) => s.loadIncidentTargets);
  const add = useAppStore((s) => s.addIncidentTarget);
  const remove = useAppStore((s) => s.removeIncidentTarget);
  const [pick, setPick] = useState('');
  useEffect(() => void load(incident.id), [incident.id, load]);
  const closed = incident.status === 'closed';
  const addable = targets.filter((x) => !names.includes(x.name));
  return (
    <section className="incident-targets" aria-label={t('targets.affected')}>
      <header className="section-head">
        <h2>{t('targets.affected')}</h2>
      </header>
      {names.length === 0 ? (
        <p className="muted small" data-testid="incident-targets-empty">
          {t('targets.affectedNone')}
        </p>
      ) : (
        <ul>
          {names.map((name) => {
            const status = targets.find((x) => x.name === name)?.status;
            return (
              <li key={name} data-testid={`incident-target-${name}`}>
                <strong className="mono">{name}</strong>
                {status && <TargetState status={status} />}
                <button type="button" onClick={() => void remove(incident.id, name)} disabled={closed} data-testid={`incident-target-remove-${name}`}>
                  {t('targets.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {addable.length > 0 ? (
        <div className="target-add">
          <select value={pick} onChange={(e) => setPick(e.target.value)} disabled={closed} data-testid="incident-target-pick">
            <option value="">{t('targets.choose')}</option>
            {addable.map((x) => (
              <option key={x.name} value={x.name}>
                {x.name}
              </option>
            ))}
          </select>
          <button
            type="button"
            disabled={closed || !pick}
            onClick={() => {
              void add(incident.id, pick);
              setPick('');
            }}
            data-testid="incident-target-add"
          >
            {t('targets.addToIncident')}
          </button>
        </div>
      ) : (
        targets.length === 0 && <p className="muted small">{t('targets.noneInProfile')}</p>
      )}
    </section>
  );
}
