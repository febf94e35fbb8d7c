import type { Clock } from '../clock';
import { RingBuffer } from './ring-buffer';
import type { Cancel, Scheduler } from './scheduler';
import type { FsReading, GaugeSample, MetricSource, ProcessSnapshot } from './types';

export interface SamplerOptions {
  /** Default 1000 (1 Hz). */
  readonly intervalMs?: number;
  /** File-system usage refresh; default 10 s. */
  readonly fsIntervalMs?: number;
  /** Process list refresh; default 5 s. 0 disables the periodic refresh (on demand only). */
  readonly processIntervalMs?: number;
  readonly processLimit?: number;
  /** How much history stays in memory; default 15 min. */
  readonly windowMs?: number;
}

export interface SamplerStats {
  readonly samples: number;
  /** Ticks skipped because the previous one had not finished (a slow source never piles up). */
  readonly skipped: number;
  readonly errors: number;
}

type Listener<T> = (value: T) => void;

function errorText(part: string, error: unknown): string {
  return `${part}: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * Samples the gauges on a fixed schedule: CPU, memory, load, disk I/O and network every
 * tick; disk usage every `fsIntervalMs`; the process list every `processIntervalMs` or on
 * demand. Keeps the last `windowMs` of samples in a ring buffer and tells listeners.
 */
export class GaugeSampler {
  readonly intervalMs: number;
  private readonly fsIntervalMs: number;
  private readonly processIntervalMs: number;
  private readonly processLimit: number;
  private readonly windowMs: number;
  private readonly buffer: RingBuffer<GaugeSample>;
  private readonly sampleListeners = new Set<Listener<GaugeSample>>();
  private readonly processListeners = new Set<Listener<ProcessSnapshot>>();
  private cancels: Cancel[] = [];
  private inFlight: Promise<GaugeSample | null> | null = null;
  private processesInFlight: Promise<ProcessSnapshot | null> | null = null;
  private disks: readonly FsReading[] | null = null;
  private disksAt: number | null = null;
  private disksInFlight = false;
  private latestProcesses: ProcessSnapshot | null = null;
  private stats = { samples: 0, skipped: 0, errors: 0 };

  constructor(
    private readonly source: MetricSource,
    private readonly clock: Clock,
    private readonly scheduler: Scheduler,
    options: SamplerOptions = {},
  ) {
    this.intervalMs = options.intervalMs ?? 1000;
    this.fsIntervalMs = options.fsIntervalMs ?? 10_000;
    this.processIntervalMs = options.processIntervalMs ?? 5_000;
    this.processLimit = options.processLimit ?? 10;
    this.windowMs = options.windowMs ?? 15 * 60_000;
    this.buffer = new RingBuffer(Math.ceil(this.windowMs / this.intervalMs) + 5);
  }

  get running(): boolean {
    return this.cancels.length > 0;
  }

  /** Starts sampling; the first tick runs at once (after the source's warm-up). */
  async start(): Promise<void> {
    if (this.running) return;
    this.cancels.push(this.scheduler.setInterval(() => void this.tick(), this.intervalMs));
    if (this.processIntervalMs > 0) this.cancels.push(this.scheduler.setInterval(() => void this.refreshProcesses(), this.processIntervalMs));
    try {
      await this.source.prime?.();
    } catch {
      // A failed warm-up shows up as an error on the first sample instead.
    }
    await this.tick();
  }

  stop(): void {
    for (const cancel of this.cancels) cancel();
    this.cancels = [];
  }

  onSample(listener: Listener<GaugeSample>): () => void {
    this.sampleListeners.add(listener);
    return () => this.sampleListeners.delete(listener);
  }

  onProcesses(listener: Listener<ProcessSnapshot>): () => void {
    this.processListeners.add(listener);
    return () => this.processListeners.delete(listener);
  }

  /** Samples in the window, oldest first, optionally only those after `sinceMs`. */
  recent(sinceMs?: number): GaugeSample[] {
    const all = this.buffer.toArray();
    return sinceMs === undefined ? all : all.filter((s) => s.at > sinceMs);
  }

  latest(): GaugeSample | undefined {
    return this.buffer.last();
  }

  processes(): ProcessSnapshot | null {
    return this.latestProcesses;
  }

  getStats(): SamplerStats {
    return { ...this.stats };
  }

  /** One sample now. Resolves to null when a tick is already running (it is not doubled). */
  tick(): Promise<GaugeSample | null> {
    if (this.inFlight) {
      this.stats.skipped++;
      return Promise.resolve(null);
    }
    this.inFlight = this.collect().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  /** Reads the process list now (on demand), sharing a read already in progress. */
  refreshProcesses(): Promise<ProcessSnapshot | null> {
    if (this.processesInFlight) return this.processesInFlight;
    this.processesInFlight = this.source
      .processes(this.processLimit)
      .then((reading) => {
        const snapshot: ProcessSnapshot = { at: this.clock.now(), reading };
        this.latestProcesses = snapshot;
        for (const listener of this.processListeners) listener(snapshot);
        return snapshot;
      })
      .catch(() => {
        this.stats.errors++;
        return null;
      })
      .finally(() => {
        this.processesInFlight = null;
      });
    return this.processesInFlight;
  }

  private async collect(): Promise<GaugeSample> {
    const errors: string[] = [];
    const guard = async <T>(part: string, read: () => Promise<T> | T): Promise<T | null> => {
      try {
        return await read();
      } catch (error) {
        errors.push(errorText(part, error));
        return null;
      }
    };
    const now = this.clock.now();
    let disksRead: Promise<void> | null = null;
    if (!this.disksInFlight && (this.disksAt === null || now - this.disksAt >= this.fsIntervalMs)) disksRead = this.refreshDisks(now, errors);
    // The very first disk read is awaited so the first sample has disks; later ones run alongside.
    if (this.disks === null && disksRead) await disksRead;
    const [cpu, memory, diskIo, network, load] = await Promise.all([
      guard('cpu', () => this.source.cpu()),
      guard('memory', () => this.source.memory()),
      guard('diskIo', () => this.source.diskIo()),
      guard('network', () => this.source.network()),
      guard('load', () => this.source.load()),
    ]);
    const at = this.clock.now();
    const sample: GaugeSample = { at, cpu, memory, load, diskIo, network, disks: this.disks, disksAt: this.disksAt, errors };
    if (errors.length > 0) this.stats.errors++;
    this.stats.samples++;
    this.buffer.push(sample);
    this.buffer.dropWhile((s) => s.at <= at - this.windowMs);
    for (const listener of this.sampleListeners) {
      try {
        listener(sample);
      } catch {
        // A failing listener must not stop the sampler.
      }
    }
    return sample;
  }

  /** Disk usage is read on its own slower schedule. */
  private refreshDisks(now: number, errors: string[]): Promise<void> {
    this.disksInFlight = true;
    this.disksAt = now;
    return this.source
      .fileSystems()
      .then((disks) => {
        this.disks = disks;
      })
      .catch((error: unknown) => {
        errors.push(errorText('fileSystems', error));
      })
      .finally(() => {
        this.disksInFlight = false;
      });
  }
}
