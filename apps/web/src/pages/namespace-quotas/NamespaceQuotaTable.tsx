import type { ReactNode } from 'react';
import type { NamespaceQuota } from '@kra/contracts';
import { DeleteOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Table, Tooltip, Typography, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { ColumnTitle } from '../../components/ColumnTitle';
import { compactSortIcon } from '../../components/compactSortIcon';
import { ConfirmText } from '../../components/ConfirmText';
import { NamespaceQuotaSourceTag } from '../../components/SourceTags';
import { compareNullable, compareText } from '../../lib/compare';
import { formatCores, formatCount, formatDateTime, formatGiB, formatShortDateTime } from '../../lib/format';
import { UsageCell } from './UsageCell';

type Resource = 'cpu' | 'memory' | 'pods' | 'storage';

const FORMATS: Record<Resource, (value: number | null) => string> = {
  cpu: formatCores,
  memory: formatGiB,
  pods: formatCount,
  storage: formatGiB,
};

interface NamespaceQuotaTableProps {
  quotas: NamespaceQuota[];
  loading: boolean;
  /** The filters the rows answer, as one string, exposed for page objects. */
  filterKey: string;
  onDelete: (quota: NamespaceQuota) => void;
  emptyText: ReactNode;
}

export const namespaceQuotaKey = (q: NamespaceQuota) => `${q.cluster_name}/${q.namespace}`;

function NamespaceCell({ quota }: { quota: NamespaceQuota }) {
  const { t } = useTranslation();
  return (
    <div className="two-line">
      <Typography.Text className="mono" ellipsis={{ tooltip: quota.namespace }} data-testid="ns-namespace">
        {quota.namespace}
      </Typography.Text>
      {quota.project_name === null ? (
        <Tooltip title={t('namespaceQuotas.noProjectTip')}>
          <Typography.Text type="secondary" className="small" data-testid="ns-project" data-none="true">
            {t('namespaceQuotas.noProject')}
          </Typography.Text>
        </Tooltip>
      ) : (
        <Typography.Text
          className="small"
          ellipsis={{ tooltip: quota.project_name }}
          data-testid="ns-project"
        >
          {quota.project_name}
        </Typography.Text>
      )}
    </div>
  );
}

export function NamespaceQuotaTable({
  quotas,
  loading,
  filterKey,
  onDelete,
  emptyText,
}: NamespaceQuotaTableProps) {
  const { t } = useTranslation();

  const usageColumn = (resource: Resource, width: number) => {
    const rate = `${resource}_rate` as const;
    const used = `${resource}_used` as const;
    const limit = `${resource}_limit` as const;
    return {
      title: (
        <ColumnTitle
          title={t(`namespaceQuotas.columns.${resource}`)}
          sub={t('namespaceQuotas.usedOfLimit')}
        />
      ),
      key: resource,
      width,
      sorter: (a: NamespaceQuota, b: NamespaceQuota) => compareNullable(a[rate], b[rate]),
      sortIcon: compactSortIcon,
      render: (_: unknown, quota: NamespaceQuota) => (
        <UsageCell
          testId={`ns-${resource}`}
          used={quota[used]}
          limit={quota[limit]}
          rate={quota[rate]}
          format={FORMATS[resource]}
        />
      ),
    };
  };

  const columns: TableColumnsType<NamespaceQuota> = [
    {
      title: t('namespaceQuotas.columns.cluster'),
      dataIndex: 'cluster_name',
      width: 88,
      fixed: 'left',
      ellipsis: true,
      sorter: (a, b) => compareText(a.cluster_name, b.cluster_name),
      render: (value: string) => <span data-testid="ns-cluster">{value}</span>,
    },
    {
      title: (
        <ColumnTitle
          title={t('namespaceQuotas.columns.namespace')}
          sub={t('namespaceQuotas.columns.project')}
        />
      ),
      key: 'namespace',
      width: 156,
      fixed: 'left',
      sorter: (a, b) => compareText(a.namespace, b.namespace),
      render: (_, quota) => <NamespaceCell quota={quota} />,
    },
    usageColumn('cpu', 112),
    usageColumn('memory', 128),
    usageColumn('pods', 100),
    usageColumn('storage', 124),
    {
      title: (
        <Tooltip title={t('namespaceQuotas.columns.quotaCountTip')}>
          {t('namespaceQuotas.columns.quotaCount')}
        </Tooltip>
      ),
      dataIndex: 'quota_count',
      width: 76,
      align: 'right',
      sorter: (a, b) => a.quota_count - b.quota_count,
      sortIcon: compactSortIcon,
      render: (value: number) => (
        <span className="numeric" data-testid="ns-quota-count">
          {value}
        </span>
      ),
    },
    {
      title: (
        <ColumnTitle
          title={t('namespaceQuotas.columns.source')}
          sub={t('namespaceQuotas.columns.syncedAt')}
        />
      ),
      key: 'source',
      width: 104,
      sorter: (a, b) => a.synced_at.localeCompare(b.synced_at),
      sortIcon: compactSortIcon,
      render: (_, quota) => (
        <div className="two-line">
          <span>
            <NamespaceQuotaSourceTag source={quota.source} />
          </span>
          <Tooltip title={formatDateTime(quota.synced_at)}>
            <span className="numeric small secondary nowrap" data-testid="ns-synced-at">
              {formatShortDateTime(quota.synced_at)}
            </span>
          </Tooltip>
        </div>
      ),
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 80,
      fixed: 'right',
      render: (_, quota) => (
        <Popconfirm
          title={t('namespaceQuotas.deleteConfirm', {
            namespace: quota.namespace,
            cluster: quota.cluster_name,
          })}
          description={<div className="popconfirm-text">{t('namespaceQuotas.deleteDesc')}</div>}
          okText={<ConfirmText>{t('common.delete')}</ConfirmText>}
          cancelText={t('common.cancel')}
          okButtonProps={{ danger: true }}
          onConfirm={() => onDelete(quota)}
          placement="topRight"
        >
          <Button
            type="text"
            size="small"
            danger
            icon={<DeleteOutlined />}
            aria-label={t('common.delete')}
            data-testid="ns-delete"
          />
        </Popconfirm>
      ),
    },
  ];

  return (
    <Table<NamespaceQuota>
      rowKey={namespaceQuotaKey}
      columns={columns}
      dataSource={quotas}
      loading={loading}
      size="middle"
      scroll={{ x: 940 }}
      pagination={{
        defaultPageSize: 20,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 500],
        showTotal: (total) => t('common.total', { count: total }),
      }}
      locale={{ emptyText }}
      data-testid="ns-table"
      data-filter={filterKey}
      data-busy={loading}
    />
  );
}
