import type { ReportDate } from '@kra/contracts';
import { Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

interface ReportDateSelectProps {
  dates: ReportDate[];
  value: string | undefined;
  onChange: (date: string) => void;
  loading: boolean;
}

export function ReportDateSelect({ dates, value, onChange, loading }: ReportDateSelectProps) {
  const { t } = useTranslation();
  return (
    <Select<string>
      showSearch
      value={value}
      onChange={onChange}
      loading={loading}
      placeholder={t('reports.selectDate')}
      style={{ width: 200 }}
      popupMatchSelectWidth={280}
      options={dates.map((d) => ({ value: d.date, label: d.date, projects: d.project_count }))}
      optionRender={(option) => (
        <div className="date-option" data-testid={`date-option-${option.value}`}>
          <span className="numeric">{option.value}</span>
          <Typography.Text type="secondary" className="small">
            {t('reports.dates.projects')} {option.data.projects}
          </Typography.Text>
        </div>
      )}
      data-testid="report-date-select"
    />
  );
}
