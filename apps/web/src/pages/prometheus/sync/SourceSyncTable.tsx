import type { SourceSyncResult } from '@kra/contracts';
import { Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorDetailList } from '../../../components/ErrorDetailList';
import { ExpandToggle } from '../../../components/ExpandToggle';
import { SyncStatusTag } from '../../../components/sync/SyncStatusTag';
import { formatCount, formatDuration } from '../../../lib/format';

type CountKey = 'namespaces' | 'pods' | 'unassigned_namespaces' | 'queries' | 'retries' | 'batches';
type CountId = 'namespaces' | 'pods' | 'unassigned' | 'queries' | 'retries' | 'batches';

/** Each count: its field, the id page objects read (`sync-<id>`) and headers are named by, and its tip. */
const COUNTS: { key: CountKey; id: CountId; width: number; tip?: 'unassignedTip' | 'batchesTip' }[] = [
  { key: 'namespaces', id: 'namespaces', width: 120 },
  { key: 'pods', id: 'pods', width: 64 },
  { key: 'unassigned_namespaces', id: 'unassigned', width: 100, tip: 'unassignedTip' },
  { key: 'queries', id: 'queries', width: 80 },
  { key: 'retries', id: 'retries', width: 76 },
  { key: 'batches', id: 'batches', width: 80, tip: 'batchesTip' },
];

/** One row per source of a day's sync: status, what it stored, what it cost; its errors open below. */
export function SourceSyncTable({ sources }: { sources: SourceSyncResult[] }) {
  const { t } = useTranslation();
  const countColumn = ({ key, id, width, tip }: (typeof COUNTS)[number]) => {
    const title = t(`prometheus.sync.columns.${id}`);
    return {
      title: tip ? (
        <Tooltip title={t(`prometheus.sync.columns.${tip}`)}>
          <span className="dotted">{title}</span>
        </Tooltip>
      ) : (
        title
      ),
      dataIndex: key,
      key,
      width,
      align: 'right' as const,
      render: (value: number | null) => (
        <span className={value ? 'numeric' : 'numeric count-zero'} data-testid={`sync-${id}`}>
          {formatCount(value)}
        </span>
      ),
    };
  };

  const columns: TableColumnsType<SourceSyncResult> = [
    {
      title: t('prometheus.sync.columns.status'),
      dataIndex: 'ok',
      width: 84,
      render: (ok: boolean) => <SyncStatusTag ok={ok} />,
    },
    {
      title: t('prometheus.sync.columns.source'),
      key: 'source',
      ellipsis: true,
      render: (_, row) => (
        <span className="two-line">
          <span data-testid="sync-source">{row.name}</span>
          <Typography.Text type="secondary" className="small" ellipsis>
            {`${row.cluster_name} · ${t(`prometheus.strategy.${row.strategy}`)}`}
          </Typography.Text>
        </span>
      ),
    },
    ...COUNTS.map(countColumn),
    {
      title: t('prometheus.sync.columns.duration'),
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
      title: t('prometheus.sync.columns.errors'),
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

  const withErrors = sources.filter((s) => s.errors.length > 0).map((s) => s.config_id);
  return (
    <Table<SourceSyncResult>
      rowKey="config_id"
      size="small"
      columns={columns}
      dataSource={sources}
      pagination={sources.length > 10 ? { pageSize: 10, size: 'small', showSizeChanger: false } : false}
      expandable={{
        expandedRowRender: (row) => (
          <div className="sync-errors" data-testid="sync-errors" data-source={row.name}>
            <ErrorDetailList details={row.errors} />
          </div>
        ),
        rowExpandable: (row) => row.errors.length > 0,
        defaultExpandedRowKeys: withErrors,
        expandIcon: ({ expanded, onExpand, record }) =>
          record.errors.length > 0 ? (
            <ExpandToggle
              expanded={expanded}
              label={t('prometheus.sync.columns.errors')}
              onToggle={(event) => onExpand(record, event)}
              testId="expand-errors"
            />
          ) : null,
        columnWidth: 40,
      }}
      data-testid="source-sync-table"
    />
  );
}
