import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { useAppStore } from '../../store/store';

const NONE: readonly string[] = [];

/** Where a runbook about to start will type its steps (saved with the run); hidden while the incident has no targets. */
export function StartTargetPicker({ incidentId, value, onChange }: { readonly incidentId: number; readonly value: string; readonly onChange: (target: string) => void }) {
  const { t } = useTranslation();
  const names = useAppStore((s) => s.incidentTargets[incidentId] ?? NONE);
  const load = useAppStore((s) => s.loadIncidentTargets);
  useEffect(() => void load(incidentId), [incidentId, load]);
  if (names.length === 0) return null;
  return (
    <label className="source-picker small">
      {t('targets.runsOn')}
      <select value={names.includes(value) ? value : LOCAL_TARGET} onChange={(e) => onChange(e.target.value)} data-testid="start-target">
        <option value={LOCAL_TARGET}>{t('targets.thisLaptop')}</option>
        {names.map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
