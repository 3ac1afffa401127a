import { DatePicker } from 'antd';
import enLocale from 'antd/es/date-picker/locale/en_US';
import zhLocale from 'antd/es/date-picker/locale/zh_CN';
import { useLanguage } from '../i18n';

/**
 * antd takes week-day and month names from dayjs' locale, which this app does not load (dayjs is
 * antd's dependency, not ours); naming them here keeps the Chinese calendar fully Chinese.
 */
const zhPickerLocale = {
  ...zhLocale,
  lang: {
    ...zhLocale.lang,
    shortWeekDays: ['日', '一', '二', '三', '四', '五', '六'],
    shortMonths: Array.from({ length: 12 }, (_, i) => `${i + 1}月`),
  },
};

interface DateInputProps {
  placeholder?: string;
  /** Called with YYYY-MM-DD, or undefined when cleared. */
  onChange: (date: string | undefined) => void;
  testId?: string;
}

/** A calendar date picker that speaks YYYY-MM-DD strings, the API's date format. */
export function DateInput({ placeholder, onChange, testId }: DateInputProps) {
  const language = useLanguage();
  return (
    <DatePicker
      locale={language === 'en' ? enLocale : zhPickerLocale}
      format="YYYY-MM-DD"
      placeholder={placeholder}
      allowClear
      onChange={(_, text) => onChange(typeof text === 'string' && text ? text : undefined)}
      data-testid={testId}
      style={{ width: 180 }}
    />
  );
}
