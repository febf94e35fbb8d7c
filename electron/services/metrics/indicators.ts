import { INDICATORS, mappingFor, type IndicatorId, type MetricsConfig } from '../../../shared/metrics';
import { assertNever } from '../../../shared/assert';
import { counterRate, gaugeMax, histogramQuantile, type Derived, type Snapshot } from './derive';

// Seed 000's indicators from two scrapes of a /metrics page (the user's mapping applied).

function errorRatePercent(prev: Snapshot, cur: Snapshot, errors: string, requests: string): Derived {
  const requestRate = counterRate(prev, cur, requests);
  if (requestRate.value === null) return requestRate;
  if (requestRate.value === 0) return { value: null, reason: 'no traffic' };
  const errorRate = counterRate(prev, cur, errors);
  if (errorRate.value === null) return errorRate;
  return { value: (100 * errorRate.value) / requestRate.value };
}

const missingMapping = (id: IndicatorId, field: string): Derived => ({ value: null, reason: `${id}: no ${field} metric mapped` });

export function indicatorFromScrapes(config: Pick<MetricsConfig, 'indicators'>, id: IndicatorId, prev: Snapshot, cur: Snapshot): Derived {
  const mapping = mappingFor(config, id);
  switch (id) {
    case 'error_rate':
      if (!mapping.errors || !mapping.requests) return missingMapping(id, 'errors/requests');
      return errorRatePercent(prev, cur, mapping.errors, mapping.requests);
    case 'availability':
      // Uptime comes from the scrape history (the service keeps it), not from one page.
      return { value: null, reason: 'from the scrape history' };
    case 'throughput':
      if (!mapping.requests) return missingMapping(id, 'requests');
      return counterRate(prev, cur, mapping.requests);
    case 'response_time_p95':
    case 'query_time': {
      if (!mapping.histogram) return missingMapping(id, 'histogram');
      const seconds = histogramQuantile(prev, cur, mapping.histogram, mapping.quantile ?? 0.95);
      return seconds.value === null ? seconds : { value: seconds.value * 1000 };
    }
    case 'pool_use': {
      if (!mapping.gauge) return missingMapping(id, 'gauge');
      const used = gaugeMax(cur, mapping.gauge);
      if (used.value === null) return used;
      return { value: mapping.max ? (100 * used.value) / mapping.max : used.value };
    }
    default:
      return assertNever(id, 'indicator');
  }
}

export const INDICATOR_LIST = Object.values(INDICATORS);
