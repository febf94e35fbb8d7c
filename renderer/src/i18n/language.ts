import i18next from 'i18next';

export const LANGUAGES = ['en', 'ja'] as const;
export type Language = (typeof LANGUAGES)[number];

// localStorage key of the user's explicit choice; without one the OS/browser language wins.
export const LANGUAGE_STORAGE_KEY = 'firebreak.language';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** 'ja' when the first preferred language is Japanese, else 'en' (the only two bundles). */
export function languageFromPreferences(preferred: readonly string[]): Language {
  const first = preferred[0]?.toLowerCase() ?? '';
  return first === 'ja' || first.startsWith('ja-') ? 'ja' : 'en';
}

function storage(): Storage | undefined {
  // localStorage can throw (disabled storage, opaque origins); the language then just isn't remembered.
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The saved choice, else the OS/browser language (navigator.languages, as Electron reports the OS locale there). */
export function initialLanguage(): Language {
  try {
    const saved = storage()?.getItem(LANGUAGE_STORAGE_KEY);
    if (isLanguage(saved)) return saved;
  } catch {
    // fall through to the browser's preference
  }
  if (typeof navigator === 'undefined') return 'en';
  const preferred = navigator.languages?.length ? navigator.languages : [navigator.language ?? 'en'];
  return languageFromPreferences(preferred);
}

export function applyDocumentLanguage(language: string): void {
  if (typeof document !== 'undefined') document.documentElement.lang = language;
}

/** Switches every mounted component (useTranslation re-renders on languageChanged) and remembers the choice. */
export async function chooseLanguage(language: Language): Promise<void> {
  try {
    storage()?.setItem(LANGUAGE_STORAGE_KEY, language);
  } catch {
    // not remembered, still switched
  }
  await i18next.changeLanguage(language);
}

export function currentLanguage(): Language {
  return isLanguage(i18next.language) ? i18next.language : 'en';
}
