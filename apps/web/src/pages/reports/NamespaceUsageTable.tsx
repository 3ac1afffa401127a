import { useState } from 'react';
import type { NamespaceUsage } from '@kra/contracts';
import { AppstoreOutlined, CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Button, Table, Tooltip, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { usePrometheusSources } from '../../api/prometheus';
import { useProjectNamespaces } from '../../api/reports';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { UsageSourceTag } from '../../components/SourceTags';
import { formatCores, formatGiB } from '../../lib/format';
import { WorkloadDetailDrawer } from './WorkloadDetailDrawer';

interface NamespaceUsageTableProps {
  date: string;
  project: string;
}

/** The drill-down of one project: the namespace rows its usage was summed from. */
export function NamespaceUsageTable({ date, project }: NamespaceUsageTableProps) {
  const { t } = useTranslation();
  const namespaces = useProjectNamespaces(date, project);
  const sources = usePrometheusSources();
  const [detail, setDetail] = useState<NamespaceUsage | null>(null);

  /**
   * Only replica-dedup keeps a workload detail. A row names its source, not the strategy it was
   * synced with, so the source's strategy now decides; a source since deleted may still have one.
   */
  const hasWorkloads = (row: NamespaceUsage) =>
    row.source === 'prometheus' &&
    sources.isSuccess &&
    (sources.data.items.find((source) => source.name === row.origin)?.strategy ?? 'replica-dedup') ===
      'replica-dedup';

  const columns: TableColumnsType<NamespaceUsage> = [
    {
      title: t('reports.namespaces.namespace'),
      dataIndex: 'namespace',
      render: (value: string) => (
        <span className="mono" data-testid="namespace-name">
          {value}
        </span>
      ),
    },
    {
      title: t('reports.namespaces.cluster'),
      dataIndex: 'cluster',
      width: 110,
      ellipsis: true,
      render: (value: string | null) => <span data-testid="namespace-cluster">{value ?? '—'}</span>,
    },
    {
      title: t('reports.namespaces.cpu'),
      dataIndex: 'cpu_usage',
      width: 96,
      align: 'right',
      render: (value: number) => (
        <span className="numeric" data-testid="namespace-cpu">
          {formatCores(value)}
        </span>
      ),
    },
    {
      title: t('reports.namespaces.memory'),
      dataIndex: 'memory_usage',
      width: 104,
      align: 'right',
      render: (value: number) => (
        <span className="numeric" data-testid="namespace-memory">
          {formatGiB(value)}
        </span>
      ),
    },
    {
      title: t('reports.namespaces.source'),
      dataIndex: 'source',
      width: 112,
      render: (_, row) => <UsageSourceTag source={row.source} />,
    },
    {
      title: t('reports.namespaces.origin'),
      dataIndex: 'origin',
      width: 136,
      ellipsis: { showTitle: true },
      render: (value: string) => <span className="mono small">{value}</span>,
    },
    {
      title: t('reports.namespaces.counted'),
      dataIndex: 'counted',
      width: 64,
      align: 'center',
      render: (counted: boolean) =>
        counted ? (
          <CheckOutlined className="counted-yes" data-testid="namespace-counted" />
        ) : (
          <Tooltip title={t('reports.namespaces.notCounted')}>
            <MinusOutlined className="counted-no" data-testid="namespace-not-counted" />
          </Tooltip>
        ),
    },
  ];
  const workloadsColumn: TableColumnsType<NamespaceUsage>[number] = {
    title: t('reports.namespaces.workloads'),
    key: 'workloads',
    width: 124,
    render: (_, row) =>
      hasWorkloads(row) && (
        <Tooltip title={t('reports.namespaces.workloadsTip')}>
          <Button
            type="link"
            size="small"
            icon={<AppstoreOutlined />}
            onClick={() => setDetail(row)}
            data-testid="namespace-workloads"
          >
            {t('reports.namespaces.workloads')}
          </Button>
        </Tooltip>
      ),
  };
  const items = namespaces.data?.items ?? [];

  if (namespaces.isError) return <ApiErrorAlert error={namespaces.error} />;
  return (
    <div className="namespace-panel" data-testid="namespace-table" data-project={project}>
      <Table<NamespaceUsage>
        size="small"
        rowKey={(row) => `${row.cluster ?? ''}/${row.namespace}/${row.source}/${row.origin}`}
        columns={items.some(hasWorkloads) ? [...columns, workloadsColumn] : columns}
        dataSource={namespaces.data?.items}
        loading={namespaces.isPending}
        pagination={items.length > 10 ? { pageSize: 10, size: 'small' } : false}
        rowClassName={(row) => (row.counted ? '' : 'row-muted')}
        locale={{ emptyText: t('reports.namespaces.empty') }}
      />
      <WorkloadDetailDrawer date={date} row={detail} onClose={() => setDetail(null)} />
    </div>
  );
}
