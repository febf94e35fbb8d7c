import fs from 'node:fs';
import os from 'node:os';
import { interestingFs, loadReading, memoryReading, round1, SystemInformationSource, topProcesses } from './si-source';
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

/** USER_HZ: 100 on every mainstream Linux build. */
const TICKS_PER_SECOND = 100;
const SECTOR_BYTES = 512;
/** Partitions, loop/ram/zram devices and device-mapper/md layers would double count I/O. */
const VIRTUAL_BLOCK = /^(loop|ram|zram|dm-|md|nbd|fd|sr)\d*/;

interface CpuTimes {
  busy: number;
  total: number;
}

interface Counter {
  readonly at: number;
  readonly values: readonly number[];
}

/** Rate of change per second between two readings of the same counters. */
function rates(prev: Counter | undefined, next: Counter): number[] {
  if (!prev) return next.values.map(() => 0);
  const seconds = (next.at - prev.at) / 1000;
  if (seconds <= 0) return next.values.map(() => 0);
  return next.values.map((v, i) => Math.max(0, (v - (prev.values[i] ?? v)) / seconds));
}

export function parseProcStatCpu(text: string): CpuTimes[] {
  const out: CpuTimes[] = [];
  for (const line of text.split('\n')) {
    if (!line.startsWith('cpu')) continue;
    const fields = line.trim().split(/\s+/).slice(1).map(Number);
    // user nice system idle iowait irq softirq steal (guest is already counted in user)
    const [user = 0, nice = 0, system = 0, idle = 0, iowait = 0, irq = 0, softirq = 0, steal = 0] = fields;
    const total = user + nice + system + idle + iowait + irq + softirq + steal;
    out.push({ busy: total - idle - iowait, total });
  }
  return out;
}

function percentBetween(prev: CpuTimes | undefined, next: CpuTimes): number {
  if (!prev) return next.total > 0 ? round1((next.busy / next.total) * 100) : 0;
  const total = next.total - prev.total;
  return total > 0 ? round1(Math.min(100, Math.max(0, ((next.busy - prev.busy) / total) * 100))) : 0;
}

export function parseMeminfo(text: string): Map<string, number> {
  const map = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = /^(\w+(?:\(\w+\))?):\s+(\d+)(?:\s+kB)?/.exec(line);
    if (match) map.set(match[1]!, Number(match[2]) * (line.endsWith('kB') ? 1024 : 1));
  }
  return map;
}

/**
 * Reads the once-a-second gauges straight from /proc and /sys (no child processes), the
 * process list from /proc/[pid]/stat, and disk usage with statfs(2). systeminformation
 * does the same work on Linux by spawning `cat`/`ps`/`df`/`lsblk` shells, which costs
 * several times more CPU than the whole 1 % budget (see scripts/bench/gauges.ts).
 */
export class LinuxProcSource implements MetricSource {
  private prevCpu: CpuTimes[] = [];
  private prevDisk: Counter | undefined;
  private readonly prevNet = new Map<string, Counter>();
  private prevProcs = new Map<number, number>();
  private prevProcsAt = 0;
  private blockDevices: Set<string> | null = null;

  constructor(private readonly root = '') {}

  private read(path: string): string {
    return fs.readFileSync(this.root + path, 'utf8');
  }

  async cpu(): Promise<CpuReading> {
    const times = parseProcStatCpu(this.read('/proc/stat'));
    const [total, ...cores] = times;
    const prev = this.prevCpu;
    this.prevCpu = times;
    if (!total) throw new Error('/proc/stat has no cpu line');
    return { total: percentBetween(prev[0], total), cores: cores.map((c, i) => percentBetween(prev[i + 1], c)) };
  }

  async memory(): Promise<MemoryReading> {
    const info = parseMeminfo(this.read('/proc/meminfo'));
    const total = info.get('MemTotal') ?? 0;
    const available = info.get('MemAvailable') ?? (info.get('MemFree') ?? 0) + (info.get('Cached') ?? 0);
    const swapTotal = info.get('SwapTotal') ?? 0;
    return memoryReading(total, available, swapTotal, swapTotal - (info.get('SwapFree') ?? 0));
  }

  load(): LoadReading {
    return loadReading();
  }

  async diskIo(): Promise<DiskIoReading | null> {
    this.blockDevices ??= new Set(fs.readdirSync(this.root + '/sys/block').filter((d) => !VIRTUAL_BLOCK.test(d)));
    let reads = 0;
    let readSectors = 0;
    let writes = 0;
    let writeSectors = 0;
    for (const line of this.read('/proc/diskstats').split('\n')) {
      const f = line.trim().split(/\s+/);
      if (f.length < 10 || !this.blockDevices.has(f[2]!)) continue;
      reads += Number(f[3]);
      readSectors += Number(f[5]);
      writes += Number(f[7]);
      writeSectors += Number(f[9]);
    }
    const next: Counter = { at: Date.now(), values: [reads, writes, readSectors * SECTOR_BYTES, writeSectors * SECTOR_BYTES] };
    const [r = 0, w = 0, rb = 0, wb = 0] = rates(this.prevDisk, next);
    this.prevDisk = next;
    return { readOpsPerSec: round1(r), writeOpsPerSec: round1(w), readBytesPerSec: Math.round(rb), writeBytesPerSec: Math.round(wb) };
  }

  async network(): Promise<readonly NetworkReading[]> {
    const now = Date.now();
    const out: NetworkReading[] = [];
    for (const line of this.read('/proc/net/dev').split('\n').slice(2)) {
      const colon = line.indexOf(':');
      if (colon < 0) continue;
      const iface = line.slice(0, colon).trim();
      if (iface === 'lo') continue;
      const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
      const next: Counter = { at: now, values: [f[0] ?? 0, f[8] ?? 0] };
      const [rx = 0, tx = 0] = rates(this.prevNet.get(iface), next);
      this.prevNet.set(iface, next);
      let operstate = 'unknown';
      try {
        operstate = this.read(`/sys/class/net/${iface}/operstate`).trim();
      } catch {
        // Interface vanished between the two reads.
      }
      out.push({ iface, rxBytesPerSec: Math.round(rx), txBytesPerSec: Math.round(tx), operstate });
    }
    return out;
  }

  async fileSystems(): Promise<readonly FsReading[]> {
    const seen = new Set<string>();
    const out: FsReading[] = [];
    const mounts = this.read('/proc/self/mounts')
      .split('\n')
      .map((line) => line.split(' '))
      .filter((f) => f.length >= 3 && f[0]!.startsWith('/dev/') && interestingFs(f[2]!, f[1]!))
      .sort((a, b) => a[1]!.length - b[1]!.length);
    for (const [device = '', rawMount = '', type = ''] of mounts) {
      if (seen.has(device)) continue; // bind mounts of the same device
      seen.add(device);
      const mount = rawMount.replace(/\\040/g, ' ');
      try {
        const st = await fs.promises.statfs(mount);
        const size = st.blocks * st.bsize;
        const used = (st.blocks - st.bfree) * st.bsize;
        const avail = st.bavail * st.bsize;
        if (size <= 0) continue;
        out.push({ fs: device, mount, type, sizeBytes: size, usedBytes: used, percent: used + avail > 0 ? round1((used / (used + avail)) * 100) : 0 });
      } catch {
        // Unreadable mount (permissions, stale network share): skip it.
      }
    }
    return out;
  }

  async processes(limit: number): Promise<ProcessReading> {
    const now = Date.now();
    const totalMem = os.totalmem();
    const pageSize = 4096;
    const elapsed = this.prevProcsAt > 0 ? (now - this.prevProcsAt) / 1000 : 0;
    const uptime = os.uptime();
    const ticksNow = new Map<number, number>();
    const all: ProcessEntry[] = [];
    for (const name of fs.readdirSync(this.root + '/proc')) {
      const pid = Number(name);
      if (!Number.isInteger(pid)) continue;
      let stat: string;
      try {
        stat = this.read(`/proc/${pid}/stat`);
      } catch {
        continue; // exited meanwhile
      }
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      const ticks = Number(f[11]) + Number(f[12]);
      ticksNow.set(pid, ticks);
      const prev = this.prevProcs.get(pid);
      let cpuPercent: number;
      if (elapsed > 0 && prev !== undefined) cpuPercent = ((ticks - prev) / TICKS_PER_SECOND / elapsed) * 100;
      else {
        const lifetime = uptime - Number(f[19]) / TICKS_PER_SECOND;
        cpuPercent = lifetime > 0 ? (ticks / TICKS_PER_SECOND / lifetime) * 100 : 0;
      }
      const rss = Number(f[21]) * pageSize;
      all.push({ pid, name: comm, command: comm, cpuPercent: round1(Math.max(0, cpuPercent)), memPercent: round1((rss / totalMem) * 100), rssBytes: rss });
    }
    this.prevProcs = ticksNow;
    this.prevProcsAt = now;
    const top = topProcesses(all, limit);
    const withCommand = (p: ProcessEntry): ProcessEntry => ({ ...p, command: this.commandLine(p.pid) ?? p.name });
    return { total: top.total, byCpu: top.byCpu.map(withCommand), byMemory: top.byMemory.map(withCommand) };
  }

  private commandLine(pid: number): string | null {
    try {
      const raw = this.read(`/proc/${pid}/cmdline`).replace(/\0+$/, '').replace(/\0/g, ' ');
      return raw.length > 0 ? raw.slice(0, 300) : null;
    } catch {
      return null;
    }
  }
}

/** LinuxProcSource on Linux, systeminformation elsewhere. */
export function createDefaultSource(platform: NodeJS.Platform = process.platform): MetricSource {
  return platform === 'linux' && fs.existsSync('/proc/stat') ? new LinuxProcSource() : new SystemInformationSource();
}
