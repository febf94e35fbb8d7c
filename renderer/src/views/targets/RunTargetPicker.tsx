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
  const set = useAppStore((s) => s.setRunTarget);
  useEffect(() => void load(run.incidentId), [run.incidentId, load]);
  if (names.length === 0 && run.target === LOCAL_TARGET) return null;
  return (
    <label className="source-picker small">
      {t('targets.runsOn')}
      <select value={run.target} onChange={(e) => void set(run.id, e.target.value)} disabled={disabled} data-testid="run-target">
        <option value={LOCAL_TARGET}>{t('targets.thisLaptop')}</option>
        {/* A target since removed from the incident still shows where the run was. */}
        {(names.includes(run.target) || run.target === LOCAL_TARGET ? names : [...names, run.target]).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
    </label>
  );
}
