import { REPORT_TEMPLATE_HEADER } from '@kra/contracts';
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { REPORT_TEMPLATE_URL } from '../../api/reports';

const EXAMPLE = [
  REPORT_TEMPLATE_HEADER,
  'payment;payment-prod;12.5;34359738368',
  'payment;payment-test;1.25e0;4294967296',
].join('\n');

export function FormatHelp() {
  const { t } = useTranslation();
  return (
    <Card
      title={t('upload.help.title')}
      extra={
        <Button
          size="small"
          href={REPORT_TEMPLATE_URL}
          download
          icon={<DownloadOutlined />}
          data-testid="report-template"
        >
          {t('upload.template')}
        </Button>
      }
      data-testid="upload-format-help"
    >
      <Typography.Text>{t('upload.help.line')}</Typography.Text>
      <code className="format-line">{t('upload.help.lineFormat')}</code>
      <Typography.Text type="secondary">{t('upload.help.example')}</Typography.Text>
      <code className="format-line">{EXAMPLE}</code>
      <ul className="help-list">
        <li>{t('upload.help.encoding')}</li>
        <li>{t('upload.help.header')}</li>
        <li>{t('upload.help.duplicates')}</li>
        <li>{t('upload.help.replace')}</li>
        <li>{t('upload.help.atomic')}</li>
      </ul>
    </Card>
  );
}
