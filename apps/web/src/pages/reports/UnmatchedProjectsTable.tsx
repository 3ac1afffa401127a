import type { ReportRow, UsageSource } from '@kra/contracts';
import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ExpandToggle } from '../../components/ExpandToggle';
import { UsageSourceTag } from '../../components/SourceTags';
import { formatCores, formatCount, formatGiB } from '../../lib/format';
import { NamespaceUsageTable } from './NamespaceUsageTable';

interface UnmatchedProjectsTableProps {
  date: string;
  rows: ReportRow[];
}

/** Projects in the day's data without a quota of the same name (or with a quota of 0/0): no rate, not exported. */
export function UnmatchedProjectsTable({ date, rows }: UnmatchedProjectsTableProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();

  const columns: TableColumnsType<ReportRow> = [
    {
      title: t('reports.table.project'),
      dataIndex: 'project_name',
      sorter: (a, b) => a.project_name.localeCompare(b.project_name, 'zh-CN', { numeric: true }),
      defaultSortOrder: 'ascend',
      render: (value: string) => <span data-testid="project-name">{value}</span>,
    },
    {
      title: t('reports.namespaces.cpu'),
      dataIndex: 'cpu_usage',
      width: 140,
      align: 'right',
      sorter: (a, b) => a.cpu_usage - b.cpu_usage,
      render: (value: number) => <span className="numeric">{formatCores(value)}</span>,
    },
    {
      title: t('reports.namespaces.memory'),
      dataIndex: 'memory_usage',
      width: 140,
      align: 'right',
      sorter: (a, b) => a.memory_usage - b.memory_usage,
      render: (value: number) => <span className="numeric">{formatGiB(value)}</span>,
    },
    {
      title: t('reports.table.namespaces'),
      dataIndex: 'namespace_count',
      width: 110,
      align: 'right',
      render: (value: number) => <span className="numeric">{formatCount(value)}</span>,
    },
    {
      title: t('reports.table.source'),
      dataIndex: 'source',
      width: 110,
      render: (source: UsageSource) => <UsageSourceTag source={source} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 150,
      render: (_, row) =>
        // A quota of 0/0 exists under the name: it is edited, not added again.
        row.cpu_quota !== null || row.memory_quota !== null ? (
          <Button
            type="link"
            size="small"
            icon={<EditOutlined />}
            onClick={() => navigate(`/quotas?search=${encodeURIComponent(row.project_name)}`)}
            data-testid="unmatched-edit-quota"
          >
            {t('reports.unmatched.editQuota')}
          </Button>
        ) : (
          <Button
            type="link"
            size="small"
            icon={<PlusOutlined />}
            onClick={() => navigate(`/quotas?new=${encodeURIComponent(row.project_name)}`)}
            data-testid="unmatched-add-quota"
          >
            {t('reports.unmatched.addQuota')}
          </Button>
        ),
    },
  ];

  return (
    <Table<ReportRow>
      rowKey="project_name"
      columns={columns}
      dataSource={rows}
      size="middle"
      expandable={{
        expandedRowRender: (row) => <NamespaceUsageTable date={date} project={row.project_name} />,
        expandIcon: ({ expanded, onExpand, record }) => (
          <ExpandToggle
            expanded={expanded}
            label={t('reports.table.namespaces')}
            onToggle={(event) => onExpand(record, event)}
          />
        ),
        columnWidth: 44,
      }}
      pagination={
        rows.length > 20
          ? {
              defaultPageSize: 20,
              showSizeChanger: true,
              pageSizeOptions: [20, 50, 100, 500],
              showTotal: (total) => t('common.total', { count: total }),
            }
          : false
      }
      locale={{ emptyText: t('reports.unmatched.empty') }}
      data-testid="unmatched-table"
    />
  );
}
