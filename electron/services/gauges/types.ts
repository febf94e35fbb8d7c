// The gauge data shapes live in shared/gauges.ts (the renderer needs them too); the sources'
// interface and the flattening the rules and history share stay here.
import type { CpuReading, DiskIoReading, FsReading, GaugeSample, LoadReading, Measurement, MemoryReading, NetworkReading, ProcessReading } from '../../../shared/gauges';

export { LEVEL_RANK } from '../../../shared/gauges';
export type { Level, CpuReading, MemoryReading, LoadReading, DiskIoReading, NetworkReading, FsReading, ProcessEntry, ProcessReading, GaugeSample, ProcessSnapshot, GaugeMetric, Measurement } from '../../../shared/gauges';

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
