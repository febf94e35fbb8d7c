import type { Channels } from '../shared/contract';
import type { AppInfo } from '../shared/domain';
import { createEscalationHandlers } from './handlers/escalation';
import { createEvidenceHandlers } from './handlers/evidence';
import { createIncidentHandlers } from './handlers/incidents';
import { createMetricsHandlers } from './handlers/metrics';
import { createMonitorHandlers } from './handlers/monitor';
import { createProbeQueryHandlers } from './handlers/probe-queries';
import { createTeamHandlers } from './handlers/team';
import { createReportHandlers } from './handlers/reports';
import { createRiskHandlers } from './handlers/risks';
import { createRunbookHandlers } from './handlers/runbooks';
import { createTargetHandlers } from './handlers/targets';
import { createTerminalHandlers } from './handlers/terminals';
import type { HandlersFor } from './handlers/types';
import type { Services } from './services';

export type Handlers = HandlersFor<Channels>;

/**
 * One handler per contract channel, composed from each feature's handlers; inputs arrive
 * already validated. The mapped type makes a missing handler a compile error, so the
 * contract and its implementation cannot drift.
 */
export function createHandlers(services: Services, transport: AppInfo['transport']): Handlers {
  return {
    ...createIncidentHandlers(services, transport),
    ...createEvidenceHandlers(services),
    ...createMonitorHandlers(services),
    ...createProbeQueryHandlers(services),
    ...createTeamHandlers(services),
    ...createReportHandlers(services),
    ...createRunbookHandlers(services),
    ...createTerminalHandlers(services),
    ...createEscalationHandlers(services),
    ...createTargetHandlers(services),
    ...createMetricsHandlers(services),
    ...createRiskHandlers(services),
  };
}
