import type { QueryResult } from '../../../shared/metrics';

/** The part of the evidence service a saved query needs. */
export interface QueryEvidenceStore {
  storeTranscript(
    incidentId: number,
    request: { name: string; data: Buffer; producer: string; params?: Readonly<Record<string, unknown>>; mediaType?: string },
  ): Promise<{ artifacts: readonly { sha256: string | null }[] }>;
}

/**
 * Keeps a query's result as evidence: the JSON names the query, the source and the time
 * range, and so do the custody record's params, so the evidence says what was asked of whom.
 */
export async function saveQueryEvidence(store: QueryEvidenceStore, incidentId: number, result: QueryResult): Promise<{ result: QueryResult; sha256: string | null }> {
  const stamp = new Date(result.to).toISOString().replace(/[:.]/g, '-');
  const document = {
    query: result.query,
    source: result.source,
    kind: result.kind,
    from: new Date(result.from).toISOString(),
    to: new Date(result.to).toISOString(),
    stepMs: result.stepMs,
    series: result.series,
  };
  const stored = await store.storeTranscript(incidentId, {
    name: `promql-${result.source}-${stamp}.json`,
    data: Buffer.from(`${JSON.stringify(document, null, 2)}\n`),
    producer: `metrics query (${result.source})`,
    params: { query: result.query, source: result.source, kind: result.kind, from: document.from, to: document.to, stepMs: result.stepMs },
    mediaType: 'application/json',
  });
  return { result, sha256: stored.artifacts[0]?.sha256 ?? null };
}
