import path from 'node:path';
import { metricsConfigSchema, type MetricsConfig } from '../../../shared/metrics';
import { ConfigFile, jsonFormat } from '../config-file';

export const METRICS_CONFIG_FILE = 'metrics.json';

/**
 * Sources and indicator mapping in `<profile>/metrics.json`, a file the user may edit. A
 * broken file is reported with its path and the field, never silently replaced.
 */
export class MetricsConfigStore {
  readonly path: string;
  /** Read on every poll: parsed again only when the file changed. */
  private readonly file: ConfigFile<MetricsConfig>;

  constructor(home: string) {
    this.file = new ConfigFile({
      path: path.join(home, METRICS_CONFIG_FILE),
      schema: metricsConfigSchema,
      format: jsonFormat,
      missing: { value: () => metricsConfigSchema.parse({}), write: false },
    });
    this.path = this.file.path;
  }

  load(): MetricsConfig {
    return this.file.load();
  }

  save(config: MetricsConfig): void {
    this.file.save(config);
  }
}
