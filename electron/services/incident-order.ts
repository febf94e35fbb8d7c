import { SEVERITIES, SEVERITY_TARGETS } from '../../shared/severity';

// The urgency order of shared/urgency.ts written in SQL, so incidents.page sorts light
// columns inside SQLite and builds only the rows of the page it returns (issue 19). The order
// depends on the SLA clocks at `now`, so no index can hold it; SQLite's top-N sort keeps only
// offset + limit keys while it scans, and the filters use the table's indexes as before.
//
// Keys, as sortByUrgency computes them:
// - done (resolved/closed) after open; done ones newest detection first;
// - open ones by severity rank, then slack = min over running clocks of remaining/target
//   (no running clock: after every running one), then the oldest detection;
// - the id last, so equal keys page the same way on every call.
// Both clocks of an open incident end now, so they share one elapsed time e; while both run,
// (response - e) / response ≤ (recovery - e) / recovery (the response target is the shorter),
// so the slack is the fraction of the one clock that decides: response until acknowledged,
// then recovery until mitigated.

/** An ISO time as epoch ms, rounded like Date.parse (SQLite keeps times in whole ms). */
const ms = (expr: string) => `CAST(ROUND(unixepoch(${expr}, 'subsec') * 1000) AS INTEGER)`;

const bySeverity = (pick: (severity: (typeof SEVERITIES)[number]) => number) =>
  `CASE severity ${SEVERITIES.map((s) => `WHEN '${s}' THEN ${pick(s)}`).join(' ')} END`;

/**
 * The ids matching `where` (over table `incidents`, unaliased), most urgent first, from
 * `offset`, at most `limit`. Anonymous parameters for the where clause, then named ones:
 * now, offset and limit.
 */
export function urgencyPageSql(where: string): string {
  const detected = ms('incidents.detected_at');
  // computeSlaClock: end = max(now, start); pauses count only inside [start, end].
  const until = `MAX(@now, ${detected})`;
  return `
    SELECT id FROM (
      SELECT id, done, rnk, detected, target, MAX(0, until - detected - paused) AS e FROM (
        SELECT id,
          status IN ('resolved', 'closed') AS done,
          ${bySeverity((s) => SEVERITY_TARGETS[s].rank)} AS rnk,
          ${detected} AS detected,
          ${until} AS until,
          CASE
            WHEN status IN ('resolved', 'closed') OR COALESCE(mitigated_at, resolved_at, closed_at) IS NOT NULL THEN NULL
            WHEN acknowledged_at IS NOT NULL THEN ${bySeverity((s) => SEVERITY_TARGETS[s].recoveryMs)}
            ELSE ${bySeverity((s) => SEVERITY_TARGETS[s].responseMs)}
          END AS target,
          COALESCE((
            SELECT SUM(MAX(0, MIN(${until}, COALESCE(${ms('p.ended_at')}, ${until})) - MAX(${detected}, ${ms('p.started_at')})))
            FROM sla_pauses p WHERE p.incident_id = incidents.id
          ), 0) AS paused
        FROM incidents ${where ? `WHERE ${where}` : ''}
      )
    )
    ORDER BY done,
      CASE WHEN done = 0 THEN rnk END,
      COALESCE(CAST(target - e AS REAL) / target, 1e999),
      CASE WHEN done = 0 THEN detected ELSE -detected END,
      id
    LIMIT @limit OFFSET @offset`;
}
