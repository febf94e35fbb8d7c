import os from 'node:os';
import { systemInformation } from '../systeminformation';
import type {
  CpuReading,
  DiskIoReading,
  FsReading,
  LoadReading,
  MemoryReading,
  MetricSource,
  NetworkReading,
  ProcessEntry,
  ProcessReading,
} from './types';

/** Pseudo file systems that are never interesting on a disk gauge. */
const IGNORED_FS_TYPES = new Set(['tmpfs', 'devtmpfs', 'squashfs', 'overlay', 'proc', 'sysfs', 'cgroup', 'cgroup2', 'devfs', 'autofs', 'ramfs']);

export const round1 = (n: number): number => Math.round(n * 10) / 10;
const finite = (n: unknown): number => (typeof n === 'number' && Number.isFinite(n) ? n : 0);

export function loadReading(): LoadReading {
  const [load1 = 0, load5 = 0, load15 = 0] = os.loadavg();
  return { load1, load5, load15, cores: os.cpus().length || 1 };
}

export function memoryReading(total: number, available: number, swapTotal: number, swapUsed: number): MemoryReading {
  const used = Math.max(0, total - available);
  return {
    totalBytes: total,
    usedBytes: used,
    availableBytes: available,
    percent: total > 0 ? round1((used / total) * 100) : 0,
    swapTotalBytes: swapTotal,
    swapUsedBytes: swapUsed,
    swapPercent: swapTotal > 0 ? round1((swapUsed / swapTotal) * 100) : 0,
  };
}

export function interestingFs(type: string, mount: string): boolean {
  if (IGNORED_FS_TYPES.has(type.toLowerCase())) return false;
  return !mount.startsWith('/snap/') && !mount.startsWith('/proc') && !mount.startsWith('/sys');
}

export function topProcesses(all: readonly ProcessEntry[], limit: number): ProcessReading {
  return {
    total: all.length,
    byCpu: [...all].sort((a, b) => b.cpuPercent - a.cpuPercent || b.rssBytes - a.rssBytes).slice(0, limit),
    byMemory: [...all].sort((a, b) => b.rssBytes - a.rssBytes || b.cpuPercent - a.cpuPercent).slice(0, limit),
  };
}

/**
 * The portable source: systeminformation for everything. On Linux several of its calls
 * spawn a shell every time (currentLoad, disksIO, networkStats), which is why
 * `createDefaultSource` prefers LinuxProcSource there for the once-a-second readings.
 */
export class SystemInformationSource implements MetricSource {
  async prime(): Promise<void> {
    await (await systemInformation()).currentLoad();
  }

  async cpu(): Promise<CpuReading> {
    const load = await (await systemInformation()).currentLoad();
    return { total: round1(finite(load.currentLoad)), cores: load.cpus.map((c) => round1(finite(c.load))) };
  }

  async memory(): Promise<MemoryReading> {
    const mem = await (await systemInformation()).mem();
    return memoryReading(mem.total, mem.available, mem.swaptotal, mem.swapused);
  }

  load(): LoadReading {
    return loadReading();
  }

  async diskIo(): Promise<DiskIoReading | null> {
    const io = await (await systemInformation()).disksIO();
    if (!io) return null;
    return { readOpsPerSec: round1(finite(io.rIO_sec)), writeOpsPerSec: round1(finite(io.wIO_sec)), readBytesPerSec: null, writeBytesPerSec: null };
  }

  async network(): Promise<readonly NetworkReading[]> {
    const stats = await (await systemInformation()).networkStats('*');
    return stats
      .filter((s) => s.iface !== 'lo')
      .map((s) => ({ iface: s.iface, rxBytesPerSec: Math.round(finite(s.rx_sec)), txBytesPerSec: Math.round(finite(s.tx_sec)), operstate: s.operstate }));
  }

  async fileSystems(): Promise<readonly FsReading[]> {
    const list = await (await systemInformation()).fsSize();
    return list
      .filter((f) => interestingFs(f.type, f.mount) && f.size > 0)
      .map((f) => ({ fs: f.fs, mount: f.mount, type: f.type, sizeBytes: f.size, usedBytes: f.used, percent: round1(finite(f.use)) }));
  }

  async processes(limit: number): Promise<ProcessReading> {
    const data = await (await systemInformation()).processes();
    const all: ProcessEntry[] = data.list.map((p) => ({
      pid: p.pid,
      name: p.name,
      command: p.command,
      cpuPercent: round1(finite(p.cpu)),
      memPercent: round1(finite(p.mem)),
      rssBytes: finite(p.memRss) * 1024,
    }));
    return topProcesses(all, limit);
  }
}
