import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type uPlot from 'uplot';
import type { GaugeUpdate, Level, ProcessEntry, RulesConfig } from '../../../../shared/monitor';
import { LOCAL_TARGET } from '../../../../shared/targets';
import { api, errorMessage } from '../../api';
import { useNow } from '../../hooks';
import { useAppStore } from '../../store/store';
import { formatBytes, formatCount, formatPercent, formatRate, formatShortPercent, ageSeconds, LEVEL_COLOR, MUTED_STROKE, PALETTE } from './format';
import { TimeChart, type ChartSeries, type ChartThreshold } from './TimeChart';

const PERCENT: readonly [number, number] = [0, 100];
/** More interfaces than this would make the chart unreadable; the busiest are shown. */
const MAX_IFACES = 4;

type Col = (number | null)[];

function thresholdsFor(rules: RulesConfig | undefined, metric: 'cpu' | 'memory' | 'disk'): ChartThreshold[] {
  const out: ChartThreshold[] = [];
  for (const rule of rules?.rules ?? []) {
    if (!rule.enabled || rule.kind !== 'level' || rule.metric !== metric) continue;
    if (rule.warning) out.push({ value: rule.warning.value, color: LEVEL_COLOR.warning });
    if (rule.danger) out.push({ value: rule.danger.value, color: LEVEL_COLOR.danger });
  }
  return out;
}

/** Columns for the charts, rebuilt when a sample arrives (at most 900 rows). */
function columns(updates: readonly GaugeUpdate[]) {
  const x: number[] = [];
  const cpu: Col = [];
  const cores: Col[] = [];
  const mem: Col = [];
  const swap: Col = [];
  const load: [Col, Col, Col] = [[], [], []];
  const ioR: Col = [];
  const ioW: Col = [];
  const ifaceTotals = new Map<string, number>();
  for (const { sample } of updates) for (const n of sample.network ?? []) ifaceTotals.set(n.iface, (ifaceTotals.get(n.iface) ?? 0) + n.rxBytesPerSec + n.txBytesPerSec);
  const ifaces = [...ifaceTotals.entries()].sort((a, b) => b[1] - a[1]).slice(0, MAX_IFACES).map(([name]) => name).sort();
  const net = ifaces.map(() => ({ rx: [] as Col, tx: [] as Col }));
  const ioBytes = updates.some((u) => u.sample.diskIo?.readBytesPerSec != null);
  updates.forEach(({ sample }, row) => {
    x.push(sample.at / 1000);
    cpu.push(sample.cpu?.total ?? null);
    sample.cpu?.cores.forEach((v, i) => {
      cores[i] ??= new Array<number | null>(row).fill(null);
      cores[i]!.push(v);
    });
    for (const c of cores) if (c.length < row + 1) c.push(null);
    mem.push(sample.memory?.percent ?? null);
    swap.push(sample.memory && sample.memory.swapTotalBytes > 0 ? sample.memory.swapPercent : null);
    load[0].push(sample.load?.load1 ?? null);
    load[1].push(sample.load?.load5 ?? null);
    load[2].push(sample.load?.load15 ?? null);
    const io = sample.diskIo;
    ioR.push(io ? (ioBytes ? io.readBytesPerSec : io.readOpsPerSec) : null);
    ioW.push(io ? (ioBytes ? io.writeBytesPerSec : io.writeOpsPerSec) : null);
    ifaces.forEach((iface, i) => {
      const n = sample.network?.find((r) => r.iface === iface);
      net[i]!.rx.push(n ? n.rxBytesPerSec : null);
      net[i]!.tx.push(n ? n.txBytesPerSec : null);
    });
  });
  return { x, cpu, cores, mem, swap, load, ioR, ioW, ioBytes, ifaces, net };
}

function Card({ title, level, value, detail, children, testId }: { title: string; level?: Level; value: string; detail?: string; children?: ReactNode; testId: string }) {
  return (
    <section className={`gauge-card level-${level ?? 'normal'}`} data-testid={testId} data-level={level ?? 'normal'}>
      <header>
        <h3>{title}</h3>
        <span className="gauge-value" data-testid={`${testId}-value`}>
          {value}
        </span>
      </header>
      {detail && <div className="gauge-detail muted small">{detail}</div>}
      {children}
    </section>
  );
}

function ProcessTable({ rows, title }: { rows: readonly ProcessEntry[]; title: string }) {
  const { t } = useTranslation();
  return (
    <table className="proc-table">
      <caption>{title}</caption>
      <thead>
        <tr>
          <th>{t('monitor.gauges.pid')}</th>
          <th>{t('monitor.gauges.name')}</th>
          <th className="num">{t('monitor.gauges.cpuCol')}</th>
          <th className="num">{t('monitor.gauges.memCol')}</th>
          <th className="num">{t('monitor.gauges.rss')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((p) => (
          <tr key={p.pid} title={p.command}>
            <td className="mono">{p.pid}</td>
            <td className="proc-name">{p.name}</td>
            <td className="num">{p.cpuPercent.toFixed(1)}</td>
            <td className="num">{p.memPercent.toFixed(1)}</td>
            <td className="num">{formatBytes(p.rssBytes, 0)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const NO_UPDATES: readonly GaugeUpdate[] = [];

/** The gauges of the chosen source: this laptop (with its process list) or a target (no processes; take a snapshot). */
export function Gauges() {
  const { t } = useTranslation();
  const source = useAppStore((s) => s.gaugeSource);
  const remote = source !== LOCAL_TARGET;
  const updates = useAppStore((s) => (remote ? (s.targetGaugeUpdates[source] ?? NO_UPDATES) : s.gaugeUpdates));
  const processes = useAppStore((s) => s.processes);
  const rules = useAppStore((s) => s.rulesView?.rules);
  const notify = useAppStore((s) => s.notify);
  const [refreshing, setRefreshing] = useState(false);
  const now = useNow(1000);
  const cols = useMemo(() => columns(updates), [updates]);
  const latest = updates[updates.length - 1];

  if (!latest) return <p className="muted pad">{remote ? t('targets.gaugesWaiting', { name: source }) : t('monitor.waiting')}</p>;
  const { sample, display } = latest;

  const cpuData: uPlot.AlignedData = [cols.x, cols.cpu, ...cols.cores];
  const cpuSeries: ChartSeries[] = [
    { label: t('monitor.gauges.cpu'), stroke: LEVEL_COLOR[display.cpu] === LEVEL_COLOR.normal ? PALETTE[0]! : LEVEL_COLOR[display.cpu], width: 2 },
    ...cols.cores.map((_, i) => ({ label: t('monitor.gauges.core', { n: i }), stroke: MUTED_STROKE, width: 1 })),
  ];
  const netSeries: ChartSeries[] = cols.ifaces.flatMap((iface, i) => [
    { label: `${iface} ${t('monitor.gauges.rx')}`, stroke: PALETTE[i % PALETTE.length]! },
    { label: `${iface} ${t('monitor.gauges.tx')}`, stroke: PALETTE[i % PALETTE.length]!, dash: [5, 3] },
  ]);
  const netData: uPlot.AlignedData = [cols.x, ...cols.net.flatMap((n) => [n.rx, n.tx])];
  const refresh = async () => {
    setRefreshing(true);
    try {
      useAppStore.getState().setProcesses(await api.gauges.refreshProcesses());
    } catch (error) {
      notify('error', errorMessage(error));
    } finally {
      setRefreshing(false);
    }
  };
  const mem = sample.memory;
  const io = sample.diskIo;

  return (
    <div className="gauges" data-source={source}>
      {sample.errors.length > 0 && <p className="error-text small">{t('monitor.gauges.errors', { errors: sample.errors.join('; ') })}</p>}
      <div className="gauge-grid">
        <Card testId="gauge-cpu" title={t('monitor.gauges.cpu')} level={display.cpu} value={sample.cpu ? formatPercent(sample.cpu.total) : '—'} detail={t('monitor.gauges.cores', { count: sample.cpu?.cores.length ?? 0 })}>
          <TimeChart testId="chart-cpu" data={cpuData} series={cpuSeries} format={formatShortPercent} range={PERCENT} thresholds={thresholdsFor(rules, 'cpu')} />
          <div className="cores" aria-label={t('monitor.gauges.cores', { count: sample.cpu?.cores.length ?? 0 })}>
            {sample.cpu?.cores.map((v, i) => (
              <span key={i} className={`core level-${display.cores[i] ?? 'normal'}`} title={`${t('monitor.gauges.core', { n: i })}: ${formatPercent(v)}`}>
                <span className="core-fill" style={{ height: `${Math.min(100, Math.max(0, v))}%` }} />
              </span>
            ))}
          </div>
        </Card>
        <Card
          testId="gauge-memory"
          title={t('monitor.gauges.memory')}
          level={display.memory}
          value={mem ? formatPercent(mem.percent) : '—'}
          detail={
            mem
              ? `${t('monitor.gauges.memoryDetail', { used: formatBytes(mem.usedBytes), total: formatBytes(mem.totalBytes) })} · ${t('monitor.gauges.swap')}: ${
                  mem.swapTotalBytes > 0 ? `${formatPercent(mem.swapPercent)} (${formatBytes(mem.swapUsedBytes)})` : t('monitor.gauges.swapNone')
                }`
              : undefined
          }
        >
          <TimeChart
            testId="chart-memory"
            data={[cols.x, cols.mem, cols.swap]}
            series={[
              { label: t('monitor.gauges.memory'), stroke: PALETTE[1]!, width: 2 },
              { label: t('monitor.gauges.swap'), stroke: PALETTE[2]!, dash: [5, 3] },
            ]}
            format={formatShortPercent}
            range={PERCENT}
            thresholds={thresholdsFor(rules, 'memory')}
          />
        </Card>
        <Card
          testId="gauge-load"
          title={t('monitor.gauges.load')}
          value={sample.load ? `${sample.load.load1.toFixed(2)} / ${sample.load.load5.toFixed(2)} / ${sample.load.load15.toFixed(2)}` : '—'}
          detail={t('monitor.gauges.loadDetail', { cores: sample.load?.cores ?? 0 })}
        >
          <TimeChart
            testId="chart-load"
            data={[cols.x, ...cols.load]}
            series={[
              { label: '1', stroke: PALETTE[0]!, width: 2 },
              { label: '5', stroke: PALETTE[2]! },
              { label: '15', stroke: PALETTE[6]!, dash: [5, 3] },
            ]}
            format={formatCount}
          />
        </Card>
        <Card
          testId="gauge-diskio"
          title={t('monitor.gauges.diskIo')}
          value={io ? (cols.ioBytes ? `${formatRate(io.readBytesPerSec ?? 0)} / ${formatRate(io.writeBytesPerSec ?? 0)}` : `${formatCount(io.readOpsPerSec)} / ${formatCount(io.writeOpsPerSec)} op/s`) : '—'}
          detail={`${t('monitor.gauges.read')} / ${t('monitor.gauges.write')}${io ? ` · ${formatCount(io.readOpsPerSec)} / ${formatCount(io.writeOpsPerSec)} op/s` : ''}`}
        >
          <TimeChart
            testId="chart-diskio"
            data={[cols.x, cols.ioR, cols.ioW]}
            series={[
              { label: t('monitor.gauges.read'), stroke: PALETTE[0]!, width: 1.5 },
              { label: t('monitor.gauges.write'), stroke: PALETTE[1]!, width: 1.5 },
            ]}
            format={cols.ioBytes ? (v) => formatBytes(v, 0) : formatCount}
          />
        </Card>
        <Card
          testId="gauge-network"
          title={t('monitor.gauges.network')}
          value={cols.ifaces.length ? `↓ ${formatRate(sum(sample.network, 'rxBytesPerSec'))}  ↑ ${formatRate(sum(sample.network, 'txBytesPerSec'))}` : '—'}
          detail={(sample.network ?? []).map((n) => `${n.iface} ↓${formatRate(n.rxBytesPerSec)} ↑${formatRate(n.txBytesPerSec)}`).join(' · ')}
        >
          <TimeChart testId="chart-network" data={netData} series={netSeries} format={(v) => formatBytes(v, 0)} />
        </Card>
        <Card testId="gauge-disks" title={t('monitor.gauges.disks')} value={`${sample.disks?.length ?? 0}`} level={worstOf(Object.values(display.disks))}>
          {(sample.disks ?? []).length === 0 && <p className="muted small">{t('monitor.gauges.noDisks')}</p>}
          <ul className="disk-bars">
            {(sample.disks ?? []).map((d) => (
              <li key={d.mount} className={`level-${display.disks[d.mount] ?? 'normal'}`} data-testid={`disk-${d.mount}`}>
                <span className="disk-mount" title={`${d.fs} (${d.type})`}>
                  {d.mount}
                </span>
                <span className="bar">
                  <span className="bar-fill" style={{ width: `${Math.min(100, d.percent)}%` }} />
                </span>
                <span className="disk-pct">{formatPercent(d.percent)}</span>
                <span className="muted small">
                  {formatBytes(d.usedBytes)} / {formatBytes(d.sizeBytes)}
                </span>
              </li>
            ))}
          </ul>
        </Card>
      </div>
      {remote ? (
        <p className="muted small">{t('targets.noProcesses')}</p>
      ) : (
      <section className="processes" data-testid="processes">
        <header className="section-head">
          <h3>{t('monitor.gauges.processes')}</h3>
          {processes && <span className="muted small">{t('monitor.gauges.updated', { time: ageSeconds(processes.at, now) })}</span>}
          <button type="button" onClick={() => void refresh()} disabled={refreshing} data-testid="refresh-processes">
            {t('monitor.gauges.refresh')}
          </button>
        </header>
        {processes ? (
          <div className="proc-tables">
            <ProcessTable title={t('monitor.gauges.byCpu')} rows={processes.reading.byCpu} />
            <ProcessTable title={t('monitor.gauges.byMemory')} rows={processes.reading.byMemory} />
          </div>
        ) : (
          <p className="muted small">{t('monitor.gauges.noProcesses')}</p>
        )}
      </section>
      )}
    </div>
  );
}

function sum(rows: readonly { rxBytesPerSec: number; txBytesPerSec: number }[] | null, key: 'rxBytesPerSec' | 'txBytesPerSec'): number {
  return (rows ?? []).reduce((total, r) => total + r[key], 0);
}

function worstOf(levels: readonly Level[]): Level {
  return levels.includes('danger') ? 'danger' : levels.includes('warning') ? 'warning' : 'normal';
}
