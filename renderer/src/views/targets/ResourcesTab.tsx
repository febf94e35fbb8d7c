import { useEffect } from 'react';
import type { IncidentView } from '../../../../shared/domain';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { useAppStore } from '../../store/store';
import { Gauges } from '../system/Gauges';
import { HistoryTab } from '../system/HistoryTab';
import { GaugeSourcePicker } from './GaugeSourcePicker';

const NONE: readonly string[] = [];

/** The incident's Resources tab: this laptop's history, or the live gauges of one of the incident's targets. */
export function ResourcesTab({ incident }: { readonly incident: IncidentView }) {
  const names = useAppStore((s) => s.incidentTargets[incident.id] ?? NONE);
  const load = useAppStore((s) => s.loadIncidentTargets);
  const source = useAppStore((s) => s.gaugeSource);
  useEffect(() => void load(incident.id), [incident.id, load]);
  return (
    <section>
      <GaugeSourcePicker names={names} />
      {source !== LOCAL_TARGET && names.includes(source) ? <Gauges /> : <HistoryTab incident={incident} />}
    </section>
  );
}
