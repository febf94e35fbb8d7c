import type { Level } from '../../../../shared/monitor';

/** Canvas colours (uPlot draws on a canvas, which cannot read CSS variables). */
export const LEVEL_COLOR: Readonly<Record<Level, string>> = { normal: '#3fb950', warning: '#e3b341', danger: '#f85149' };
export const PALETTE = ['#58a6ff', '#ff7a45', '#a371f7', '#3fb950', '#e3b341', '#f778ba', '#79c0ff', '#d2a8ff'];
export const MUTED_STROKE = 'rgba(139, 152, 165, 0.45)';

const UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];

export function formatBytes(bytes: number, digits = 1): string {
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : digits)} ${UNITS[unit]}`;
}

export const formatRate = (bytesPerSec: number) => `${formatBytes(bytesPerSec)}/s`;
export const formatPercent = (value: number) => `${Math.round(value * 10) / 10}%`;
export const formatShortPercent = (value: number) => `${Math.round(value)}%`;

export function formatCount(value: number): string {
  if (value >= 10_000) return `${Math.round(value / 1000)}k`;
  if (value >= 100) return String(Math.round(value));
  return String(Math.round(value * 10) / 10);
}

/** "12 s ago" style age for "updated" labels. */
export function ageSeconds(at: number, now: number): string {
  const s = Math.max(0, Math.round((now - at) / 1000));
  return s < 90 ? `${s} s` : `${Math.round(s / 60)} min`;
}
