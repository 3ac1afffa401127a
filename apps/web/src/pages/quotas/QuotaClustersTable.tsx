import type { ProjectQuota, QuotaShare } from '@kra/contracts';
import { Table, Tag, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatCores, formatGiB } from '../../lib/format';

/** A synced quota's parts: what each cluster reports for the project (they add up to the quota). */
export function QuotaClustersTable({ quota }: { quota: ProjectQuota }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<QuotaShare> = [
    {
      title: t('quotas.clusters.cluster'),
      dataIndex: 'cluster_name',
      render: (value: string) => <span data-testid="share-cluster">{value}</span>,
    },
    {
      title: t('quotas.columns.cpuQuota'),
      dataIndex: 'cpu_quota',
      width: 124,
      align: 'right',
      render: (value: number) => (
        <span className="numeric" data-testid="share-cpu">
          {formatCores(value)}
        </span>
      ),
    },
    {
      title: t('quotas.columns.memoryQuota'),
      dataIndex: 'memory_quota',
      width: 136,
      align: 'right',
      render: (value: number) => (
        <span className="numeric" data-testid="share-memory">
          {formatGiB(value)}
        </span>
      ),
    },
    {
      title: t('quotas.clusters.origin'),
      dataIndex: 'origin',
      width: 168,
      render: (origin: QuotaShare['origin']) => (
        <Tag data-testid="share-origin" data-origin={origin}>
          {t(`quotas.origin.${origin}`)}
        </Tag>
      ),
    },
  ];
  return (
    <div className="namespace-panel" data-testid="quota-clusters" data-cloud-id={quota.cloud_id}>
      <Table<QuotaShare>
        size="small"
        rowKey="cluster_name"
        columns={columns}
        dataSource={quota.clusters}
        pagination={false}
      />
    </div>
  );
}
