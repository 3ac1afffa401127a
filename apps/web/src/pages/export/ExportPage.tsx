import { useState, type Key } from 'react';
import type { ExportFormat, ReportDate, UsageSource } from '@kra/contracts';
import { DownloadOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Flex,
  Radio,
  Row,
  Table,
  Tag,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/errors';
import { exportReports, useReportDates } from '../../api/reports';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { UsageSourceTag } from '../../components/SourceTags';
import { formatCount } from '../../lib/format';
import { saveFile } from '../../lib/save-file';
import { ExportFormatCard } from './ExportFormatCard';

function NoMatchedProjects({ error, onUse }: { error: unknown; onUse: (dates: string[]) => void }) {
  const { t } = useTranslation();
  const available = isApiError(error) ? error.availableDates : [];
  return (
    <Alert
      type="warning"
      showIcon
      title={t('export.notFoundTitle')}
      description={
        <div data-testid="export-not-found">
          <div data-testid="api-error-message">{error instanceof Error ? error.message : ''}</div>
          {available.length > 0 ? (
            <Flex vertical gap={8} className="available-dates">
              <span>{t('export.availableDates')}</span>
              <Flex gap={4} wrap>
                {available.map((date) => (
                  <Tag key={date} className="numeric" data-testid="available-date">
                    {date}
                  </Tag>
                ))}
              </Flex>
              <div>
                <Button
                  size="small"
                  type="primary"
                  ghost
                  onClick={() => onUse(available)}
                  data-testid="use-available-dates"
                >
                  {t('export.useAvailable')}
                </Button>
              </div>
            </Flex>
          ) : (
            <div>{t('export.noAvailable')}</div>
          )}
        </div>
      }
    />
  );
}

export default function ExportPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params] = useSearchParams();
  const datesQuery = useReportDates();
  const dates = datesQuery.data?.items ?? [];
  const [selected, setSelected] = useState<Key[]>(
    () => params.get('dates')?.split(',').filter(Boolean) ?? [],
  );
  const [format, setFormat] = useState<ExportFormat>('xlsx');
  const [exporting, setExporting] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const chosen = selected.map(String).filter((date) => dates.some((d) => d.date === date));

  const run = async () => {
    if (chosen.length === 0) {
      message.warning(t('export.chooseDates'));
      return;
    }
    setExporting(true);
    setError(null);
    try {
      const file = await exportReports([...chosen].sort(), format);
      saveFile(file.blob, file.fileName);
      message.success(t('export.downloaded', { name: file.fileName }));
    } catch (cause) {
      setError(cause);
    } finally {
      setExporting(false);
    }
  };

  const columns: TableColumnsType<ReportDate> = [
    {
      title: t('reports.date'),
      dataIndex: 'date',
      render: (date: string) => (
        <span className="numeric" data-testid="export-date">
          {date}
        </span>
      ),
    },
    {
      title: t('reports.dates.projects'),
      dataIndex: 'project_count',
      align: 'right',
      render: (n: number) => <span className="numeric">{formatCount(n)}</span>,
    },
    {
      title: t('reports.dates.records'),
      dataIndex: 'record_count',
      align: 'right',
      render: (n: number) => <span className="numeric">{formatCount(n)}</span>,
    },
    {
      title: t('reports.dates.sources'),
      dataIndex: 'sources',
      render: (sources: UsageSource[]) => (
        <span className="source-tags">
          {sources.map((source) => (
            <UsageSourceTag key={source} source={source} />
          ))}
        </span>
      ),
    },
  ];

  const notFound = isApiError(error) && error.code === 'report_not_found';

  return (
    <div className="page" data-testid="export-page">
      <PageHeader title={t('export.title')} description={t('export.description')} />
      <Row gutter={16} align="top">
        <Col span={14}>
          <Card
            title={t('export.datesTitle')}
            extra={
              <Typography.Text type="secondary" data-testid="export-selected-count">
                {t('export.selectedCount', { count: chosen.length, total: dates.length })}
              </Typography.Text>
            }
          >
            <Flex vertical gap={16}>
              {datesQuery.isError && (
                <ApiErrorAlert error={datesQuery.error} title={t('common.loadFailed')} />
              )}
              <Table<ReportDate>
                size="small"
                rowKey="date"
                columns={columns}
                dataSource={dates}
                loading={datesQuery.isPending}
                rowSelection={{ selectedRowKeys: chosen, onChange: setSelected }}
                pagination={false}
                scroll={{ y: 360 }}
                locale={{
                  emptyText: <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('export.empty')} />,
                }}
                data-testid="export-dates"
                data-busy={datesQuery.isPending}
              />
              <Flex justify="space-between" align="center" gap={12} wrap>
                <Flex align="center" gap={12}>
                  <Typography.Text>{t('export.format')}</Typography.Text>
                  <Radio.Group
                    optionType="button"
                    value={format}
                    onChange={(e) => setFormat(e.target.value as ExportFormat)}
                    options={[
                      { value: 'xlsx', label: <span data-testid="export-format-xlsx">Excel (.xlsx)</span> },
                      { value: 'csv', label: <span data-testid="export-format-csv">CSV (.csv)</span> },
                    ]}
                  />
                </Flex>
                <Button
                  type="primary"
                  icon={<DownloadOutlined />}
                  onClick={() => void run()}
                  loading={exporting}
                  disabled={chosen.length === 0}
                  data-testid="export-download"
                >
                  {t('export.download')}
                </Button>
              </Flex>
              {notFound && <NoMatchedProjects error={error} onUse={(available) => setSelected(available)} />}
              {error !== null && !notFound && <ApiErrorAlert error={error} />}
            </Flex>
          </Card>
        </Col>
        <Col span={10}>
          <ExportFormatCard />
        </Col>
      </Row>
    </div>
  );
}
