import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import type { RescoreProposalView } from '../../../../shared/channels/risks';
import type { RiskView } from '../../../../shared/risks';
import { api, errorMessage, onEvent } from '../../api';
import { useAppStore } from '../../store/store';
import { HeatMap, useRisks } from './RisksScreen';
import { useLocalized } from './localized';

function Proposal({ incidentId, proposal }: { readonly incidentId: number; readonly proposal: RescoreProposalView }) {
  const { t } = useTranslation();
  const notify = useAppStore((s) => s.notify);
  const [reason, setReason] = useState(proposal.reason);
  const apply = async () => {
    try {
      const record = await api.risks.rescore({
        risk: proposal.risk,
        impact: proposal.proposed.impact,
        probability: proposal.proposed.probability,
        reason,
        context: 'postmortem',
        incidentId,
      });
      notify('info', t('risks.rescored', { id: record.risk, from: record.from.score, to: record.to.score }));
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  const fmt = (s: RescoreProposalView['current']) => `${s.impact}×${s.probability}=${s.score}`;
  return (
    <li data-testid={`proposal-${proposal.risk}`}>
      {t('risks.proposal', { id: proposal.risk, title: proposal.title, from: fmt(proposal.current), to: fmt(proposal.proposed) })}{' '}
      <label>
        {t('risks.reason')} <input value={reason} onChange={(e) => setReason(e.target.value)} data-testid={`proposal-reason-${proposal.risk}`} />
      </label>{' '}
      <button type="button" onClick={() => void apply()} disabled={!reason.trim() || proposal.proposed.score === proposal.current.score} data-testid={`apply-rescore-${proposal.risk}`}>
        {t('risks.applyRescore')}
      </button>
    </li>
  );
}

/** The incident's realised risks (postmortem): link them, see the proposed re-scores, record them. */
export function IncidentRisksTab({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const loc = useLocalized();
  const notify = useAppStore((s) => s.notify);
  const { view } = useRisks();
  const [linked, setLinked] = useState<{ risks: readonly RiskView[]; proposals: readonly RescoreProposalView[] } | null>(null);
  const [choice, setChoice] = useState('');
  const load = useCallback(() => {
    api.risks.forIncident({ incidentId: incident.id }).then(setLinked, (e: unknown) => notify('error', errorMessage(e)));
  }, [incident.id, notify]);
  useEffect(() => {
    load();
    return onEvent('risks.changed', load);
  }, [load]);
  const link = async () => {
    if (!choice) return;
    try {
      await api.risks.link({ incidentId: incident.id, risk: choice });
      notify('info', t('risks.linked', { id: choice }));
    } catch (error) {
      notify('error', errorMessage(error));
    }
  };
  return (
    <section className="incident-risks" data-testid="incident-risks">
      <h3>{t('risks.realised')}</h3>
      {linked && linked.risks.length === 0 && <p className="muted">{t('risks.noneRealised')}</p>}
      <ul>
        {linked?.risks.map((r) => (
          <li key={r.id}>
            {r.id} {loc(r.title)} — {r.impact}×{r.probability}={r.score}
          </li>
        ))}
      </ul>
      <div className="risk-actions">
        <select value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="risk-link-select" aria-label={t('risks.link')}>
          <option value="">—</option>
          {view?.risks.map((r) => (
            <option key={r.id} value={r.id}>
              {r.id} {loc(r.title)}
            </option>
          ))}
        </select>
        <button type="button" onClick={() => void link()} disabled={!choice} data-testid="risk-link">
          {t('risks.link')}
        </button>
      </div>
      {linked && linked.proposals.length > 0 && (
        <>
          <h3>{t('risks.proposals')}</h3>
          <ul>
            {linked.proposals.map((p) => (
              <Proposal key={p.risk} incidentId={incident.id} proposal={p} />
            ))}
          </ul>
        </>
      )}
      {view && <HeatMap risks={view.risks} />}
    </section>
  );
}
