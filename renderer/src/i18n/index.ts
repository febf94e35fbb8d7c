import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en';
import { ja } from './ja';
import { applyDocumentLanguage, initialLanguage } from './language';

/** One i18n layer for every UI string: English and Japanese, starting from the saved choice or the OS/browser language. */
export function initI18n(language: string = initialLanguage()): typeof i18next {
  // <html lang> follows the language so fonts, line breaking and screen readers pick Japanese up.
  i18next.off('languageChanged', applyDocumentLanguage);
  i18next.on('languageChanged', applyDocumentLanguage);
  void i18next.use(initReactI18next).init({
    lng: language,
    fallbackLng: 'en',
    supportedLngs: ['en', 'ja'],
    resources: { en: { translation: en }, ja: { translation: ja } },
    interpolation: { escapeValue: false },
    initAsync: false,
    returnNull: false,
  });
  applyDocumentLanguage(i18next.language);
  return i18next;
}
