import { useCallback, useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { readHashSelection, useShortcut, writeHashSelection } from './hooks';
import { useAppStore } from './store/store';
import { IncidentView } from './views/incident/IncidentView';
import { IncidentList } from './views/incidents/IncidentList';
import { NewIncidentDialog } from './views/incidents/NewIncidentDialog';

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

function Welcome() {
  const { t } = useTranslation();
  const hasIncidents = useAppStore((s) => s.incidents.length > 0);
  return (
    <div className="empty main-empty">
      <h2>{hasIncidents ? t('welcome.pick') : t('welcome.title')}</h2>
      <p>{t('welcome.body')}</p>
      <ul className="shortcuts">
        <li>
          <kbd>N</kbd> {t('welcome.keyNew')}
        </li>
        <li>
          <kbd>/</kbd> {t('welcome.keySearch')}
        </li>
        <li>
          <kbd>Ctrl</kbd>+<kbd>Enter</kbd> {t('welcome.keyNote')}
        </li>
      </ul>
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
        <span className="muted small">{appInfo ? `${appInfo.user}@${appInfo.host}` : ''}</span>
        <span className={`connection connection-${connection}`} data-testid="connection">
          {t(`connection.${connection}`)}
        </span>
        <button type="button" className="primary" onClick={() => openNew(true)} data-testid="new-incident" title={t('welcome.keyNew')}>
          {t('actions.newIncident')} <kbd>N</kbd>
        </button>
      </header>
      <div className="layout">
        <IncidentList />
        {selectedId === undefined ? <Welcome /> : <IncidentView incidentId={selectedId} />}
      </div>
      <NewIncidentDialog />
      <Toasts />
    </div>
  );
}
