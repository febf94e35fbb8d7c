import { useTranslation } from 'react-i18next';
import { useAppStore } from '../../store/store';
import { IncidentView } from '../incident/IncidentView';
import { IncidentList } from './IncidentList';

function Welcome() {
  const { t } = useTranslation();
  const hasIncidents = useAppStore((s) => s.incidentList.total > 0);
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

/** The incident log: the list on the left, the selected incident (or a welcome) on the right. */
export function IncidentsScreen() {
  const selectedId = useAppStore((s) => s.selectedId);
  return (
    <div className="layout">
      <IncidentList />
      {selectedId === undefined ? <Welcome /> : <IncidentView incidentId={selectedId} />}
    </div>
  );
}
