import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { EscalationPolicyView } from '../../../../shared/escalation';
import { SEVERITIES } from '../../../../shared/severity';
import { api, errorMessage } from '../../api';

/**
 * The escalation policy in force (seed 004's three levels, update cadence and no-progress
 * times), read from the operator's escalation-policy.yaml; edited in that file or with
 * `firebreak escalation-policy --cadence`, and a file that does not validate is named here.
 */
export function PolicyPanel() {
  const { t, i18n } = useTranslation();
  const [view, setView] = useState<EscalationPolicyView | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    api.escalation.policy().then(setView, (e: unknown) => setError(errorMessage(e)));
  }, []);
  const ja = i18n.language.startsWith('ja');
  return (
    <section data-testid="escalation-policy">
      <h2>{t('contacts.policy')}</h2>
      {error && <p className="error-text">{error}</p>}
      {view && (
        <>
          <p className="meta">{t('contacts.policyFile', { path: view.path ?? '—' })}</p>
          {view.error && (
            <p className="error-text" role="alert" data-testid="escalation-policy-file-error">
              {t('escalation.policyError', { error: view.error })}
            </p>
          )}
          <table className="contacts-table">
            <tbody>
              {view.policy.levels.map((l) => (
                <tr key={l.level}>
                  <td>L{l.level}</td>
                  <td>{ja ? l.nameJa : l.name}</td>
                  <td>{t(`contacts.cover.${l.cover}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <table className="contacts-table">
            <thead>
              <tr>
                <th />
                <th>{t('contacts.cadence')}</th>
                <th>{t('contacts.noProgress')}</th>
              </tr>
            </thead>
            <tbody>
              {SEVERITIES.map((s) => (
                <tr key={s}>
                  <td>{t(`severity.${s}.label`)}</td>
                  <td>{t('contacts.minutes', { count: view.policy.updateCadenceMinutes[s] })}</td>
                  <td>{t('contacts.minutes', { count: view.policy.noProgressMinutes[s] })}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
