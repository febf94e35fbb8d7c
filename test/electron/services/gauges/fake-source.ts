import type { CpuReading, FsReading, MetricSource, ProcessReading } from '../../../../electron/services/gauges/types';

/** A MetricSource whose numbers the test sets; counts calls. */
export class FakeSource implements MetricSource {
  cpuValue = 10;
  memPercent = 20;
  diskPercent = 50;
  failCpu = false;
  calls = { cpu: 0, memory: 0, diskIo: 0, network: 0, fileSystems: 0, processes: 0 };

  async cpu(): Promise<CpuReading> {
    this.calls.cpu++;
    if (this.failCpu) throw new Error('cpu unavailable');
    return { total: this.cpuValue, cores: [this.cpuValue, this.cpuValue] };
  }
  async memory() {
    this.calls.memory++;
    const total = 1000;
    const used = (this.memPercent / 100) * total;
    return { totalBytes: total, usedBytes: used, availableBytes: total - used, percent: this.memPercent, swapTotalBytes: 0, swapUsedBytes: 0, swapPercent: 0 };
  }
  load() {
    return { load1: 0.5, load5: 0.4, load15: 0.3, cores: 2 };
  }
  async diskIo() {
    this.calls.diskIo++;
    return { readOpsPerSec: 1, writeOpsPerSec: 2, readBytesPerSec: 512, writeBytesPerSec: 1024 };
  }
  async network() {
    this.calls.network++;
    return [{ iface: 'eth0', rxBytesPerSec: 100, txBytesPerSec: 200, operstate: 'up' }];
  }
  async fileSystems(): Promise<FsReading[]> {
    this.calls.fileSystems++;
    return [{ fs: '/dev/vda', mount: '/', type: 'ext4', sizeBytes: 100, usedBytes: this.diskPercent, percent: this.diskPercent }];
  }
  async processes(limit: number): Promise<ProcessReading> {
    this.calls.processes++;
    const p = { pid: 1, name: 'init', command: '/sbin/init', cpuPercent: 1, memPercent: 1, rssBytes: 10 };
    return { total: 1, byCpu: [p].slice(0, limit), byMemory: [p].slice(0, limit) };
  }
}
