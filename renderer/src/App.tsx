import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSelect } from './components/LanguageSelect';
import { TeamIndicator } from './components/TeamIndicator';
import { readHashSelection, useShortcut, writeHashSelection } from './hooks';
import { useAppStore } from './store/store';
import { NewIncidentDialog } from './views/incidents/NewIncidentDialog';
import { RiskAlerts } from './views/risks/RiskAlerts';
import { SCREENS } from './views/screens';

function Toasts() {
  const toasts = useAppStore((s) => s.toasts);
  const dismiss = useAppStore((s) => s.dismiss);
  return (
    <div className="toasts" role="status" aria-live="polite">
      {toasts.map((toast) => (
        <button key={toast.id} type="button" className={`toast toast-${toast.kind}`} onClick={() => dismiss(toast.id)}>
          {toast.message}
        </button>
      ))}
    </div>
  );
}

export function App() {
  const { t } = useTranslation();
  const selectedId = useAppStore((s) => s.selectedId);
  const select = useAppStore((s) => s.select);
  const connection = useAppStore((s) => s.connection);
  const appInfo = useAppStore((s) => s.appInfo);
  const openNew = useAppStore((s) => s.setNewIncidentOpen);
  const screenId = useAppStore((s) => s.screen);
  const setScreen = useAppStore((s) => s.setScreen);
  const screen = SCREENS.find((s) => s.id === screenId) ?? SCREENS[0]!;

  useEffect(() => {
    select(readHashSelection());
    const onHash = () => select(readHashSelection());
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [select]);
  useEffect(() => writeHashSelection(selectedId), [selectedId]);
  useShortcut('n', useCallback(() => openNew(true), [openNew]));
  useShortcut('N', useCallback(() => openNew(true), [openNew]));

  return (
    <div className="app">
      <header className="topbar">
        <button type="button" className="brand" onClick={() => select(undefined)}>
          Firebreak
        </button>
        {SCREENS.length > 1 && (
          <nav className="screens">
            {SCREENS.map((s) => (
              <button
                key={s.id}
                type="button"
                className={s.id === screen.id ? 'tab on' : 'tab'}
                aria-current={s.id === screen.id ? 'page' : undefined}
                onClick={() => setScreen(s.id)}
                data-testid={`screen-${s.id}`}
              >
                {t(s.label)}
              </button>
            ))}
          </nav>
        )}
        <span className="muted small">{appInfo ? `${appInfo.user}@${appInfo.host}` : ''}</span>
        <TeamIndicator />
        <LanguageSelect />
        <span className={`connection connection-${connection}`} data-testid="connection">
          {t(`connection.${connection}`)}
        </span>
        <button type="button" className="primary" onClick={() => openNew(true)} data-testid="new-incident" title={t('welcome.keyNew')}>
          {t('actions.newIncident')} <kbd>N</kbd>
        </button>
      </header>
      <screen.Component />
      <NewIncidentDialog />
      <RiskAlerts />
      <Toasts />
    </div>
  );
}
