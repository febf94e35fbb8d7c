import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';

/** One i18n layer for every UI string; the language follows the OS/browser when more are added. */
export function initI18n(language = 'en'): typeof i18next {
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    resources: { en: { translation: en } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  return i18next;
}
