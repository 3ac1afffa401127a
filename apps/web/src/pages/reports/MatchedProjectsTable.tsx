import type { ReportRow, UsageLevel, UsageSource } from '@kra/contracts';
import { WarningFilled } from '@ant-design/icons';
import { Table, Tooltip, type TableColumnsType, type TableProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { compactSortIcon } from '../../components/compactSortIcon';
import { ExpandToggle } from '../../components/ExpandToggle';
import { LevelTag } from '../../components/LevelTag';
import { RateBar } from '../../components/RateBar';
import { UsageSourceTag } from '../../components/SourceTags';
import { compareNullable } from '../../lib/compare';
import { formatCores, formatGiB } from '../../lib/format';
import { NamespaceUsageTable } from './NamespaceUsageTable';
import { matchesLevel, matchesSearch, type LevelFilter, type MatchedFilters } from './report-filters';

interface MatchedProjectsTableProps {
  date: string;
  rows: ReportRow[];
  filters: MatchedFilters;
  onFiltersChange: (filters: MatchedFilters) => void;
}

const LEVEL_FILTERS: LevelFilter[] = ['high', 'medium', 'low', 'over'];
const SOURCES: UsageSource[] = ['upload', 'prometheus'];

type UsageKey = 'cpu_usage' | 'memory_usage';
type QuotaKey = 'cpu_quota' | 'memory_quota';
type RateKey = 'cpu_rate' | 'memory_rate';

function ProjectCell({ row }: { row: ReportRow }) {
  const { t } = useTranslation();
  return (
    <span className="project-cell">
      <span className="project-cell-name" data-testid="project-name">
        {row.project_name}
      </span>
      {row.over_quota && (
        <Tooltip title={t('reports.table.overQuotaTag')}>
          <WarningFilled
            className="over-quota-flag"
            data-testid="over-quota"
            aria-label={t('reports.table.overQuotaTag')}
          />
        </Tooltip>
      )}
    </span>
  );
}

export function MatchedProjectsTable({ date, rows, filters, onFiltersChange }: MatchedProjectsTableProps) {
  const { t } = useTranslation();
  const visible = rows.filter((row) => matchesSearch(row, filters.search));

  const usedColumn = (key: UsageKey, width: number, format: (n: number) => string) => ({
    title: t('reports.table.used'),
    dataIndex: key,
    key,
    width,
    align: 'right' as const,
    sorter: (a: ReportRow, b: ReportRow) => a[key] - b[key],
    sortIcon: compactSortIcon,
    render: (value: number) => (
      <span className="numeric" data-testid={key}>
        {format(value)}
      </span>
    ),
  });
  const quotaColumn = (key: QuotaKey, width: number, format: (n: number | null) => string) => ({
    title: t('reports.table.quota'),
    dataIndex: key,
    key,
    width,
    align: 'right' as const,
    sorter: (a: ReportRow, b: ReportRow) => compareNullable(a[key], b[key]),
    sortIcon: compactSortIcon,
    render: (value: number | null) => (
      <span className="numeric" data-testid={key}>
        {format(value)}
      </span>
    ),
  });
  const rateColumn = (key: RateKey, level: 'cpu_level' | 'memory_level') => ({
    title: t('reports.table.rate'),
    dataIndex: key,
    key,
    width: 116,
    sorter: (a: ReportRow, b: ReportRow) => compareNullable(a[key], b[key]),
    sortIcon: compactSortIcon,
    ...(key === 'cpu_rate' ? { defaultSortOrder: 'descend' as const } : {}),
    render: (value: number | null, row: ReportRow) => (
      <span data-testid={key}>
        <RateBar rate={value} level={row[level]} />
      </span>
    ),
  });

  const columns: TableColumnsType<ReportRow> = [
    {
      title: t('reports.table.cloudId'),
      dataIndex: 'cloud_id',
      key: 'cloud_id',
      width: 88,
      fixed: 'left',
      sorter: (a, b) => (a.cloud_id ?? '').localeCompare(b.cloud_id ?? '', 'zh-CN', { numeric: true }),
      sortIcon: compactSortIcon,
      render: (value: string | null) => (
        <span className="mono small" data-testid="cloud-id">
          {value}
        </span>
      ),
    },
    {
      title: t('reports.table.project'),
      dataIndex: 'project_name',
      key: 'project_name',
      width: 128,
      fixed: 'left',
      ellipsis: true,
      sorter: (a, b) => a.project_name.localeCompare(b.project_name, 'zh-CN', { numeric: true }),
      sortIcon: compactSortIcon,
      render: (_, row) => <ProjectCell row={row} />,
    },
    {
      title: t('reports.table.cpu'),
      key: 'cpu',
      children: [
        usedColumn('cpu_usage', 72, formatCores),
        quotaColumn('cpu_quota', 72, formatCores),
        rateColumn('cpu_rate', 'cpu_level'),
      ],
    },
    {
      title: t('reports.table.memory'),
      key: 'memory',
      children: [
        usedColumn('memory_usage', 76, formatGiB),
        quotaColumn('memory_quota', 76, formatGiB),
        rateColumn('memory_rate', 'memory_level'),
      ],
    },
    {
      title: t('reports.table.level'),
      dataIndex: 'level',
      key: 'level',
      width: 80,
      filters: LEVEL_FILTERS.map((value) => ({
        text: value === 'over' ? t('reports.table.overQuotaTag') : t(`reports.level.${value}`),
        value,
      })),
      filteredValue: filters.levels,
      onFilter: (value, row) => matchesLevel(row, value as LevelFilter),
      render: (level: UsageLevel | null) => <LevelTag level={level} />,
    },
    {
      title: t('reports.table.source'),
      dataIndex: 'source',
      key: 'source',
      width: 108,
      filters: SOURCES.map((source) => ({ text: t(`reports.source.${source}`), value: source })),
      filteredValue: filters.sources,
      onFilter: (value, row) => row.source === value,
      render: (source: UsageSource) => <UsageSourceTag source={source} />,
    },
  ];

  const onChange: TableProps<ReportRow>['onChange'] = (_pagination, tableFilters) => {
    onFiltersChange({
      ...filters,
      levels: (tableFilters.level as LevelFilter[] | null) ?? null,
      sources: (tableFilters.source as UsageSource[] | null) ?? null,
    });
  };

  return (
    <Table<ReportRow>
      rowKey="project_name"
      columns={columns}
      dataSource={visible}
      size="middle"
      scroll={{ x: 972 }}
      onChange={onChange}
      expandable={{
        expandedRowRender: (row) => <NamespaceUsageTable date={date} project={row.project_name} />,
        expandIcon: ({ expanded, onExpand, record }) => (
          <ExpandToggle
            expanded={expanded}
            label={t('reports.table.namespaces')}
            onToggle={(event) => onExpand(record, event)}
          />
        ),
        columnWidth: 40,
        fixed: 'left',
      }}
      pagination={{
        defaultPageSize: 20,
        showSizeChanger: true,
        pageSizeOptions: [20, 50, 100, 500],
        showTotal: (total) => t('common.total', { count: total }),
      }}
      locale={{ emptyText: t('reports.table.empty') }}
      data-testid="matched-table"
    />
  );
}
