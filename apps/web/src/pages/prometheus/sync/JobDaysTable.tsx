import type { UsageSyncResult } from '@kra/contracts';
import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ExpandToggle } from '../../../components/ExpandToggle';
import { SyncStatusTag } from '../../../components/sync/SyncStatusTag';
import { formatCount, formatDuration } from '../../../lib/format';
import { SourceSyncTable } from './SourceSyncTable';

/** A day of a range sync, its sources' figures added up. */
interface DayRow {
  date: string;
  ok: boolean;
  sourcesOk: number;
  sources: number;
  namespaces: number;
  /** null when no source counts pods (namespace strategies). */
  pods: number | null;
  unassigned: number;
  queries: number;
  durationMs: number;
  errors: number;
  result: UsageSyncResult;
}

function dayRow(result: UsageSyncResult): DayRow {
  const sum = (pick: (s: UsageSyncResult['sources'][number]) => number) =>
    result.sources.reduce((n, s) => n + pick(s), 0);
  const pods = result.sources.filter((s) => s.pods !== null);
  return {
    date: result.date,
    ok: result.ok,
    sourcesOk: result.sources.filter((s) => s.ok).length,
    sources: result.sources.length,
    namespaces: sum((s) => s.namespaces),
    pods: pods.length > 0 ? pods.reduce((n, s) => n + (s.pods ?? 0), 0) : null,
    unassigned: sum((s) => s.unassigned_namespaces),
    queries: sum((s) => s.queries),
    durationMs: sum((s) => s.duration_ms),
    errors: sum((s) => s.errors.length),
    result,
  };
}

const count = (testId: string, width: number) => ({
  width,
  align: 'right' as const,
  render: (value: number | null) => (
    <span className={value ? 'numeric' : 'numeric count-zero'} data-testid={testId}>
      {formatCount(value)}
    </span>
  ),
});

/** One row per finished day of a range sync; a day opens to its per-source results. */
export function JobDaysTable({ results }: { results: UsageSyncResult[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<DayRow> = [
    {
      title: t('prometheus.sync.columns.date'),
      dataIndex: 'date',
      width: 120,
      render: (date: string) => (
        <span className="numeric" data-testid="job-day-date">
          {date}
        </span>
      ),
    },
    {
      title: t('prometheus.sync.columns.status'),
      dataIndex: 'ok',
      width: 84,
      render: (ok: boolean) => <SyncStatusTag ok={ok} />,
    },
    {
      title: t('prometheus.sync.columns.sources'),
      key: 'sources',
      width: 92,
      align: 'right',
      render: (_, row) => <span className="numeric">{`${row.sourcesOk} / ${row.sources}`}</span>,
    },
    {
      title: t('prometheus.sync.columns.namespaces'),
      dataIndex: 'namespaces',
      ...count('job-day-namespaces', 120),
    },
    { title: t('prometheus.sync.columns.pods'), dataIndex: 'pods', ...count('job-day-pods', 64) },
    {
      title: t('prometheus.sync.columns.unassigned'),
      dataIndex: 'unassigned',
      ...count('job-day-unassigned', 100),
    },
    { title: t('prometheus.sync.columns.queries'), dataIndex: 'queries', ...count('job-day-queries', 80) },
    {
      title: t('prometheus.sync.columns.duration'),
      dataIndex: 'durationMs',
      width: 80,
      align: 'right',
      render: (ms: number) => <span className="numeric nowrap">{formatDuration(ms)}</span>,
    },
    {
      title: t('prometheus.sync.columns.errors'),
      dataIndex: 'errors',
      width: 72,
      align: 'right',
      render: (errors: number) => (
        <span
          className={errors > 0 ? 'numeric count-errors' : 'numeric count-zero'}
          data-testid="job-day-errors"
        >
          {errors}
        </span>
      ),
    },
  ];

  return (
    <Table<DayRow>
      rowKey="date"
      size="small"
      columns={columns}
      dataSource={results.map(dayRow)}
      pagination={results.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      expandable={{
        expandedRowRender: (row) => (
          <div className="namespace-panel">
            <SourceSyncTable sources={row.result.sources} />
          </div>
        ),
        expandIcon: ({ expanded, onExpand, record }) => (
          <ExpandToggle
            expanded={expanded}
            label={t('prometheus.sync.columns.sources')}
            onToggle={(event) => onExpand(record, event)}
            testId="expand-day"
          />
        ),
        columnWidth: 40,
      }}
      locale={{ emptyText: t('prometheus.job.noDays') }}
      data-testid="job-days"
    />
  );
}
