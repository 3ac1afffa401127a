import type { Key, ReactNode } from 'react';
import type { PrometheusConfig } from '@kra/contracts';
import {
  ApiOutlined,
  DeleteOutlined,
  EditOutlined,
  SafetyCertificateOutlined,
  WarningFilled,
} from '@ant-design/icons';
import {
  Badge,
  Button,
  Popconfirm,
  Space,
  Table,
  Tag,
  Tooltip,
  Typography,
  type TableColumnsType,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { ColumnTitle } from '../../components/ColumnTitle';
import { ConfirmText } from '../../components/ConfirmText';
import { compareText } from '../../lib/compare';
import { formatDateTime, formatShortDateTime } from '../../lib/format';
import { StrategyTag } from './StrategyTag';
import { errorKindKey } from './test-error-kind';

interface SourceTableProps {
  sources: PrometheusConfig[];
  loading: boolean;
  selected: Key[];
  onSelect: (keys: Key[]) => void;
  /** The source whose connection test is running, if any. */
  testingId: number | undefined;
  onTest: (source: PrometheusConfig) => void;
  onShowTest: (source: PrometheusConfig) => void;
  onShowSync: (source: PrometheusConfig) => void;
  onEdit: (source: PrometheusConfig) => void;
  onDelete: (source: PrometheusConfig) => void;
  emptyText: ReactNode;
}

function SourceCell({ source }: { source: PrometheusConfig }) {
  const { t } = useTranslation();
  return (
    <div className="cluster-cell">
      <div className="cluster-cell-name">
        <span className="cluster-name" data-testid="source-name">
          {source.name}
        </span>
        {source.has_ca && (
          <Tag icon={<SafetyCertificateOutlined />} data-testid="source-ca">
            {t('prometheus.customCa')}
          </Tag>
        )}
        {source.insecure_skip_tls_verify && (
          <Tooltip title={t('prometheus.tlsOffTip')}>
            <Tag color="warning" icon={<WarningFilled />} data-testid="source-tls-warning">
              {t('prometheus.tlsOff')}
            </Tag>
          </Tooltip>
        )}
      </div>
      <Typography.Text
        type="secondary"
        className="mono small cluster-server"
        ellipsis={{ tooltip: source.url }}
        data-testid="source-url"
      >
        {source.url}
      </Typography.Text>
    </div>
  );
}

function ClusterCell({ source }: { source: PrometheusConfig }) {
  const { t } = useTranslation();
  return (
    <div className="two-line">
      <span data-testid="source-cluster">{source.cluster_name}</span>
      <Typography.Text
        type="secondary"
        className={source.selector === null ? 'small' : 'mono small'}
        ellipsis={{ tooltip: source.selector }}
        data-testid="source-selector"
        data-selector={source.selector ?? ''}
      >
        {source.selector ?? t('prometheus.allSeries')}
      </Typography.Text>
    </div>
  );
}

function StrategyCell({ source }: { source: PrometheusConfig }) {
  return (
    <div className="two-line">
      <span>
        <StrategyTag strategy={source.strategy} />
      </span>
      <Typography.Text type="secondary" className="mono small" ellipsis>
        {`${source.memory_metric} · ${source.step}`}
      </Typography.Text>
    </div>
  );
}

function AuthCell({ source }: { source: PrometheusConfig }) {
  const { t } = useTranslation();
  const headers = source.header_names;
  return (
    <div className="two-line">
      <span>
        <Tag data-testid="source-auth" data-auth={source.auth_kind}>
          {t(`prometheus.auth.${source.auth_kind}`)}
        </Tag>
      </span>
      {headers.length > 0 && (
        <Tooltip title={headers.join(', ')}>
          <Typography.Text type="secondary" className="small" data-testid="source-headers">
            {t('prometheus.headerCount', { count: headers.length })}
          </Typography.Text>
        </Tooltip>
      )}
    </div>
  );
}

function LastTestTag({ source, onShow }: { source: PrometheusConfig; onShow: () => void }) {
  const { t } = useTranslation();
  const test = source.last_test;
  const state = test === null ? 'none' : test.ok ? 'ok' : 'failed';
  const label =
    test === null
      ? t('prometheus.lastTest.none')
      : test.ok
        ? t('prometheus.lastTest.ok')
        : t(`prometheus.errorKind.${errorKindKey(test.error_kind)}`);
  const tip =
    test === null ? t('prometheus.lastTest.noneTip') : `${formatDateTime(test.at)} · ${test.message}`;
  return (
    <Tooltip title={tip}>
      <Tag
        color={state === 'ok' ? 'success' : state === 'failed' ? 'error' : 'default'}
        className="clickable-tag"
        onClick={onShow}
        data-testid="source-last-test"
        data-state={state}
      >
        {label}
      </Tag>
    </Tooltip>
  );
}

function LastSyncCell({ source, onShow }: { source: PrometheusConfig; onShow: () => void }) {
  const { t } = useTranslation();
  if (source.last_sync_at === null) {
    return (
      <Typography.Text type="secondary" data-testid="source-last-sync" data-ok="">
        {t('prometheus.lastSync.never')}
      </Typography.Text>
    );
  }
  const result = source.last_sync;
  return (
    <Tooltip title={`${formatDateTime(source.last_sync_at)} · ${source.last_sync_message ?? ''}`}>
      <span
        className="two-line clickable-tag"
        role="button"
        tabIndex={0}
        onClick={onShow}
        onKeyDown={(event) => {
          if (event.key === 'Enter' || event.key === ' ') onShow();
        }}
        data-testid="source-last-sync"
        data-ok={String(source.last_sync_ok)}
      >
        <span className="nowrap">
          <Badge status={source.last_sync_ok ? 'success' : 'error'} />{' '}
          <span className="numeric">{formatShortDateTime(source.last_sync_at)}</span>
        </span>
        {result && (
          <Typography.Text type="secondary" className="small nowrap" data-testid="source-last-sync-figures">
            {result.ok
              ? t('prometheus.lastSync.figures', { count: result.namespaces })
              : t('prometheus.lastSync.failedFigures', { count: result.errors.length })}
          </Typography.Text>
        )}
      </span>
    </Tooltip>
  );
}

export function SourceTable({
  sources,
  loading,
  selected,
  onSelect,
  testingId,
  onTest,
  onShowTest,
  onShowSync,
  onEdit,
  onDelete,
  emptyText,
}: SourceTableProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<PrometheusConfig> = [
    {
      title: <ColumnTitle title={t('prometheus.columns.source')} sub={t('prometheus.columns.url')} />,
      key: 'source',
      sorter: (a, b) => compareText(a.name, b.name),
      render: (_, source) => <SourceCell source={source} />,
    },
    {
      title: <ColumnTitle title={t('prometheus.columns.cluster')} sub={t('prometheus.columns.selector')} />,
      key: 'cluster',
      width: 136,
      sorter: (a, b) => compareText(a.cluster_name, b.cluster_name),
      render: (_, source) => <ClusterCell source={source} />,
    },
    {
      title: (
        <ColumnTitle title={t('prometheus.columns.strategy')} sub={t('prometheus.columns.memoryMetric')} />
      ),
      key: 'strategy',
      width: 176,
      render: (_, source) => <StrategyCell source={source} />,
    },
    {
      title: t('prometheus.columns.auth'),
      key: 'auth',
      width: 112,
      render: (_, source) => <AuthCell source={source} />,
    },
    {
      title: t('prometheus.columns.lastTest'),
      key: 'last_test',
      width: 100,
      render: (_, source) => <LastTestTag source={source} onShow={() => onShowTest(source)} />,
    },
    {
      title: t('prometheus.columns.lastSync'),
      key: 'last_sync',
      width: 120,
      render: (_, source) => <LastSyncCell source={source} onShow={() => onShowSync(source)} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 108,
      fixed: 'right',
      render: (_, source) => (
        <Space size={4}>
          <Tooltip title={t('prometheus.test.action')}>
            <Button
              type="text"
              size="small"
              icon={<ApiOutlined />}
              loading={testingId === source.id}
              onClick={() => onTest(source)}
              aria-label={t('prometheus.test.action')}
              data-testid="source-test"
            />
          </Tooltip>
          <Tooltip title={t('common.edit')}>
            <Button
              type="text"
              size="small"
              icon={<EditOutlined />}
              onClick={() => onEdit(source)}
              aria-label={t('common.edit')}
              data-testid="source-edit"
            />
          </Tooltip>
          <Popconfirm
            title={t('prometheus.deleteConfirm', { name: source.name })}
            description={<div className="popconfirm-text">{t('prometheus.deleteDesc')}</div>}
            okText={<ConfirmText>{t('common.delete')}</ConfirmText>}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => onDelete(source)}
            placement="topRight"
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('common.delete')}
              data-testid="source-delete"
            />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Table<PrometheusConfig>
      rowKey="id"
      columns={columns}
      dataSource={sources}
      loading={loading}
      size="middle"
      scroll={{ x: 960 }}
      rowSelection={{ selectedRowKeys: selected, onChange: onSelect, preserveSelectedRowKeys: false }}
      pagination={
        sources.length > 20
          ? {
              pageSize: 20,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { count: total }),
            }
          : false
      }
      locale={{ emptyText }}
      data-testid="source-table"
      data-busy={loading}
    />
  );
}
