import type { ReactNode } from 'react';
import type { JobRun } from '@kra/contracts';
import { Button, Flex, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { RunStatusTag } from '../../components/scheduler/RunStatusTag';
import { formatDateTime, formatDuration, formatShortDateTime } from '../../lib/format';
import { CancelRunButton } from './CancelRunButton';

interface RunTableProps {
  /** The filter the rows answer, exposed as `data-filter` for page objects. */
  filterKey: string;
  runs: JobRun[];
  loading: boolean;
  busy: boolean;
  timezone: string;
  emptyText: ReactNode;
  onShowRun: (id: number) => void;
}

/** How long a finished run took; nothing while it runs. */
export function runDuration(run: JobRun): number | null {
  return run.finished_at === null ? null : Date.parse(run.finished_at) - Date.parse(run.started_at);
}

/** The runs, newest first: which job, why it ran, how it went and its summary; each opens its detail. */
export function RunTable({ filterKey, runs, loading, busy, timezone, emptyText, onShowRun }: RunTableProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<JobRun> = [
    {
      title: t('scheduler.history.columns.id'),
      dataIndex: 'id',
      width: 64,
      render: (id: number) => (
        <span className="numeric" data-testid="run-id" data-id={id}>
          {`#${id}`}
        </span>
      ),
    },
    {
      title: t('scheduler.history.columns.job'),
      dataIndex: 'job',
      width: 184,
      ellipsis: true,
      render: (job: JobRun['job']) => (
        <span data-testid="run-job" data-job={job}>
          {t(`scheduler.jobs.${job}.name`)}
        </span>
      ),
    },
    {
      title: t('scheduler.history.columns.trigger'),
      dataIndex: 'trigger',
      width: 84,
      render: (trigger: JobRun['trigger'], run) => (
        <span data-testid="run-trigger" data-trigger={trigger}>
          {t(`scheduler.trigger.${trigger}`)}
          {run.attempt > 1 && <Typography.Text type="secondary">{` ×${run.attempt}`}</Typography.Text>}
        </span>
      ),
    },
    {
      title: t('scheduler.history.columns.status'),
      dataIndex: 'status',
      width: 104,
      render: (status: JobRun['status']) => <RunStatusTag status={status} />,
    },
    {
      title: t('scheduler.history.columns.startedAt'),
      dataIndex: 'started_at',
      width: 112,
      render: (at: string) => (
        <Tooltip title={formatDateTime(at, timezone)}>
          <span className="numeric nowrap" data-testid="run-started">
            {formatShortDateTime(at, timezone)}
          </span>
        </Tooltip>
      ),
    },
    {
      title: t('scheduler.history.columns.duration'),
      key: 'duration',
      width: 92,
      align: 'right',
      render: (_, run) => {
        const ms = runDuration(run);
        return (
          <span className="numeric nowrap" data-testid="run-duration">
            {ms === null ? '—' : formatDuration(ms)}
          </span>
        );
      },
    },
    {
      title: t('scheduler.history.columns.summary'),
      dataIndex: 'summary',
      ellipsis: { showTitle: false },
      render: (summary: string) => (
        <Typography.Text ellipsis={{ tooltip: summary }} data-testid="run-summary">
          {summary}
        </Typography.Text>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 112,
      render: (_, run) => (
        <Flex gap={4} align="center">
          <Button type="link" size="small" onClick={() => onShowRun(run.id)} data-testid="run-open">
            {t('scheduler.job.detail')}
          </Button>
          {run.status === 'running' && (
            <CancelRunButton runId={run.id} requested={run.cancel_requested} compact testId="run-cancel" />
          )}
        </Flex>
      ),
    },
  ];
  return (
    <Table<JobRun>
      rowKey="id"
      size="small"
      columns={columns}
      dataSource={runs}
      loading={loading}
      pagination={runs.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      locale={{ emptyText }}
      data-testid="run-table"
      data-filter={filterKey}
      data-busy={busy}
    />
  );
}
