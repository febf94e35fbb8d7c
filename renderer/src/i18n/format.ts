import i18next from 'i18next';
import { formatDurationIn } from '../../../shared/duration';

/**
 * Durations in the UI's current language. Components that call it use useTranslation, so they
 * re-render on a language switch and pick the new units up.
 */
export function formatDuration(ms: number): string {
  return formatDurationIn(ms, i18next.language ?? 'en');
}
