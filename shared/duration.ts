import { formatDuration } from './sla';

// Locale-aware sibling of sla.ts's formatDuration (which stays English for the CLI and its
// tests): same two most significant units, same zero padding, Japanese unit words for 'ja'.
const JA_UNITS = { d: '日', h: '時間', m: '分', s: '秒' } as const;

/** "1h 05m" / "12m 30s" in English; "1時間05分" / "12分30秒" / "2日03時間" in Japanese. */
export function formatDurationIn(ms: number, locale: string): string {
  if (!locale.toLowerCase().startsWith('ja')) return formatDuration(ms);
  const sign = ms < 0 ? '-' : '';
  let rest = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(rest / 86_400);
  rest -= d * 86_400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}${JA_UNITS.d}${pad(h)}${JA_UNITS.h}`;
  if (h > 0) return `${sign}${h}${JA_UNITS.h}${pad(m)}${JA_UNITS.m}`;
  return `${sign}${m}${JA_UNITS.m}${pad(s)}${JA_UNITS.s}`;
}
