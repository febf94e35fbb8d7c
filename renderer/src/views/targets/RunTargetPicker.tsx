import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import type { RunView } from '../../../../shared/runbook-runs';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { useAppStore } from '../../store/store';

const NONE: readonly string[] = [];

/** Where a run's steps are typed: this laptop or one of the incident's targets (a step marked local stays on the laptop). */
export function RunTargetPicker({ run, disabled }: { readonly run: RunView; readonly disabled: boolean }) {
  const { t } = useTranslation();
  const names = useAppStore((s) => s.incidentTargets[run.incidentId] ?? NONE);
  const load = useAppStore((s) => s.loadIncidentTargets);
  const current = useAppStore((s) => s.runTargets[run.id] ?? LOCAL_TARGET);
  const set = useAppStore((s) => s.setRunTarget);
  useEffect(() => void load(run.incidentId), [run.incidentId, load]);
  if (names.length === 0) return null;
  return (
    <label className="source-picker small">
      {t('targets.runsOn')}
      <select value={names.includes(current) ? current : LOCAL_TARGET} onChange={(e) => set(run.id, e.target.value)} disabled={disabled} data-testid="run-target">
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
