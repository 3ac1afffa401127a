import type { Key, ReactNode } from 'react';
import type { ProjectQuota } from '@kra/contracts';
import { DeleteOutlined, EditOutlined } from '@ant-design/icons';
import { Button, Popconfirm, Space, Table, Tooltip, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { compactSortIcon } from '../../components/compactSortIcon';
import { ConfirmText } from '../../components/ConfirmText';
import { ExpandToggle } from '../../components/ExpandToggle';
import { QuotaSourceTag } from '../../components/SourceTags';
import { compareText } from '../../lib/compare';
import { formatCores, formatDateTime, formatGiB } from '../../lib/format';
import { QuotaClustersTable } from './QuotaClustersTable';

interface QuotaTableProps {
  quotas: ProjectQuota[];
  /** The search the rows answer, exposed for page objects. */
  search: string;
  loading: boolean;
  selected: Key[];
  onSelect: (keys: Key[]) => void;
  onEdit: (quota: ProjectQuota) => void;
  onDelete: (quota: ProjectQuota) => void;
  emptyText: ReactNode;
}

export function QuotaTable({
  quotas,
  search,
  loading,
  selected,
  onSelect,
  onEdit,
  onDelete,
  emptyText,
}: QuotaTableProps) {
  const { t } = useTranslation();
  const sources = [...new Set(quotas.map((q) => q.source))].sort();

  const columns: TableColumnsType<ProjectQuota> = [
    {
      title: t('quotas.columns.cloudId'),
      dataIndex: 'cloud_id',
      width: 128,
      sorter: (a, b) => compareText(a.cloud_id, b.cloud_id),
      defaultSortOrder: 'ascend',
      render: (value: string) => (
        <span className="mono" data-testid="quota-cloud-id">
          {value}
        </span>
      ),
    },
    {
      title: t('quotas.columns.projectName'),
      dataIndex: 'project_name',
      ellipsis: true,
      sorter: (a, b) => compareText(a.project_name, b.project_name),
      render: (value: string) => <span data-testid="quota-project">{value}</span>,
    },
    {
      title: t('quotas.columns.cpuQuota'),
      dataIndex: 'cpu_quota',
      align: 'right',
      width: 124,
      sorter: (a, b) => a.cpu_quota - b.cpu_quota,
      sortIcon: compactSortIcon,
      render: (value: number) => (
        <span className="numeric" data-testid="quota-cpu">
          {formatCores(value)}
        </span>
      ),
    },
    {
      title: t('quotas.columns.memoryQuota'),
      dataIndex: 'memory_quota',
      align: 'right',
      width: 136,
      sorter: (a, b) => a.memory_quota - b.memory_quota,
      sortIcon: compactSortIcon,
      render: (value: number) => (
        <span className="numeric" data-testid="quota-memory">
          {formatGiB(value)}
        </span>
      ),
    },
    {
      title: t('quotas.columns.source'),
      dataIndex: 'source',
      width: 104,
      filters: sources.map((source) => ({ text: <QuotaSourceTag source={source} />, value: source })),
      onFilter: (value, quota) => quota.source === value,
      render: (value: string) => <QuotaSourceTag source={value} />,
    },
    {
      title: t('quotas.columns.updatedAt'),
      dataIndex: 'updated_at',
      width: 184,
      sorter: (a, b) => a.updated_at.localeCompare(b.updated_at),
      render: (value: string) => <span className="numeric nowrap">{formatDateTime(value)}</span>,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 84,
      fixed: 'right',
      render: (_, quota) => (
        <Space size={4}>
          <Tooltip title={t('common.edit')}>
            <Button
              type="text"
              size="small"
              icon={<EditOutlined />}
              onClick={() => onEdit(quota)}
              aria-label={t('common.edit')}
              data-testid="quota-edit"
            />
          </Tooltip>
          <Popconfirm
            title={t('quotas.deleteConfirm', { name: quota.project_name })}
            okText={<ConfirmText>{t('common.delete')}</ConfirmText>}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => onDelete(quota)}
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('common.delete')}
              data-testid="quota-delete"
            />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Table<ProjectQuota>
      rowKey="cloud_id"
      columns={columns}
      dataSource={quotas}
      loading={loading}
      size="middle"
      scroll={{ x: 900 }}
      rowSelection={{ selectedRowKeys: selected, onChange: onSelect, preserveSelectedRowKeys: false }}
      // Only synced quotas have parts per cluster; without any, the toggle column would stay empty.
      expandable={
        quotas.some((quota) => quota.clusters.length > 0)
          ? {
              expandedRowRender: (quota) => <QuotaClustersTable quota={quota} />,
              rowExpandable: (quota) => quota.clusters.length > 0,
              expandIcon: ({ expanded, onExpand, record }) =>
                record.clusters.length > 0 ? (
                  <ExpandToggle
                    expanded={expanded}
                    label={t('quotas.clusters.expand')}
                    onToggle={(event) => onExpand(record, event)}
                    testId="expand-clusters"
                  />
                ) : null,
              columnWidth: 40,
            }
          : undefined
      }
      pagination={{
        defaultPageSize: 20,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 500],
        showTotal: (total) => t('common.total', { count: total }),
      }}
      locale={{ emptyText }}
      data-testid="quota-table"
      data-search={search}
      data-busy={loading}
    />
  );
}
