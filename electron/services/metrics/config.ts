import fs from 'node:fs';
import path from 'node:path';
import { metricsConfigSchema, type MetricsConfig } from '../../../shared/metrics';
import { invalidInput } from '../errors';

export const METRICS_CONFIG_FILE = 'metrics.json';

/**
 * Sources and indicator mapping in `<profile>/metrics.json`, a file the user may edit. A
 * broken file is reported with its path and the field, never silently replaced.
 */
export class MetricsConfigStore {
  readonly path: string;

  constructor(home: string) {
    this.path = path.join(home, METRICS_CONFIG_FILE);
  }

  load(): MetricsConfig {
    let text: string;
    try {
      text = fs.readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return metricsConfigSchema.parse({});
      throw invalidInput(this.path, (error as Error).message);
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw invalidInput(this.path, `not JSON (${(error as Error).message})`);
    }
    const parsed = metricsConfigSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      throw invalidInput(`${this.path}: ${issue.path.map(String).join('.') || 'document'}`, issue.message);
    }
    return parsed.data;
  }

  save(config: MetricsConfig): void {
    const valid = metricsConfigSchema.parse(config);
    fs.mkdirSync(path.dirname(this.path), { recursive: true });
    const temp = `${this.path}.${process.pid}.tmp`;
    fs.writeFileSync(temp, `${JSON.stringify(valid, null, 2)}\n`);
    fs.renameSync(temp, this.path);
  }
}
