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
  /** The last good parse and the file state it came from (read on every poll). */
  private cache: { mtimeMs: number; size: number; ino: number; config: MetricsConfig } | null = null;

  constructor(home: string) {
    this.path = path.join(home, METRICS_CONFIG_FILE);
  }

  load(): MetricsConfig {
    const stat = fs.statSync(this.path, { throwIfNoEntry: false });
    if (stat && this.cache && this.cache.mtimeMs === stat.mtimeMs && this.cache.size === stat.size && this.cache.ino === stat.ino) return this.cache.config;
    const config = this.read();
    if (stat) this.cache = { mtimeMs: stat.mtimeMs, size: stat.size, ino: stat.ino, config };
    return config;
  }

  private read(): MetricsConfig {
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
    this.cache = null;
  }
}
