import { useCallback, useEffect, useState } from 'react';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { api, errorMessage } from '../../api';
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
  useEffect(() => void load(incident.id), [incident.id, load]);
  const closed = incident.status === 'closed';
  // This laptop is always a choice: an incident about it receives its gauge alerts.
  const addable = [LOCAL_TARGET, ...targets.map((x) => x.name)].filter((name) => !names.includes(name));
  const label = (name: string) => (name === LOCAL_TARGET ? t('targets.thisLaptop') : name);
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
                <strong className="mono">{label(name)}</strong>
                {status && <TargetState status={status} />}
                <button type="button" onClick={() => void remove(incident.id, name)} disabled={closed} data-testid={`incident-target-remove-${name}`}>
                  {t('targets.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      {addable.length > 0 && (
        <MachinePicker choices={addable} label={label} disabled={closed} action={t('targets.addToIncident')} onPick={(name) => void add(incident.id, name)} testId="incident-target" />
      )}
      {targets.length === 0 && <p className="muted small">{t('targets.noneInProfile')}</p>}
      <AlertPins incident={incident} machines={[LOCAL_TARGET, ...targets.map((x) => x.name)]} label={label} />
    </section>
  );
}

/**
 * Machines whose alerts go to this incident although it does not list them as affected
 * (the incident's targets always receive theirs). Pinning and unpinning are timeline entries.
 */
function AlertPins({ incident, machines, label }: { readonly incident: IncidentView; readonly machines: readonly string[]; readonly label: (name: string) => string }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const [pins, setPins] = useState<readonly string[]>(NONE);
  const reload = useCallback(
    () =>
      api.targets.alertPins({ incidentId: incident.id }).then(
        (list) => setPins(list),
        (error: unknown) => notify('error', errorMessage(error)),
      ),
    [incident.id, notify],
  );
  useEffect(() => void reload(), [reload]);
  const change = async (action: 'pin' | 'unpin', name: string) => {
    try {
      if (action === 'pin') await api.targets.pinAlerts({ incidentId: incident.id, name });
      else await api.targets.unpinAlerts({ incidentId: incident.id, name });
    } catch (error) {
      notify('error', errorMessage(error));
    }
    await reload();
  };
  const closed = incident.status === 'closed';
  const pinnable = machines.filter((m) => !pins.includes(m));
  return (
    <div className="alert-pins" data-testid="alert-pins">
      <h3>{t('targets.alertPins')}</h3>
      <p className="muted small">{t('targets.alertPinsHint')}</p>
      {pins.length > 0 && (
        <ul>
          {pins.map((name) => (
            <li key={name} data-testid={`alert-pin-${name}`}>
              <strong className="mono">{label(name)}</strong>
              <button type="button" onClick={() => void change('unpin', name)} disabled={closed} data-testid={`alert-unpin-${name}`}>
                {t('targets.unpinAlerts')}
              </button>
            </li>
          ))}
        </ul>
      )}
      {pinnable.length > 0 && (
        <MachinePicker choices={pinnable} label={label} disabled={closed} action={t('targets.pinAlerts')} onPick={(name) => void change('pin', name)} testId="alert-pin" />
      )}
    </div>
  );
}

/** A choice of machines and one button acting on the chosen one (`${testId}-pick`, `${testId}-add`). */
function MachinePicker(props: {
  readonly choices: readonly string[];
  readonly label: (name: string) => string;
  readonly disabled: boolean;
  readonly action: string;
  readonly onPick: (name: string) => void;
  readonly testId: string;
}) {
  const { t } = useTranslation();
  const [pick, setPick] = useState('');
  return (
    <div className="target-add">
      <select value={pick} onChange={(e) => setPick(e.target.value)} disabled={props.disabled} data-testid={`${props.testId}-pick`}>
        <option value="">{t('targets.choose')}</option>
        {props.choices.map((name) => (
          <option key={name} value={name}>
            {props.label(name)}
          </option>
        ))}
      </select>
      <button
        type="button"
        disabled={props.disabled || !pick}
        onClick={() => {
          props.onPick(pick);
          setPick('');
        }}
        data-testid={`${props.testId}-add`}
      >
        {props.action}
      </button>
    </div>
  );
}
