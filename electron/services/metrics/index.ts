export { MetricsService, type MetricsServiceDeps } from './service';
export { MetricsConfigStore, METRICS_CONFIG_FILE } from './config';
export { createFetcher, FetchFailed, type FetchText, type Fetched } from './fetch';
export { parseExposition, detectFormat, ExpositionError, type Exposition, type Sample } from './exposition';
export { snapshotOf, counterRate, counterIncrease, histogramQuantile, gaugeMax, type Snapshot } from './derive';
export { PrometheusClient } from './prometheus';
