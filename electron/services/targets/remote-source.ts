import { parseMeminfo, parseProcStatCpu } from '../gauges/linux-source';
import { interestingFs, memoryReading, round1 } from '../gauges/si-source';
import type { GaugeSample } from '../../../shared/gauges';
import type { CpuReading, DiskIoReading, FsReading, LoadReading, MemoryReading, MetricSource, NetworkReading, ProcessReading } from '../gauges/types';
import type { Target, TargetProcess } from './target';

// Gauges of a remote Linux target (issue 13) from ONE long-lived shell loop on the reused
// connection: every second it prints /proc/stat, meminfo, loadavg, diskstats and net/dev
// using the shell's own `read` (no process per file), and `df` every tenth frame. The only
// process started per second on the server is `sleep 1`. The laptop keeps the latest frame;
// the sampler's calls compute the same readings as LinuxProcSource from it.
// Before the loop, a prelude frame (the counters only) a fifth of a second before the first
// full one: the first sample then has a real CPU% and rates without waiting a whole period.

/** Emitted between sections; a frame ends with `@@end`. */
const MARK = '@@fb ';
const SECTOR_BYTES = 512;
const VIRTUAL_BLOCK = /^(loop|ram|zram|dm-|md|nbd|fd|sr)\d*/;

export const GAUGE_LOOP = `fb_cat() { while IFS= read -r fb_l || [ -n "$fb_l" ]; do printf '%s\\n' "$fb_l"; done < "$1"; }
fb_counters() {
  echo '${MARK}uptime'; fb_cat /proc/uptime
  echo '${MARK}stat'; fb_cat /proc/stat
  echo '${MARK}diskstats'; fb_cat /proc/diskstats
  echo '${MARK}netdev'; fb_cat /proc/net/dev
}
fb_main() {
  echo '${MARK}prelude'; fb_counters; echo '${MARK}end'
  sleep 0.2 2>/dev/null || sleep 1
  fb_n=0
  while :; do
    echo '${MARK}uptime'; fb_cat /proc/uptime
    echo '${MARK}stat'; fb_cat /proc/stat
    echo '${MARK}meminfo'; fb_cat /proc/meminfo
    echo '${MARK}loadavg'; fb_cat /proc/loadavg
    echo '${MARK}diskstats'; fb_cat /proc/diskstats
    echo '${MARK}netdev'; fb_cat /proc/net/dev
    if [ $((fb_n % 10)) -eq 0 ]; then echo '${MARK}cpus'; grep -c '^processor' /proc/cpuinfo; echo '${MARK}df'; df -P -k -T 2>/dev/null || df -P -k; fi
    echo '${MARK}end'
    fb_n=$((fb_n + 1))
    sleep 1 || return 0
  done
}
fb_main </dev/null
`;

export interface Frame {
  /** Laptop receive time (ms). */
  readonly at: number;
  readonly sections: ReadonlyMap<string, string>;
}

/** Splits the loop's output into frames. */
export class FrameParser {
  private buffer = '';
  private current = new Map<string, string>();
  private section: string | null = null;
  private lines: string[] = [];

  constructor(private readonly now: () => number) {}

  push(chunk: string): Frame[] {
    this.buffer += chunk;
    const frames: Frame[] = [];
    let nl: number;
    while ((nl = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 1);
      if (!line.startsWith(MARK)) {
        if (this.section) this.lines.push(line);
        continue;
      }
      if (this.section) this.current.set(this.section, this.lines.join('\n'));
      this.lines = [];
      const name = line.slice(MARK.length);
      if (name === 'end') {
        frames.push({ at: this.now(), sections: this.current });
        this.current = new Map();
        this.section = null;
      } else this.section = name;
    }
    return frames;
  }
}

function rate(prev: number | undefined, next: number, seconds: number): number {
  return prev === undefined || seconds <= 0 ? 0 : Math.max(0, (next - prev) / seconds);
}

/** Parses `df -P -k [-T]` (with or without the Type column). */
export function parseDf(text: string): FsReading[] {
  const out: FsReading[] = [];
  const lines = text.split('\n').filter((l) => l.trim());
  const typed = /\bType\b/.test(lines[0] ?? '');
  for (const line of lines.slice(1)) {
    const f = line.trim().split(/\s+/);
    const [fs, type] = typed ? [f[0]!, f[1]!] : [f[0]!, ''];
    const rest = typed ? f.slice(2) : f.slice(1);
    if (rest.length < 5) continue;
    const [size, used, avail] = rest.slice(0, 3).map((n) => Number(n) * 1024) as [number, number, number];
    const mount = rest.slice(4).join(' ');
    if (!fs.startsWith('/dev/') || !interestingFs(type, mount) || size <= 0) continue;
    out.push({ fs, mount, type, sizeBytes: size, usedBytes: used, percent: used + avail > 0 ? round1((used / (used + avail)) * 100) : 0 });
  }
  return out;
}

export class RemoteProcSource implements MetricSource {
  private proc: TargetProcess | null = null;
  private latest: Frame | null = null;
  private previous: Frame | null = null;
  /** The counters read just before the first full frame of a (re)started loop. */
  private prelude: Frame | null = null;
  /** Frames received (prelude included), for `frames`. */
  private seen = 0;
  private cores = 1;
  private disks: FsReading[] = [];
  private failure: string | null = null;
  private waiters: Array<() => void> = [];
  private stopped = false;

  constructor(
    private readonly target: Target,
    private readonly now: () => number = Date.now,
    private readonly onEnd?: (why: string) => void,
  ) {}

  /** Starts the loop (idempotent); resolves once it is running, rejects if the target cannot be reached. */
  async prime(): Promise<void> {
    if (this.proc) return;
    this.failure = null;
    this.stopped = false;
    const proc = await this.target.exec(GAUGE_LOOP);
    this.proc = proc;
    const parser = new FrameParser(this.now);
    proc.stdout.setEncoding('utf8');
    proc.stdout.on('data', (chunk: string) => {
      for (const frame of parser.push(chunk)) this.accept(frame);
    });
    void proc.done.then((end) => {
      if (this.proc === proc) this.proc = null;
      if (this.stopped) return;
      this.failure = end.connectionLost ?? end.stalled ?? `the gauge loop on ${this.target.name} ended (exit ${end.code})${end.stderr.trim() ? `: ${end.stderr.trim().slice(0, 200)}` : ''}`;
      this.wake();
      this.onEnd?.(this.failure);
    });
  }

  /** Resolves when `count` frames have arrived since the call (the CLI's --once needs two, for rates). */
  async frames(count: number): Promise<void> {
    // Counted, not one wait per frame: two frames in one chunk wake the waiters once.
    const until = this.seen + count;
    while (this.seen < until) {
      await new Promise<void>((resolve) => this.waiters.push(resolve));
      if (this.failure) throw new Error(this.failure);
    }
  }

  stop(): void {
    this.stopped = true;
    this.proc?.kill();
    this.proc = null;
  }

  get running(): boolean {
    return this.proc !== null;
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }

  private accept(frame: Frame): void {
    this.seen++;
    if (frame.sections.has('prelude')) {
      this.prelude = frame;
      this.wake();
      return;
    }
    this.previous = this.prelude ?? this.latest;
    this.prelude = null;
    this.latest = frame;
    const cpus = Number(frame.sections.get('cpus'));
    if (cpus > 0) this.cores = cpus;
    const df = frame.sections.get('df');
    if (df !== undefined) this.disks = parseDf(df);
    this.wake();
  }

  private frame(): Frame {
    if (this.failure && !this.proc) throw new Error(this.failure);
    if (!this.latest) throw new Error(`no reading from ${this.target.name} yet`);
    return this.latest;
  }

  /** Between the two frames: by the server's own uptime (exact even when both arrive in one chunk), else by arrival. */
  private seconds(): number {
    if (!this.previous || !this.latest) return 0;
    const uptime = (f: Frame) => Number((f.sections.get('uptime') ?? '').trim().split(/\s+/)[0]);
    const byServer = uptime(this.latest) - uptime(this.previous);
    return Number.isFinite(byServer) && byServer > 0 ? byServer : (this.latest.at - this.previous.at) / 1000;
  }

  async cpu(): Promise<CpuReading> {
    const next = parseProcStatCpu(this.frame().sections.get('stat') ?? '');
    const prev = this.previous ? parseProcStatCpu(this.previous.sections.get('stat') ?? '') : [];
    const pct = (p: { busy: number; total: number } | undefined, n: { busy: number; total: number }) => {
      if (!p) return n.total > 0 ? round1((n.busy / n.total) * 100) : 0;
      const total = n.total - p.total;
      return total > 0 ? round1(Math.min(100, Math.max(0, ((n.busy - p.busy) / total) * 100))) : 0;
    };
    const [total, ...cores] = next;
    if (!total) throw new Error(`${this.target.name}: /proc/stat has no cpu line`);
    return { total: pct(prev[0], total), cores: cores.map((c, i) => pct(prev[i + 1], c)) };
  }

  async memory(): Promise<MemoryReading> {
    const info = parseMeminfo(this.frame().sections.get('meminfo') ?? '');
    const total = info.get('MemTotal') ?? 0;
    const available = info.get('MemAvailable') ?? (info.get('MemFree') ?? 0) + (info.get('Cached') ?? 0);
    const swapTotal = info.get('SwapTotal') ?? 0;
    return memoryReading(total, available, swapTotal, swapTotal - (info.get('SwapFree') ?? 0));
  }

  load(): LoadReading {
    const [load1 = 0, load5 = 0, load15 = 0] = (this.latest?.sections.get('loadavg') ?? '').trim().split(/\s+/).map(Number);
    return { load1, load5, load15, cores: this.cores };
  }

  async diskIo(): Promise<DiskIoReading | null> {
    const sum = (text: string | undefined) => {
      const totals = [0, 0, 0, 0];
      for (const line of (text ?? '').split('\n')) {
        const f = line.trim().split(/\s+/);
        // Whole disks only (sda, nvme0n1, vda): partitions and virtual layers would double count.
        if (f.length < 10 || VIRTUAL_BLOCK.test(f[2]!) || /^(sd[a-z]+|vd[a-z]+|xvd[a-z]+|hd[a-z]+)\d+$|^nvme\d+n\d+p\d+$|^mmcblk\d+p\d+$/.test(f[2]!)) continue;
        totals[0]! += Number(f[3]);
        totals[1]! += Number(f[7]);
        totals[2]! += Number(f[5]) * SECTOR_BYTES;
        totals[3]! += Number(f[9]) * SECTOR_BYTES;
      }
      return totals;
    };
    const next = sum(this.frame().sections.get('diskstats'));
    const prev = this.previous ? sum(this.previous.sections.get('diskstats')) : undefined;
    const s = this.seconds();
    const [r, w, rb, wb] = next.map((v, i) => rate(prev?.[i], v, s)) as [number, number, number, number];
    return { readOpsPerSec: round1(r), writeOpsPerSec: round1(w), readBytesPerSec: Math.round(rb), writeBytesPerSec: Math.round(wb) };
  }

  async network(): Promise<readonly NetworkReading[]> {
    const parse = (text: string | undefined) => {
      const map = new Map<string, [number, number]>();
      for (const line of (text ?? '').split('\n').slice(2)) {
        const colon = line.indexOf(':');
        if (colon < 0) continue;
        const iface = line.slice(0, colon).trim();
        if (iface === 'lo') continue;
        const f = line.slice(colon + 1).trim().split(/\s+/).map(Number);
        map.set(iface, [f[0] ?? 0, f[8] ?? 0]);
      }
      return map;
    };
    const next = parse(this.frame().sections.get('netdev'));
    const prev = this.previous ? parse(this.previous.sections.get('netdev')) : new Map<string, [number, number]>();
    const s = this.seconds();
    return [...next].map(([iface, [rx, tx]]) => ({ iface, rxBytesPerSec: Math.round(rate(prev.get(iface)?.[0], rx, s)), txBytesPerSec: Math.round(rate(prev.get(iface)?.[1], tx, s)), operstate: 'unknown' }));
  }

  async fileSystems(): Promise<readonly FsReading[]> {
    this.frame();
    return this.disks;
  }

  /** Not sampled remotely (it would cost a process walk per refresh on the server): take a snapshot instead. */
  async processes(): Promise<ProcessReading> {
    return { total: 0, byCpu: [], byMemory: [] };
  }
}

/** One sample from a running source, the way the sampler builds it (rates need two frames first). */
export async function sampleOnce(source: RemoteProcSource, at: number): Promise<GaugeSample> {
  const errors: string[] = [];
  const get = async <T>(part: string, read: () => Promise<T> | T): Promise<T | null> => {
    try {
      return await read();
    } catch (error) {
      errors.push(`${part}: ${error instanceof Error ? error.message : String(error)}`);
      return null;
    }
  };
  const [cpu, memory, load, diskIo, network, disks] = await Promise.all([
    get('cpu', () => source.cpu()),
    get('memory', () => source.memory()),
    get('load', () => source.load()),
    get('diskIo', () => source.diskIo()),
    get('network', () => source.network()),
    get('disks', () => source.fileSystems()),
  ]);
  return { at, cpu, memory, load, diskIo, network, disks, disksAt: disks ? at : null, errors };
}
