import type { NamespaceUsage } from '@kra/contracts';
import { CheckOutlined, MinusOutlined } from '@ant-design/icons';
import { Table, Tooltip, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useProjectNamespaces } from '../../api/reports';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { UsageSourceTag } from '../../components/SourceTags';
import { formatCores, formatGiB } from '../../lib/format';

interface NamespaceUsageTableProps {
  date: string;
  project: string;
}

/** The drill-down of one project: the namespace rows its usage was summed from. */
export function NamespaceUsageTable({ date, project }: NamespaceUsageTableProps) {
  const { t } = useTranslation();
  const namespaces = useProjectNamespaces(date, project);

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
      render: (value: string | null) => value ?? '—',
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
      width: 100,
      render: (_, row) => <UsageSourceTag source={row.source} />,
    },
    {
      title: t('reports.namespaces.origin'),
      dataIndex: 'origin',
      width: 200,
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

  if (namespaces.isError) return <ApiErrorAlert error={namespaces.error} />;
  return (
    <div className="namespace-panel" data-testid="namespace-table" data-project={project}>
      <Table<NamespaceUsage>
        size="small"
        rowKey={(row) => `${row.cluster ?? ''}/${row.namespace}/${row.source}/${row.origin}`}
        columns={columns}
        dataSource={namespaces.data?.items}
        loading={namespaces.isPending}
        pagination={(namespaces.data?.items.length ?? 0) > 10 ? { pageSize: 10, size: 'small' } : false}
        rowClassName={(row) => (row.counted ? '' : 'row-muted')}
        locale={{ emptyText: t('reports.namespaces.empty') }}
      />
    </div>
  );
}
