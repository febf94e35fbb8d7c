// Durations for people: the two most significant units, the second zero-padded.
// English "1h 05m" / "12m 30s" (the CLI and reports use it); Japanese "1時間05分" / "12分30秒".

interface DurationUnits {
  readonly d: string;
  readonly h: string;
  readonly m: string;
  readonly s: string;
  /** Between the two parts: "1h 05m" has a space, "1時間05分" none. */
  readonly gap: string;
}

const EN_UNITS: DurationUnits = { d: 'd', h: 'h', m: 'm', s: 's', gap: ' ' };
const JA_UNITS: DurationUnits = { d: '日', h: '時間', m: '分', s: '秒', gap: '' };

function format(ms: number, u: DurationUnits): string {
  const sign = ms < 0 ? '-' : '';
  let rest = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(rest / 86_400);
  rest -= d * 86_400;
  const h = Math.floor(rest / 3600);
  rest -= h * 3600;
  const m = Math.floor(rest / 60);
  const s = rest - m * 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (d > 0) return `${sign}${d}${u.d}${u.gap}${pad(h)}${u.h}`;
  if (h > 0) return `${sign}${h}${u.h}${u.gap}${pad(m)}${u.m}`;
  return `${sign}${m}${u.m}${u.gap}${pad(s)}${u.s}`;
}

/** "1h 05m", "12m 30s", "-3m 10s" for a breach. */
export function formatDuration(ms: number): string {
  return format(ms, EN_UNITS);
}

/** "1h 05m" / "12m 30s" in English; "1時間05分" / "12分30秒" / "2日03時間" in Japanese. */
export function formatDurationIn(ms: number, locale: string): string {
  return format(ms, locale.toLowerCase().startsWith('ja') ? JA_UNITS : EN_UNITS);
}
