import { useTranslation } from 'react-i18next';

/** Register text in the UI language: Japanese where the register has it, else English. */
export function useLocalized(): (text: { readonly en: string; readonly ja?: string | undefined }) => string {
  const { i18n } = useTranslation();
  const ja = i18n.language.startsWith('ja');
  return (text) => (ja && text.ja ? text.ja : text.en);
}
