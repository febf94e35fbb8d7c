import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store';
import { Alerts } from './Alerts';
import { Gauges } from './Gauges';
import { Probes } from './Probes';
import { RulesEditor } from './RulesEditor';
import { ServiceMetrics } from './ServiceMetrics';
import { GaugeSourcePicker } from '../targets/GaugeSourcePicker';
import './system.css';

const SECTIONS = ['gauges', 'probes', 'rules'] as const;
type Section = (typeof SECTIONS)[number];

/** Live resources, service probes, threshold rules and the alerts they raise. */
export function SystemScreen() {
  const { t } = useTranslation();
  const [section, setSection] = useState<Section>('gauges');
  const running = useAppStore((s) => s.alerts?.running);
  const error = useAppStore((s) => s.monitorError);
  return (
    <main className="system" aria-label={t('monitor.screen')}>
      <Alerts />
      {running === false && <p className="muted small notice">{t('monitor.notRunning')}</p>}
      {error && <p className="error-text">{error}</p>}
      <nav className="tabs" role="tablist">
        {SECTIONS.map((s) => (
          <button key={s} type="button" role="tab" aria-selected={s === section} className={s === section ? 'tab on' : 'tab'} onClick={() => setSection(s)} data-testid={`system-tab-${s}`}>
            {t(`monitor.sections.${s}`)}
          </button>
        ))}
        <span className="muted small tabs-note">{section === 'gauges' ? t('monitor.gauges.window') : ''}</span>
      </nav>
      {section === 'gauges' && (
        <>
          <GaugeSourcePicker />
          <Gauges />
          <ServiceMetrics />
        </>
      )}
      {section === 'probes' && <Probes />}
      {section === 'rules' && <RulesEditor />}
    </main>
  );
}
