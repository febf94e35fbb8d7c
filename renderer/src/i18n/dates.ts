import { DateFormatter } from '../../../shared/datetime';

// The console shows every moment one way (shared/datetime.ts): `2026-12-07 09:30:00 UTC+09:00`,
// in this machine's zone, the same in English and Japanese.

let formatter = new DateFormatter();

/** Something with `format(at)`, where components held an Intl.DateTimeFormat. */
export interface TimeFormat {
  format(at: Date | number | string): string;
}

/** `2026-12-07 09:30:00 UTC+09:00`. */
export function formatDateTime(at: Date | number | string): string {
  return formatter.dateTime(at);
}

/** `09:30` / `09:30:15`, 24-hour, for chart axes (the zone is said beside the chart). */
export function formatClock(at: Date | number | string, seconds = false): string {
  return formatter.clockTime(at, { seconds });
}

/** The zone the console shows times in, as an offset (`UTC+09:00`). */
export function displayZone(at: Date | number | string = Date.now()): string {
  return formatter.zone(at);
}

export const dateTimeFormat: TimeFormat = { format: formatDateTime };

/** Shows times in another zone (tests; a setting later). */
export function setDisplayTimeZone(timeZone?: string): void {
  formatter = new DateFormatter(timeZone ? { timeZone } : {});
}
