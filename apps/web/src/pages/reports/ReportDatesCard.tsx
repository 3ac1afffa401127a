import type { ReportDate, UsageSource } from '@kra/contracts';
import { Card, Table, Tooltip, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { UsageSourceTag } from '../../components/SourceTags';
import { formatCount, formatDateTime } from '../../lib/format';

interface ReportDatesCardProps {
  dates: ReportDate[];
  selected: string | undefined;
  onSelect: (date: string) => void;
}

/** Every date with data, newest first; a click opens that date. */
export function ReportDatesCard({ dates, selected, onSelect }: ReportDatesCardProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<ReportDate> = [
    {
      title: t('reports.date'),
      dataIndex: 'date',
      width: 104,
      render: (date: string, row) => (
        <Tooltip title={`${t('reports.dates.updatedAt')} ${formatDateTime(row.updated_at)}`} placement="left">
          <span className="numeric" data-testid="report-date">
            {date}
          </span>
        </Tooltip>
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
      width: 112,
      render: (sources: UsageSource[], row) => (
        <Tooltip
          title={row.files.length > 0 ? row.files.join('\n') : undefined}
          classNames={{ root: 'pre-tooltip' }}
        >
          <span className="source-tags">
            {sources.map((source) => (
              <UsageSourceTag key={source} source={source} />
            ))}
          </span>
        </Tooltip>
      ),
    },
  ];

  return (
    <Card
      title={t('reports.dates.title')}
      extra={<span className="card-extra-count">{t('reports.dates.count', { count: dates.length })}</span>}
      className="dates-card"
      data-testid="report-dates"
    >
      <Table<ReportDate>
        size="small"
        rowKey="date"
        columns={columns}
        dataSource={dates}
        pagination={false}
        scroll={{ y: 244 }}
        className="date-list"
        rowClassName={(row) => (row.date === selected ? 'date-row-selected' : '')}
        onRow={(row) => ({ onClick: () => onSelect(row.date) })}
      />
    </Card>
  );
}
