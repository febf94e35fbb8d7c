import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { formatClock } from '../../i18n/dates';

export interface ChartSeries {
  readonly label: string;
  readonly stroke: string;
  readonly width?: number;
  readonly dash?: readonly number[];
}

export interface ChartThreshold {
  readonly value: number;
  readonly color: string;
}

interface TimeChartProps {
  /** [x (epoch seconds), ...one array per series]; bounded by the store's window. */
  readonly data: uPlot.AlignedData;
  readonly series: readonly ChartSeries[];
  readonly format: (value: number) => string;
  /** Fixed y range (percentages); omitted: from 0 to the data's maximum. */
  readonly range?: readonly [number, number];
  readonly thresholds?: readonly ChartThreshold[];
  readonly height?: number;
  readonly testId?: string;
}

const AXIS = { stroke: '#8b98a5', grid: { stroke: '#2a3540', width: 1 }, ticks: { stroke: '#2a3540', width: 1 }, font: '11px system-ui, sans-serif' };

/**
 * A live line chart on uPlot (canvas, no injected styles: it works under style-src 'self').
 * The plot is built once per series layout and fed with setData; it is destroyed on unmount,
 * and its width follows the container.
 */
export function TimeChart({ data, series, format, range, thresholds = [], height = 120, testId }: TimeChartProps) {
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const latest = useRef({ data, thresholds });
  latest.current = { data, thresholds };
  const layout = series.map((s) => `${s.label}|${s.stroke}`).join(',') + (range ? range.join('-') : '');

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const opts: uPlot.Options = {
      width: Math.max(200, el.clientWidth),
      height,
      legend: { show: false },
      cursor: { drag: { x: false, y: false }, points: { size: 5 } },
      scales: { x: { time: true }, y: range ? { range: [range[0], range[1]] } : { range: (_u, _min, max) => [0, max > 0 ? max * 1.15 : 1] } },
      axes: [
        // 24-hour clock times in the console's zone (uPlot's default says "8:30pm"); seconds when ticks are closer than a minute.
        { ...AXIS, size: 28, space: 60, values: (_u, ticks) => ticks.map((v, _i, all) => formatClock(v * 1000, all.length > 1 && all[1]! - all[0]! < 60)) },
        { ...AXIS, size: 52, values: (_u, ticks) => ticks.map((v) => format(v)) },
      ],
      series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.stroke, width: s.width ?? 1.5, points: { show: false }, ...(s.dash ? { dash: [...s.dash] } : {}) }))],
      hooks: {
        // Threshold lines (warning, danger) drawn under the data.
        drawAxes: [
          (u) => {
            const { ctx, bbox } = u;
            ctx.save();
            ctx.setLineDash([4, 4]);
            ctx.lineWidth = 1;
            for (const t of latest.current.thresholds) {
              const y = Math.round(u.valToPos(t.value, 'y', true)) + 0.5;
              if (y < bbox.top || y > bbox.top + bbox.height) continue;
              ctx.strokeStyle = t.color;
              ctx.beginPath();
              ctx.moveTo(bbox.left, y);
              ctx.lineTo(bbox.left + bbox.width, y);
              ctx.stroke();
            }
            ctx.restore();
          },
        ],
      },
    };
    const p = new uPlot(opts, latest.current.data, el);
    plot.current = p;
    const resize = new ResizeObserver(() => p.setSize({ width: Math.max(200, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      p.destroy();
      plot.current = null;
    };
    // Rebuilt only when the series layout changes; data flows through setData below.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout, height]);

  useEffect(() => {
    plot.current?.setData(data);
  }, [data]);

  return <div className="chart" ref={box} data-testid={testId} />;
}
