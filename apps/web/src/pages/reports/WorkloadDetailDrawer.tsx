import type { NamespaceUsage, WorkloadUsageList } from '@kra/contracts';
import { Alert, Drawer, Table, Tag, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNamespaceWorkloads } from '../../api/reports';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { formatCores, formatCount, formatGiB } from '../../lib/format';

type WorkloadRow = WorkloadUsageList['items'][number];

interface WorkloadDetailDrawerProps {
  date: string;
  /** The namespace row whose detail is open; null when closed. */
  row: NamespaceUsage | null;
  onClose: () => void;
}

function KindCell({ kind }: { kind: string | null }) {
  const { t } = useTranslation();
  if (kind !== null) return <Tag data-testid="workload-kind">{kind}</Tag>;
  return (
    <Tooltip title={t('reports.workloads.noWorkloadTip')}>
      <Tag color="default" data-testid="workload-kind" data-bare="true">
        {t('reports.workloads.noWorkload')}
      </Tag>
    </Tooltip>
  );
}

function KeptCell({ row }: { row: WorkloadRow }) {
  const { t } = useTranslation();
  const dropped = row.pods_seen - row.pods_kept;
  return (
    <span className="kept-cell">
      <span className="numeric" data-testid="workload-pods-kept">
        {formatCount(row.pods_kept)}
      </span>
      {dropped > 0 && (
        <Tag color="orange" data-testid="workload-dropped">
          {t('reports.workloads.dropped', { count: dropped })}
        </Tag>
      )}
    </span>
  );
}

function WorkloadTable({ items, loading }: { items: WorkloadRow[] | undefined; loading: boolean }) {
  const { t } = useTranslation();
  const numeric = (testId: string, format: (n: number | null) => string) => (value: number | null) => (
    <span className="numeric" data-testid={testId}>
      {format(value)}
    </span>
  );
  const columns: TableColumnsType<WorkloadRow> = [
    {
      title: t('reports.workloads.kind'),
      dataIndex: 'kind',
      width: 112,
      render: (kind: string | null) => <KindCell kind={kind} />,
    },
    {
      title: t('reports.workloads.name'),
      dataIndex: 'name',
      ellipsis: { showTitle: true },
      render: (name: string) => (
        <span className="mono" data-testid="workload-name">
          {name}
        </span>
      ),
    },
    {
      title: t('reports.workloads.replicas'),
      dataIndex: 'replicas',
      width: 88,
      align: 'right',
      render: numeric('workload-replicas', formatCount),
    },
    {
      title: t('reports.workloads.podsSeen'),
      dataIndex: 'pods_seen',
      width: 104,
      align: 'right',
      render: numeric('workload-pods-seen', formatCount),
    },
    {
      title: t('reports.workloads.podsKept'),
      key: 'pods_kept',
      width: 136,
      align: 'right',
      render: (_, row) => <KeptCell row={row} />,
    },
    {
      title: t('reports.workloads.cpu'),
      dataIndex: 'cpu_usage',
      width: 88,
      align: 'right',
      render: numeric('workload-cpu', formatCores),
    },
    {
      title: t('reports.workloads.memory'),
      dataIndex: 'memory_usage',
      width: 100,
      align: 'right',
      render: numeric('workload-memory', formatGiB),
    },
  ];
  return (
    <Table<WorkloadRow>
      size="small"
      rowKey={(row) => `${row.kind ?? 'pod'}/${row.name}`}
      columns={columns}
      dataSource={items}
      loading={loading}
      pagination={(items?.length ?? 0) > 20 ? { pageSize: 20, size: 'small' } : false}
      locale={{ emptyText: t('reports.workloads.empty') }}
      data-testid="workload-table"
    />
  );
}

/** What replica-dedup saw and counted in a namespace that day, per workload. */
export function WorkloadDetailDrawer({ date, row, onClose }: WorkloadDetailDrawerProps) {
  const { t } = useTranslation();
  const workloads = useNamespaceWorkloads(date, row?.cluster ?? null, row?.namespace ?? '', row !== null);
  const state = workloads.isError ? 'error' : workloads.isSuccess ? 'ready' : 'loading';
  return (
    <Drawer
      open={row !== null}
      title={row ? t('reports.workloads.title', { namespace: row.namespace }) : undefined}
      size={800}
      onClose={onClose}
      data-testid="workload-detail"
      data-state={state}
    >
      {row && (
        <div className="connection-test">
          <Typography.Text type="secondary">
            {t('reports.workloads.subtitle', { cluster: row.cluster ?? '—', date, origin: row.origin })}
          </Typography.Text>
          <Alert type="info" showIcon title={t('reports.workloads.rule')} />
          {workloads.isError ? (
            <ApiErrorAlert error={workloads.error} />
          ) : (
            <WorkloadTable items={workloads.data?.items} loading={workloads.isPending} />
          )}
        </div>
      )}
    </Drawer>
  );
}
