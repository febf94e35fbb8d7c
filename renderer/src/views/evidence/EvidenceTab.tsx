import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IncidentView } from '../../../../shared/domain';
import type { ArtifactRecord } from '../../../../shared/evidence';
import { useAppStore } from '../../store/store';
import { ArtifactTable } from './ArtifactTable';
import { Collectors, ResultLine } from './Collectors';
import { ExportVerify } from './ExportVerify';
import { Preview } from './Preview';
import { RemoteCollect } from '../targets/RemoteCollect';
import './evidence.css';

/**
 * The incident's evidence: collect (each file hashed as it is copied into the incident's
 * read-only store), see what was stored and how, preview text, verify, export a BagIt bag.
 */
export function EvidenceTab({ incident }: { readonly incident: IncidentView }) {
  const { t } = useTranslation();
  const listing = useAppStore((s) => s.evidence[incident.id]);
  const loadError = useAppStore((s) => s.evidenceError[incident.id]);
  const last = useAppStore((s) => s.lastCollection[incident.id]);
  const load = useAppStore((s) => s.loadEvidence);
  const [selected, setSelected] = useState<ArtifactRecord>();

  useEffect(() => {
    void load(incident.id);
    setSelected(undefined);
  }, [incident.id, load]);

  // Newest first (the service's order): what was just collected is what the responder looks for.
  const total = listing?.total ?? 0;
  return (
    <section className="evidence-tab" aria-label={t('evidence.tab')}>
      <Collectors incidentId={incident.id} disabled={incident.status === 'closed'} />
      <RemoteCollect incidentId={incident.id} disabled={incident.status === 'closed'} />
      {last && <ResultLine result={last} />}
      <ExportVerify incidentId={incident.id} hasEvidence={total > 0} />
      <header className="section-head">
        <h2>{t('evidence.artifacts')}</h2>
        {listing && <span className="muted small">{total}</span>}
      </header>
      {loadError && (
        <p className="error-text" role="alert">
          {t('evidence.loadFailed', { error: loadError })}
        </p>
      )}
      {selected && (
        <Preview
          artifact={selected}
          onClose={() => setSelected(undefined)}
          onRetracted={(artifact) => {
            setSelected(artifact);
            void load(incident.id);
          }}
        />
      )}
      {!listing ? (
        !loadError && <p className="muted">{t('common.loading')}</p>
      ) : total === 0 ? (
        <p className="muted empty-evidence" data-testid="evidence-empty">
          {t('evidence.empty')}
        </p>
      ) : (
        <ArtifactTable incidentId={incident.id} view={listing} selectedId={selected?.id} onSelect={setSelected} />
      )}
    </section>
  );
}
