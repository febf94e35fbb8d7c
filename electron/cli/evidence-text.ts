// One-line descriptions of evidence custody entries for `firebreak timeline` (the full
// data, hashes included, is in `--json`).

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

export function describeEvidenceEntry(kind: string, d: Readonly<Record<string, unknown>>): string {
  const artifacts = Array.isArray(d.artifacts) ? (d.artifacts as Array<Record<string, unknown>>) : [];
  switch (kind) {
    case 'evidence.collected': {
      const names = artifacts.slice(0, 3).map((a) => `${String(a.name)} (${String(a.sha256 ?? a.status).slice(0, 12)})`);
      const more = artifacts.length > 3 ? `, +${artifacts.length - 3} more` : '';
      const warnings = Number(d.warnings ?? 0);
      const state = d.final ? `, collection ${String(d.status)}${d.status === 'complete' && warnings > 0 ? ` with ${plural(warnings, 'warning')}` : ''}` : '';
      return `evidence collected (#${String(d.collectionId)} ${String(d.collector)}): ${plural(artifacts.length, 'artifact')}${names.length ? ` — ${names.join(', ')}${more}` : ''}${state}`;
    }
    case 'evidence.viewed':
      return d.search !== undefined ? `evidence searched: ${String(d.name)} for /${String(d.search)}/ (${plural(Number(d.matches ?? 0), 'match')})` : `evidence viewed: ${String(d.name)}`;
    case 'evidence.exported':
      return `evidence exported (${String(d.format)}) to ${String(d.path)}; tag manifest sha256 ${String(d.tagManifestSha256)}`;
    case 'evidence.verified':
      return `evidence ${d.target === 'bag' ? `bag ${String(d.path)}` : 'store'} verified: ${d.ok ? 'intact' : `${plural(Number(d.failureCount ?? 0), 'mismatch')}`}`;
    case 'evidence.collection-incomplete':
      return `evidence collection #${String(d.collectionId)} (${String(d.collector)}) incomplete: its process stopped; ${plural(Number(d.committedArtifacts ?? 0), 'artifact')} committed before that are intact`;
    case 'evidence.retracted':
      return `evidence retracted: ${String(d.name)} — ${String(d.reason)}`;
    default:
      return `${kind}: ${JSON.stringify(d)}`;
  }
}
