// Shapes shared by the gauge sources, the sampler, the rules and the persistence layer.

/** Severity of a gauge or a rule, lowest first. */
export type Level = 'normal' | 'warning' | 'danger';

export const LEVEL_RANK: Readonly<Record<Level, number>> = { normal: 0, warning: 1, danger: 2 };

export interface CpuReading {
  /** Total CPU use across all cores, 0–100. */
  readonly total: number;
  /** Per core, 0–100. */
  readonly cores: readonly number[];
}

export interface MemoryReading {
  readonly totalBytes: number;
  /** Memory in use by processes (total − available; page cache is not counted as used). */
  readonly usedBytes: number;
  readonly availableBytes: number;
  readonly percent: number;
  readonly swapTotalBytes: number;
  readonly swapUsedBytes: number;
  /** 0 when there is no swap. */
  readonly swapPercent: number;
}

export interface LoadReading {
  readonly load1: number;
  readonly load5: number;
  readonly load15: number;
  readonly cores: number;
}

export interface DiskIoReading {
  readonly readOpsPerSec: number;
  readonly writeOpsPerSec: number;
  /** Null when the source cannot tell bytes (systeminformation reports operations only). */
  readonly readBytesPerSec: number | null;
  readonly writeBytesPerSec: number | null;
}

export interface NetworkReading {
  readonly iface: string;
  readonly rxBytesPerSec: number;
  readonly txBytesPerSec: number;
  readonly operstate: string;
}

export interface FsReading {
  readonly fs: string;
  readonly mount: string;
  readonly type: string;
  readonly sizeBytes: number;
  readonly usedBytes: number;
  /** 0–100. */
  readonly percent: number;
}

export interface ProcessEntry {
  readonly pid: number;
  readonly name: string;
  readonly command: string;
  /** % of one core over the last interval (may exceed 100 for multi-threaded processes). */
  readonly cpuPercent: number;
  readonly memPercent: number;
  readonly rssBytes: number;
}

export interface ProcessReading {
  readonly total: number;
  readonly byCpu: readonly ProcessEntry[];
  readonly byMemory: readonly ProcessEntry[];
}

/**
 * Where the numbers come from. The sampler calls the cheap methods every second and the
 * expensive ones (file systems, processes) on their own slower schedule.
 * Rates (per second) are computed by the source from its own previous reading, so the
 * first call of a rate method may return zeros.
 */
export interface MetricSource {
  cpu(): Promise<CpuReading>;
  memory(): Promise<MemoryReading>;
  load(): LoadReading;
  diskIo(): Promise<DiskIoReading | null>;
  network(): Promise<readonly NetworkReading[]>;
  fileSystems(): Promise<readonly FsReading[]>;
  processes(limit: number): Promise<ProcessReading>;
  /** Optional warm-up (systeminformation's first currentLoad call takes ~0.5 s). */
  prime?(): Promise<void>;
}

/** One second of gauges. Parts that failed to read are null; the error is in `errors`. */
export interface GaugeSample {
  /** Epoch ms from the injected clock. */
  readonly at: number;
  readonly cpu: CpuReading | null;
  readonly memory: MemoryReading | null;
  readonly load: LoadReading | null;
  readonly diskIo: DiskIoReading | null;
  readonly network: readonly NetworkReading[] | null;
  /** The latest file-system reading (refreshed every fsIntervalMs, not every second). */
  readonly disks: readonly FsReading[] | null;
  readonly disksAt: number | null;
  readonly errors: readonly string[];
}

export interface ProcessSnapshot {
  readonly at: number;
  readonly reading: ProcessReading;
}

/** The numeric series the rules and the downsampler work on. */
export type GaugeMetric =
  | 'cpu'
  | 'memory'
  | 'swap'
  | 'disk'
  | 'load1'
  | 'disk_read_ops'
  | 'disk_write_ops'
  | 'net_rx'
  | 'net_tx';

export interface Measurement {
  readonly metric: GaugeMetric;
  /** Mount point for disk, interface for network, '' otherwise. */
  readonly subject: string;
  readonly value: number;
}

/** Flattens a sample into the series the rules and the history use. */
export function measurements(sample: GaugeSample): Measurement[] {
  const out: Measurement[] = [];
  if (sample.cpu) out.push({ metric: 'cpu', subject: '', value: sample.cpu.total });
  if (sample.memory) {
    out.push({ metric: 'memory', subject: '', value: sample.memory.percent });
    if (sample.memory.swapTotalBytes > 0) out.push({ metric: 'swap', subject: '', value: sample.memory.swapPercent });
  }
  if (sample.load) out.push({ metric: 'load1', subject: '', value: sample.load.load1 });
  for (const disk of sample.disks ?? []) out.push({ metric: 'disk', subject: disk.mount, value: disk.percent });
  if (sample.diskIo) {
    out.push({ metric: 'disk_read_ops', subject: '', value: sample.diskIo.readOpsPerSec });
    out.push({ metric: 'disk_write_ops', subject: '', value: sample.diskIo.writeOpsPerSec });
  }
  for (const net of sample.network ?? []) {
    out.push({ metric: 'net_rx', subject: net.iface, value: net.rxBytesPerSec });
    out.push({ metric: 'net_tx', subject: net.iface, value: net.txBytesPerSec });
  }
  return out;
}
