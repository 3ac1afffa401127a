import type { SyncJob } from '@kra/contracts';
import { Button, Table, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../../lib/format';
import { JobStatusTag } from './JobStatusTag';

interface RecentJobsProps {
  jobs: SyncJob[];
  loading: boolean;
  shownId: string | undefined;
  onShow: (id: string) => void;
}

/** This server's range syncs, newest first; any of them can be shown above. */
export function RecentJobs({ jobs, loading, shownId, onShow }: RecentJobsProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<SyncJob> = [
    {
      title: t('prometheus.job.range'),
      key: 'range',
      render: (_, job) => <span className="numeric">{`${job.from} ~ ${job.to}`}</span>,
    },
    {
      title: t('prometheus.sync.columns.status'),
      dataIndex: 'status',
      width: 104,
      render: (status: SyncJob['status']) => <JobStatusTag status={status} />,
    },
    {
      title: t('prometheus.job.days'),
      key: 'progress',
      width: 104,
      align: 'right',
      render: (_, job) => <span className="numeric">{`${job.done_days} / ${job.total_days}`}</span>,
    },
    {
      title: t('prometheus.job.startedAt'),
      dataIndex: 'started_at',
      width: 176,
      render: (at: string) => <span className="numeric">{formatDateTime(at)}</span>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 96,
      render: (_, job) =>
        job.id === shownId ? (
          <Typography.Text type="secondary">{t('prometheus.job.shown')}</Typography.Text>
        ) : (
          <Button type="link" size="small" onClick={() => onShow(job.id)} data-testid="sync-job-open">
            {t('prometheus.job.open')}
          </Button>
        ),
    },
  ];
  return (
    <Table<SyncJob>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={jobs}
      loading={loading}
      pagination={jobs.length > 5 ? { pageSize: 5, size: 'small', showSizeChanger: false } : false}
      locale={{ emptyText: t('prometheus.job.recentEmpty') }}
      data-testid="sync-jobs"
    />
  );
}
