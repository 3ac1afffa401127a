import { EXPORT_COLUMNS, EXPORT_SHEET_NAME } from '@kra/contracts';
import { Card, Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSettings } from '../../api/settings';

type ExampleRow = Record<(typeof EXPORT_COLUMNS)[number], string> & { key: string };

/** What the downstream platform receives, with the cap setting in force. */
export function ExportFormatCard() {
  const { t } = useTranslation();
  const settings = useSettings();
  const capped = settings.data?.export_cap_at_one ?? true;
  const [key, period, cpu, memory] = EXPORT_COLUMNS;
  const example: ExampleRow[] = [
    {
      key: '1',
      [key]: 'PRJ-0001',
      [period]: '2026-11-20',
      [cpu]: '0.1234567890',
      [memory]: capped ? '1' : '1.3',
    },
    { key: '2', [key]: 'PRJ-0002', [period]: '2026-11-20', [cpu]: '0.85', [memory]: '0.4217' },
  ];

  return (
    <Card title={t('export.spec.title')} data-testid="export-format">
      <Typography.Paragraph>{t('export.spec.sheet', { sheet: EXPORT_SHEET_NAME })}</Typography.Paragraph>
      <Table<ExampleRow>
        size="small"
        bordered
        pagination={false}
        dataSource={example}
        columns={EXPORT_COLUMNS.map((column) => ({
          title: column,
          dataIndex: column,
          className: 'mono small',
        }))}
        className="export-example"
      />
      <ul className="help-list export-spec-list">
        <li>{t('export.spec.key')}</li>
        <li>{t('export.spec.period')}</li>
        <li>{t('export.spec.rates')}</li>
        <li>{t('export.spec.rows')}</li>
        <li>{t('export.spec.csv')}</li>
      </ul>
      <Typography.Paragraph type="secondary" className="export-cap" data-testid="export-cap-setting">
        {capped ? t('export.spec.capOn') : t('export.spec.capOff')}{' '}
        <Link to="/settings">{t('export.spec.capLink')}</Link>
      </Typography.Paragraph>
    </Card>
  );
}
