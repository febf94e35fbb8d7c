import { formatDateTime as formatShared } from '../../i18n/dates';

/** A recorded time the one way the console shows times (`2026-12-07 10:12:00 UTC+09:00`). */
export function formatDateTime(iso: string): string {
  return formatShared(iso);
}
