import { useTranslation } from 'react-i18next';
import { chooseLanguage, isLanguage, LANGUAGES } from '../i18n/language';

/** The UI language setting: switches without a reload and is remembered in localStorage. */
export function LanguageSelect() {
  const { t, i18n } = useTranslation();
  return (
    <label className="language-select small" title={t('language.label')}>
      <select
        value={i18n.language}
        aria-label={t('language.label')}
        data-testid="language"
        onChange={(e) => {
          if (isLanguage(e.target.value)) void chooseLanguage(e.target.value);
        }}
      >
        {LANGUAGES.map((lng) => (
          <option key={lng} value={lng}>
            {t(`language.${lng}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
