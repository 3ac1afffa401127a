import type { ClusterSyncResult } from '@kra/contracts';
import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncKind } from '../../api/clusters';
import { formatCount, formatDuration } from '../../lib/format';
import { ErrorDetailList } from '../ErrorDetailList';
import { ExpandToggle } from '../ExpandToggle';
import { SyncStatusTag } from './SyncStatusTag';

type CountKey = 'created' | 'updated' | 'unchanged' | 'skipped' | 'removed' | 'namespaces' | 'requests';

/**
 * The counts a sync of `kind` reports. Only a project sync skips anything (manual quotas); its
 * `namespaces` is 0 where it read ProjectQuotas instead, so it is not shown.
 */
const COUNTS: Record<SyncKind, CountKey[]> = {
  namespaces: ['created', 'updated', 'unchanged', 'removed', 'namespaces', 'requests'],
  projects: ['created', 'updated', 'unchanged', 'skipped', 'removed', 'requests'],
};

/** Wide enough for each header on one line in English too ("Namespaces", "Removed", "Requests"). */
const COUNT_WIDTHS: Record<CountKey, number> = {
  created: 84,
  updated: 88,
  unchanged: 72,
  skipped: 84,
  removed: 92,
  namespaces: 116,
  requests: 92,
};

interface SyncResultTableProps {
  kind: SyncKind;
  clusters: ClusterSyncResult[];
}

/** One row per cluster: status, what changed, requests and time; a cluster's errors open below its row. */
export function SyncResultTable({ kind, clusters }: SyncResultTableProps) {
  const { t } = useTranslation();
  const countColumn = (key: CountKey) => ({
    title: t(`sync.columns.${key}`),
    dataIndex: key,
    key,
    width: COUNT_WIDTHS[key],
    align: 'right' as const,
    render: (value: number) => (
      <span className={value === 0 ? 'numeric count-zero' : 'numeric'} data-testid={`sync-${key}`}>
        {formatCount(value)}
      </span>
    ),
  });

  const columns: TableColumnsType<ClusterSyncResult> = [
    {
      title: t('sync.columns.status'),
      dataIndex: 'ok',
      width: 84,
      render: (ok: boolean) => <SyncStatusTag ok={ok} />,
    },
    {
      title: t('sync.columns.cluster'),
      dataIndex: 'cluster_name',
      ellipsis: true,
      render: (value: string) => <span data-testid="sync-cluster">{value}</span>,
    },
    ...COUNTS[kind].map(countColumn),
    {
      title: t('sync.columns.duration'),
      dataIndex: 'duration_ms',
      width: 80,
      align: 'right',
      render: (ms: number) => (
        <span className="numeric nowrap" data-testid="sync-duration">
          {formatDuration(ms)}
        </span>
      ),
    },
    {
      title: t('sync.columns.errors'),
      key: 'errors',
      width: 72,
      align: 'right',
      render: (_, row) => (
        <span
          className={row.errors.length > 0 ? 'numeric count-errors' : 'numeric count-zero'}
          data-testid="sync-error-count"
        >
          {row.errors.length}
        </span>
      ),
    },
  ];

  const withErrors = clusters.filter((c) => c.errors.length > 0).map((c) => c.cluster_id);
  return (
    <Table<ClusterSyncResult>
      rowKey="cluster_id"
      size="small"
      columns={columns}
      dataSource={clusters}
      pagination={clusters.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      expandable={{
        expandedRowRender: (row) => (
          <div className="sync-errors" data-testid="sync-errors" data-cluster={row.cluster_name}>
            <ErrorDetailList details={row.errors} />
          </div>
        ),
        rowExpandable: (row) => row.errors.length > 0,
        defaultExpandedRowKeys: withErrors,
        expandIcon: ({ expanded, onExpand, record }) =>
          record.errors.length > 0 ? (
            <ExpandToggle
              expanded={expanded}
              label={t('sync.columns.errors')}
              onToggle={(event) => onExpand(record, event)}
              testId="expand-errors"
            />
          ) : null,
        columnWidth: 40,
      }}
      data-testid="sync-result-table"
    />
  );
}
