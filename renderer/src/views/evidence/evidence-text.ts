import type { TFunction } from 'i18next';

/** Readable text of an evidence custody entry on the timeline (hashes stay in the entry's data). */
export function describeEvidence(kind: string, d: Readonly<Record<string, unknown>>, t: TFunction): string {
  const s = (key: string) => String(d[key] ?? '');
  const artifacts = Array.isArray(d.artifacts) ? (d.artifacts as Array<Record<string, unknown>>) : [];
  const result = () => (d.ok ? t('evidence.entry.intact') : t('evidence.entry.mismatches', { count: Number(d.failureCount ?? 0) }));
  switch (kind) {
    case 'evidence.collected': {
      const shown = artifacts.slice(0, 3).map((a) => String(a.name).split('/').pop());
      const names = shown.length ? `: ${shown.join(', ')}${artifacts.length > 3 ? ` +${artifacts.length - 3}` : ''}` : '';
      const warnings = Number(d.warnings ?? 0);
      const state = !d.final
        ? ''
        : d.status === 'complete' && warnings > 0
          ? t('evidence.entry.collectedWarnings', { count: warnings })
          : t('evidence.entry.collectedState', { status: t(`evidence.collectionStatus.${s('status')}`, { defaultValue: s('status') }) });
      return t('evidence.entry.collected', { collector: s('collector'), id: s('collectionId'), count: artifacts.length, names, state });
    }
    case 'evidence.viewed':
      return d.search !== undefined ? t('evidence.entry.searched', { name: s('name'), pattern: s('search'), count: Number(d.matches ?? 0) }) : t('evidence.entry.viewed', { name: s('name') });
    case 'evidence.exported':
      return t('evidence.entry.exported', { format: t(`evidence.entry.exportFormats.${s('format')}`, { defaultValue: s('format') }), path: s('path'), hash: s('tagManifestSha256').slice(0, 16) });
    case 'evidence.verified':
      return d.target === 'bag' ? t('evidence.entry.verifiedBag', { path: s('path'), result: result() }) : t('evidence.entry.verifiedStore', { result: result() });
    case 'evidence.collection-incomplete':
      return t('evidence.entry.incomplete', { id: s('collectionId'), collector: s('collector'), count: Number(d.committedArtifacts ?? 0) });
    case 'evidence.retracted':
      return t('evidence.entry.retracted', { name: s('name'), reason: s('reason') });
    default:
      return `${kind} ${JSON.stringify(d)}`;
  }
}
