import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { GaugeRule, RulesConfig, Threshold } from '../../../../shared/monitor';
import { api } from '../../api';
import { useAppStore } from '../../store/store';
import { fieldErrors } from './field-errors';

type Draft = RulesConfig;
type Errors = { fields: Record<string, string>; other: string[] };
const NO_ERRORS: Errors = { fields: {}, other: [] };
const METRICS = ['cpu', 'memory', 'swap', 'disk'] as const;

/** '' → undefined (optional field left to the default); anything else a number (NaN is named by the boundary). */
const optionalNumber = (value: string, scale = 1) => (value.trim() === '' ? undefined : Math.round(Number(value) * scale));
const show = (ms: number | undefined, scale = 1000) => (ms === undefined ? '' : String(ms / scale));

function ThresholdInput({ value, onChange, error, testId }: { value: Threshold | undefined; onChange: (t: Threshold | undefined) => void; error?: string; testId: string }) {
  return (
    <span className={`threshold${error ? ' invalid' : ''}`}>
      <select value={value?.op ?? '>='} onChange={(e) => onChange({ value: value?.value ?? 0, op: e.target.value as Threshold['op'] })} aria-label="operator">
        <option value=">=">≥</option>
        <option value=">">&gt;</option>
      </select>
      <input
        value={value === undefined ? '' : String(value.value)}
        inputMode="decimal"
        onChange={(e) => onChange(e.target.value.trim() === '' ? undefined : { op: value?.op ?? '>=', value: Number(e.target.value) })}
        data-testid={testId}
        aria-invalid={error ? true : undefined}
      />
      <span className="muted">%</span>
      {error && <span className="field-error">{error}</span>}
    </span>
  );
}

export function RulesEditor() {
  const { t } = useTranslation();
  const view = useAppStore((s) => s.rulesView);
  const notify = useAppStore((s) => s.notify);
  const [draft, setDraft] = useState<Draft | undefined>(view?.rules);
  const [errors, setErrors] = useState<Errors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useEffect(() => {
    if (view && !draft) setDraft(view.rules);
  }, [view, draft]);
  if (!view || !draft) return null;

  const err = (path: string) => errors.fields[path];
  const rowErrors = (i: number) => Object.entries(errors.fields).filter(([k]) => k === `rules.${i}` || k.startsWith(`rules.${i}.`));
  const patchRule = (i: number, patch: Partial<GaugeRule> | ((r: GaugeRule) => GaugeRule)) =>
    setDraft((d) => d && { ...d, rules: d.rules.map((r, j) => (j !== i ? r : typeof patch === 'function' ? patch(r) : ({ ...r, ...patch } as GaugeRule))) });
  const setDefault = (key: keyof Draft['defaults'], value: number | undefined) => setDraft((d) => d && { ...d, defaults: { ...d.defaults, [key]: value as number } });
  const dirty = JSON.stringify(draft) !== JSON.stringify(view.rules);

  const save = async () => {
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const rules = await api.gauges.setRules(draft);
      useAppStore.getState().setRulesView({ ...view, rules });
      setDraft(rules);
      notify('info', t('monitor.rules.saved'));
    } catch (error) {
      setErrors(fieldErrors(error, ''));
    } finally {
      setBusy(false);
    }
  };
  const add = (kind: GaugeRule['kind']) => {
    const id = `${kind}.${draft.rules.length + 1}`;
    const rule: GaugeRule =
      kind === 'level'
        ? { id, kind, metric: 'cpu', enabled: true, warning: { value: 70, op: '>=' }, danger: { value: 85, op: '>' } }
        : { id, kind, metric: 'cpu', enabled: true, threshold: { value: 80, op: '>=' }, forMs: 5 * 60_000, level: 'danger' };
    setDraft({ ...draft, rules: [...draft.rules, rule] });
  };
  const problemCount = Object.keys(errors.fields).length + errors.other.length;

  return (
    <div className="rules-editor" data-testid="rules-editor">
      <p className="muted small">{t('monitor.rules.intro')}</p>
      <fieldset className="rule-defaults">
        <legend>{t('monitor.rules.defaults')}</legend>
        <label className={err('defaults.hysteresis') ? 'invalid' : undefined}>
          {t('monitor.rules.hysteresis')}
          <input value={String(draft.defaults.hysteresis ?? '')} onChange={(e) => setDefault('hysteresis', optionalNumber(e.target.value))} data-testid="rules-hysteresis" />
          {err('defaults.hysteresis') && <span className="field-error">{err('defaults.hysteresis')}</span>}
        </label>
        <label className={err('defaults.holdMs') ? 'invalid' : undefined}>
          {t('monitor.rules.holdS')}
          <input value={show(draft.defaults.holdMs)} onChange={(e) => setDefault('holdMs', optionalNumber(e.target.value, 1000))} />
          {err('defaults.holdMs') && <span className="field-error">{err('defaults.holdMs')}</span>}
        </label>
        <label className={err('defaults.confirmMs') ? 'invalid' : undefined}>
          {t('monitor.rules.confirmS')}
          <input value={show(draft.defaults.confirmMs)} onChange={(e) => setDefault('confirmMs', optionalNumber(e.target.value, 1000))} />
          {err('defaults.confirmMs') && <span className="field-error">{err('defaults.confirmMs')}</span>}
        </label>
      </fieldset>
      <table className="rules-table">
        <thead>
          <tr>
            <th>{t('monitor.rules.enabled')}</th>
            <th>{t('monitor.rules.id')}</th>
            <th>{t('monitor.rules.metric')}</th>
            <th>{t('monitor.rules.kind')}</th>
            <th>{t('monitor.rules.warning')}</th>
            <th>{t('monitor.rules.danger')}</th>
            <th>{t('monitor.rules.perRule')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {draft.rules.map((rule, i) => (
            <tr key={i} data-testid={`rule-${rule.id}`} className={rowErrors(i).length ? 'invalid-row' : undefined}>
              <td>
                <input type="checkbox" checked={rule.enabled} onChange={(e) => patchRule(i, { enabled: e.target.checked })} aria-label={t('monitor.rules.enabled')} />
              </td>
              <td className={err(`rules.${i}.id`) ? 'invalid' : undefined}>
                <input value={rule.id} onChange={(e) => patchRule(i, { id: e.target.value })} className="rule-id" />
                {err(`rules.${i}.id`) && <span className="field-error">{err(`rules.${i}.id`)}</span>}
              </td>
              <td>
                <select value={rule.metric} onChange={(e) => patchRule(i, { metric: e.target.value as GaugeRule['metric'] })}>
                  {METRICS.map((m) => (
                    <option key={m} value={m}>
                      {t(`monitor.rules.metrics.${m}`)}
                    </option>
                  ))}
                </select>
              </td>
              <td>{t(`monitor.rules.kinds.${rule.kind}`)}</td>
              {rule.kind === 'level' ? (
                <>
                  <td>
                    <ThresholdInput testId={`rule-${rule.id}-warning`} value={rule.warning} error={err(`rules.${i}.warning.value`) ?? err(`rules.${i}.warning`)} onChange={(w) => patchRule(i, (r) => ({ ...r, warning: w }) as GaugeRule)} />
                  </td>
                  <td>
                    <ThresholdInput testId={`rule-${rule.id}-danger`} value={rule.danger} error={err(`rules.${i}.danger.value`) ?? err(`rules.${i}.danger`)} onChange={(d) => patchRule(i, (r) => ({ ...r, danger: d }) as GaugeRule)} />
                  </td>
                </>
              ) : (
                <>
                  <td>
                    <span className="muted small">{t('monitor.rules.threshold')} </span>
                    <ThresholdInput testId={`rule-${rule.id}-threshold`} value={rule.threshold} error={err(`rules.${i}.threshold.value`)} onChange={(th) => patchRule(i, (r) => ({ ...r, threshold: th ?? { value: Number.NaN, op: '>=' } }) as GaugeRule)} />
                    <span className={`sustained-for${err(`rules.${i}.forMs`) ? ' invalid' : ''}`}>
                      {t('monitor.rules.forMin')}{' '}
                      <input value={show(rule.forMs, 60_000)} onChange={(e) => patchRule(i, { forMs: optionalNumber(e.target.value, 60_000) ?? Number.NaN } as Partial<GaugeRule>)} />
                      {err(`rules.${i}.forMs`) && <span className="field-error">{err(`rules.${i}.forMs`)}</span>}
                    </span>
                  </td>
                  <td>
                    <span className="muted small">{t('monitor.rules.raises')} </span>
                    <select value={rule.level} onChange={(e) => patchRule(i, { level: e.target.value as 'warning' | 'danger' } as Partial<GaugeRule>)} aria-label={t('monitor.rules.raises')}>
                      <option value="warning">{t('monitor.level.warning')}</option>
                      <option value="danger">{t('monitor.level.danger')}</option>
                    </select>
                  </td>
                </>
              )}
              <td className="per-rule">
                <input value={show(rule.confirmMs)} placeholder={t('monitor.rules.inherit')} onChange={(e) => patchRule(i, { confirmMs: optionalNumber(e.target.value, 1000) })} aria-label={t('monitor.rules.confirmS')} className={err(`rules.${i}.confirmMs`) ? 'invalid-input' : undefined} />
                <input value={show(rule.holdMs)} placeholder={t('monitor.rules.inherit')} onChange={(e) => patchRule(i, { holdMs: optionalNumber(e.target.value, 1000) })} aria-label={t('monitor.rules.holdS')} className={err(`rules.${i}.holdMs`) ? 'invalid-input' : undefined} />
                {(err(`rules.${i}`) ?? err(`rules.${i}.confirmMs`) ?? err(`rules.${i}.holdMs`)) && <span className="field-error">{err(`rules.${i}`) ?? err(`rules.${i}.confirmMs`) ?? err(`rules.${i}.holdMs`)}</span>}
              </td>
              <td>
                <button type="button" onClick={() => setDraft({ ...draft, rules: draft.rules.filter((_, j) => j !== i) })}>
                  {t('monitor.rules.remove')}
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {problemCount > 0 && (
        <p className="error-text" role="alert" data-testid="rules-errors">
          {t('monitor.rules.invalid', { count: problemCount })} {errors.other.join('; ')}
        </p>
      )}
      <div className="toolbar">
        <button type="button" onClick={() => add('level')}>
          {t('monitor.rules.addLevel')}
        </button>
        <button type="button" onClick={() => add('sustained')}>
          {t('monitor.rules.addSustained')}
        </button>
        <span className="spacer" />
        <button type="button" onClick={() => setDraft(view.defaults)} data-testid="rules-restore">
          {t('monitor.rules.restore')}
        </button>
        <button type="button" onClick={() => (setDraft(view.rules), setErrors(NO_ERRORS))} disabled={!dirty}>
          {t('monitor.rules.discard')}
        </button>
        <button type="button" className="primary" onClick={() => void save()} disabled={busy || !dirty} data-testid="rules-save">
          {t('monitor.rules.save')}
        </button>
      </div>
    </div>
  );
}
