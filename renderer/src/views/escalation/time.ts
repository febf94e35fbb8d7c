import i18next from 'i18next';

/** A recorded time in the UI's language and the laptop's time zone ("2026/12/07 10:12"). */
export function formatDateTime(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return iso;
  return new Date(ms).toLocaleString(i18next.language ?? 'en', { dateStyle: 'short', timeStyle: 'short' });
}
