// Gauge readings, alerts and history rows: the shapes the gauge services produce and the
// renderer shows. Pure types (no Node APIs), so both sides import them from here.

import type { GaugeRule } from './gauge-rules';

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

export type AlertKind = 'alert.raised' | 'alert.cleared';

/**
 * One transition of one rule for one subject. The caller appends it to the active incident's
 * timeline as `kind` with the whole object as data.
 */
export interface GaugeAlert {
  readonly kind: AlertKind;
  readonly source: 'gauge';
  readonly metric: GaugeRule['metric'];
  /** Mount point for disk rules, '' otherwise. */
  readonly subject: string;
  readonly rule: string;
  readonly ruleKind: GaugeRule['kind'];
  readonly from: Level;
  readonly to: Level;
  /** The value that completed the transition. */
  readonly value: number;
  /** The boundary that was crossed (for a lowering: threshold minus hysteresis). */
  readonly threshold: number;
  readonly unit: '%';
  /** ISO time of the transition (injected clock). */
  readonly at: string;
  /** For sustained rules: how long the value had been at or above the threshold. */
  readonly sustainedMs?: number;
  readonly message: string;
}

/** One persisted row: a metric's min/avg/max over one bucket (default one minute). */
export interface HistoryRow {
  readonly metric: GaugeMetric;
  readonly subject: string;
  /** Epoch ms of the bucket start, aligned to the bucket size. */
  readonly bucketStart: number;
  readonly bucketMs: number;
  readonly samples: number;
  readonly min: number;
  readonly avg: number;
  readonly max: number;
}
