import type { CpuReading, FsReading, MemoryReading, MetricSource } from './types';

/** Values forced on top of a real source (percentages), for demos and end-to-end tests. */
export interface GaugeOverrides {
  readonly cpu?: number;
  readonly memory?: number;
  /** Applied to every mount. */
  readonly disk?: number;
}

/**
 * Wraps a source and lets a test (or a debug action) force gauge values, e.g. CPU to 99 %,
 * to make a threshold crossing happen on purpose. Everything else passes through.
 */
export class OverridableSource implements MetricSource {
  private overrides: GaugeOverrides = {};

  constructor(private readonly inner: MetricSource) {}

  override(values: GaugeOverrides | null): void {
    this.overrides = values ?? {};
  }

  current(): GaugeOverrides {
    return this.overrides;
  }

  prime(): Promise<void> {
    return this.inner.prime?.() ?? Promise.resolve();
  }

  async cpu(): Promise<CpuReading> {
    const forced = this.overrides.cpu;
    if (forced === undefined) return this.inner.cpu();
    const real = await this.inner.cpu().catch(() => ({ total: 0, cores: [0] }));
    return { total: forced, cores: real.cores.map(() => forced) };
  }

  async memory(): Promise<MemoryReading> {
    const real = await this.inner.memory();
    const forced = this.overrides.memory;
    if (forced === undefined) return real;
    const used = Math.round((real.totalBytes * forced) / 100);
    return { ...real, usedBytes: used, availableBytes: real.totalBytes - used, percent: forced };
  }

  load() {
    return this.inner.load();
  }

  diskIo() {
    return this.inner.diskIo();
  }

  network() {
    return this.inner.network();
  }

  async fileSystems(): Promise<readonly FsReading[]> {
    const real = await this.inner.fileSystems();
    const forced = this.overrides.disk;
    if (forced === undefined) return real;
    return real.map((f) => ({ ...f, usedBytes: Math.round((f.sizeBytes * forced) / 100), percent: forced }));
  }

  processes(limit: number) {
    return this.inner.processes(limit);
  }
}
