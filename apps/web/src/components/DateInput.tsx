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

const FORMAT = 'YYYY-MM-DD';

function usePickerLocale() {
  return useLanguage() === 'en' ? enLocale : zhPickerLocale;
}

/** Disables the days after `lastDate` (YYYY-MM-DD); the picker hands over its own date objects. */
const after = (lastDate: string | undefined) =>
  lastDate === undefined
    ? undefined
    : (day: { format: (f: string) => string }) => day.format(FORMAT) > lastDate;

interface DateInputProps {
  placeholder?: string;
  /** Called with YYYY-MM-DD, or undefined when cleared. */
  onChange: (date: string | undefined) => void;
  /** The last day that can be picked (YYYY-MM-DD); any day when undefined. */
  lastDate?: string;
  width?: number;
  testId?: string;
}

/** A calendar date picker that speaks YYYY-MM-DD strings, the API's date format. */
export function DateInput({ placeholder, onChange, lastDate, width = 180, testId }: DateInputProps) {
  return (
    <DatePicker
      locale={usePickerLocale()}
      format={FORMAT}
      placeholder={placeholder}
      allowClear
      disabledDate={after(lastDate)}
      onChange={(_, text) => onChange(typeof text === 'string' && text ? text : undefined)}
      data-testid={testId}
      style={{ width }}
    />
  );
}

interface DateRangeInputProps {
  /** Called with the first and last day (YYYY-MM-DD), or undefined when cleared. */
  onChange: (range: [string, string] | undefined) => void;
  lastDate?: string;
  testId?: string;
}

/** Two calendar dates, both included, as YYYY-MM-DD strings. */
export function DateRangeInput({ onChange, lastDate, testId }: DateRangeInputProps) {
  return (
    <DatePicker.RangePicker
      locale={usePickerLocale()}
      format={FORMAT}
      allowClear
      disabledDate={after(lastDate)}
      onChange={(_, [from, to]) => onChange(from && to ? [from, to] : undefined)}
      data-testid={testId}
      style={{ width: 260 }}
    />
  );
}
