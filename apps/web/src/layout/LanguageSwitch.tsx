import { Segmented } from 'antd';
import { useTranslation } from 'react-i18next';
import { changeLanguage, useLanguage, type Language } from '../i18n';

const OPTIONS: { value: Language; label: string }[] = [
  { value: 'zh', label: '中文' },
  { value: 'en', label: 'EN' },
];

export function LanguageSwitch() {
  const { t } = useTranslation();
  const language = useLanguage();
  return (
    <Segmented<Language>
      size="small"
      options={OPTIONS.map((option) => ({
        ...option,
        label: <span data-testid={`language-${option.value}`}>{option.label}</span>,
      }))}
      value={language}
      onChange={(value) => void changeLanguage(value)}
      aria-label={t('app.language')}
      data-testid="language-switch"
      className="language-switch"
    />
  );
}
