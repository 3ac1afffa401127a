import { useState } from 'react';
import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Flex, Form, Row, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { DateInput } from '../../components/DateInput';
import { PageHeader } from '../../components/PageHeader';
import { FormatHelp } from './FormatHelp';
import { isBusy, isPending, type UploadItem } from './upload-queue';
import { UploadFileItem } from './UploadFileItem';
import { useReportUploads } from './useReportUploads';

function UploadSummary({ items }: { items: UploadItem[] }) {
  const { t } = useTranslation();
  const done = items.filter((item) => item.status === 'done');
  const failed = items.filter((item) => item.status === 'failed' || item.status === 'error');
  if (done.length + failed.length === 0 || items.some(isBusy)) return null;
  const dates = [
    ...new Set(done.map((item) => item.result?.date).filter((date): date is string => Boolean(date))),
  ].sort();
  return (
    <Alert
      type={failed.length === 0 ? 'success' : done.length === 0 ? 'error' : 'warning'}
      showIcon
      title={t('upload.summary', { ok: done.length, failed: failed.length })}
      description={
        dates.length > 0 && (
          <Flex gap={12} wrap>
            {dates.map((date) => (
              <Link key={date} to={`/reports?date=${date}`} data-testid="upload-view-report">
                {t('upload.viewReport', { date })}
              </Link>
            ))}
          </Flex>
        )
      }
      data-testid="upload-summary"
    />
  );
}

export default function UploadPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const uploads = useReportUploads();
  const [dateOverride, setDateOverride] = useState<string>();
  const running = uploads.items.some(isBusy);
  const pending = uploads.items.filter(isPending).length;

  return (
    <div className="page" data-testid="upload-page">
      <PageHeader title={t('upload.title')} description={t('upload.description')} />
      <Row gutter={16} align="top">
        <Col xs={24} xl={15}>
          <Card>
            <div className="upload-panel">
              <Upload.Dragger
                accept=".txt,text/plain"
                multiple
                showUploadList={false}
                beforeUpload={(file) => {
                  if (file.name.toLowerCase().endsWith('.txt')) uploads.add([file]);
                  else message.warning(t('upload.onlyTxt', { name: file.name }));
                  return Upload.LIST_IGNORE;
                }}
                data-testid="upload-dragger"
              >
                <p className="ant-upload-drag-icon">
                  <InboxOutlined />
                </p>
                <p className="ant-upload-text">{t('upload.drag')}</p>
                <p className="ant-upload-hint">{t('upload.dragHint')}</p>
              </Upload.Dragger>
              <Flex justify="space-between" align="flex-end" gap={16} wrap>
                <Form layout="vertical" className="upload-options">
                  <Form.Item label={t('upload.dateOverride')} extra={t('upload.dateOverrideHelp')}>
                    <DateInput placeholder="YYYY-MM-DD" onChange={setDateOverride} testId="upload-date" />
                  </Form.Item>
                </Form>
                <Flex gap={8} className="upload-actions">
                  <Button onClick={uploads.clear} disabled={uploads.items.length === 0 || running}>
                    {t('upload.clear')}
                  </Button>
                  <Button
                    type="primary"
                    onClick={() => void uploads.start(dateOverride)}
                    disabled={pending === 0 || running}
                    loading={running}
                    data-testid="upload-start"
                  >
                    {t('upload.start')}
                  </Button>
                </Flex>
              </Flex>
              {uploads.items.length > 0 && (
                <div className="upload-queue" data-testid="upload-queue">
                  <Typography.Text strong>
                    {t('upload.queueTitle', { count: uploads.items.length })}
                  </Typography.Text>
                  <UploadSummary items={uploads.items} />
                  {uploads.items.map((item) => (
                    <UploadFileItem
                      key={item.id}
                      item={item}
                      dateOverride={dateOverride}
                      onRemove={() => uploads.remove(item.id)}
                      onCancel={() => uploads.cancel(item.id)}
                    />
                  ))}
                </div>
              )}
            </div>
          </Card>
        </Col>
        <Col xs={24} xl={9}>
          <FormatHelp />
        </Col>
      </Row>
    </div>
  );
}
