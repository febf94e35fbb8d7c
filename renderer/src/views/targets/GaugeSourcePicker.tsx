import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { useAppStore } from '../../store/store';
import './targets.css';

/**
 * "This laptop" or a target, for the resource views. `names` limits the choice (the
 * incident's targets); without it every profile target is offered.
 */
export function GaugeSourcePicker({ names }: { readonly names?: readonly string[] }) {
  const { t } = useTranslation();
  const source = useAppStore((s) => s.gaugeSource);
  const setSource = useAppStore((s) => s.setGaugeSource);
  const all = useAppStore((s) => s.targets);
  const choices = names ?? all.map((x) => x.name);
  // A target that left the list (removed, or not on this incident) falls back to the laptop.
  useEffect(() => {
    if (source !== LOCAL_TARGET && !choices.includes(source)) void setSource(LOCAL_TARGET);
  }, [source, choices, setSource]);
  return (
    <label className="source-picker small">
      {t('targets.source')}
      <select value={choices.includes(source) ? source : LOCAL_TARGET} onChange={(e) => void setSource(e.target.value)} data-testid="gauge-source">
        <option value={LOCAL_TARGET}>{t('targets.thisLaptop')}</option>
        {choices.map((name) => (
          <option key={name} value={name}>
            {name}
          </option>
        ))}
      </select>
    </label>
  );
}
