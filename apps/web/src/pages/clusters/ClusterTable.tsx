import type { Key, ReactNode } from 'react';
import type { K8sConfig } from '@kra/contracts';
import { ApiOutlined, DeleteOutlined, EditOutlined, WarningFilled } from '@ant-design/icons';
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
import { formatDateTime } from '../../lib/format';

interface ClusterTableProps {
  clusters: K8sConfig[];
  loading: boolean;
  selected: Key[];
  onSelect: (keys: Key[]) => void;
  /** The cluster whose connection test is running, if any. */
  testingId: number | undefined;
  onTest: (cluster: K8sConfig) => void;
  onShowTest: (cluster: K8sConfig) => void;
  onEdit: (cluster: K8sConfig) => void;
  onDelete: (cluster: K8sConfig) => void;
  emptyText: ReactNode;
}

function ClusterCell({ cluster }: { cluster: K8sConfig }) {
  const { t } = useTranslation();
  return (
    <div className="cluster-cell">
      <div className="cluster-cell-name">
        <span className="cluster-name" data-testid="cluster-name">
          {cluster.name}
        </span>
        {cluster.kind === 'in-cluster' && <Tag>{t('clusters.inCluster')}</Tag>}
        {cluster.insecure_skip_tls_verify && (
          <Tooltip title={t('clusters.tlsOffTip')}>
            <Tag color="warning" icon={<WarningFilled />} data-testid="cluster-tls-warning">
              {t('clusters.tlsOff')}
            </Tag>
          </Tooltip>
        )}
      </div>
      <Typography.Text
        type="secondary"
        className="mono small cluster-server"
        ellipsis={{ tooltip: cluster.server }}
        data-testid="cluster-server"
      >
        {cluster.server}
      </Typography.Text>
    </div>
  );
}

function QuotaSourceCell({ cluster }: { cluster: K8sConfig }) {
  const { t } = useTranslation();
  return (
    <div className="two-line">
      <span data-testid="cluster-quota-source" data-source={cluster.quota_source}>
        {t(`clusters.quotaSource.${cluster.quota_source}`)}
      </span>
      {cluster.project_label === null ? (
        <Typography.Text type="secondary" className="small" data-testid="cluster-project-label" data-label="">
          {t('clusters.namespaceIsProject')}
        </Typography.Text>
      ) : (
        <Typography.Text
          type="secondary"
          className="mono small"
          ellipsis={{ tooltip: cluster.project_label }}
          data-testid="cluster-project-label"
          data-label={cluster.project_label}
        >
          {cluster.project_label}
        </Typography.Text>
      )}
    </div>
  );
}

function LastTestTag({ cluster, onShow }: { cluster: K8sConfig; onShow: () => void }) {
  const { t } = useTranslation();
  const test = cluster.last_test;
  const state = test === null ? 'none' : test.ok ? 'ok' : 'failed';
  const label =
    test === null
      ? t('clusters.lastTest.none')
      : test.ok
        ? t('clusters.lastTest.ok')
        : t(`clusters.errorKind.${test.error_kind ?? 'config'}`);
  const tip = test === null ? t('clusters.lastTest.noneTip') : `${formatDateTime(test.at)} · ${test.message}`;
  return (
    <Tooltip title={tip}>
      <Tag
        color={state === 'ok' ? 'success' : state === 'failed' ? 'error' : 'default'}
        className="clickable-tag"
        onClick={onShow}
        data-testid="cluster-last-test"
        data-state={state}
      >
        {label}
      </Tag>
    </Tooltip>
  );
}

function LastSyncCell({ cluster }: { cluster: K8sConfig }) {
  const { t } = useTranslation();
  if (cluster.last_sync_at === null) {
    return (
      <Typography.Text type="secondary" data-testid="cluster-last-sync" data-ok="">
        {t('clusters.lastSync.never')}
      </Typography.Text>
    );
  }
  return (
    <Tooltip title={cluster.last_sync_message}>
      <span className="nowrap" data-testid="cluster-last-sync" data-ok={String(cluster.last_sync_ok)}>
        <Badge status={cluster.last_sync_ok ? 'success' : 'error'} />{' '}
        <span className="numeric">{formatDateTime(cluster.last_sync_at)}</span>
      </span>
    </Tooltip>
  );
}

export function ClusterTable({
  clusters,
  loading,
  selected,
  onSelect,
  testingId,
  onTest,
  onShowTest,
  onEdit,
  onDelete,
  emptyText,
}: ClusterTableProps) {
  const { t } = useTranslation();
  const columns: TableColumnsType<K8sConfig> = [
    {
      title: <ColumnTitle title={t('clusters.columns.cluster')} sub={t('clusters.columns.server')} />,
      key: 'cluster',
      sorter: (a, b) => compareText(a.name, b.name),
      render: (_, cluster) => <ClusterCell cluster={cluster} />,
    },
    {
      title: t('clusters.columns.auth'),
      dataIndex: 'auth_kind',
      width: 124,
      render: (_, cluster) => (
        <Tag data-testid="cluster-auth" data-auth={cluster.auth_kind}>
          {t(`clusters.auth.${cluster.auth_kind}`)}
        </Tag>
      ),
    },
    {
      title: (
        <ColumnTitle title={t('clusters.columns.quotaSource')} sub={t('clusters.columns.projectLabel')} />
      ),
      key: 'quota_source',
      width: 196,
      render: (_, cluster) => <QuotaSourceCell cluster={cluster} />,
    },
    {
      title: t('clusters.columns.lastTest'),
      key: 'last_test',
      width: 112,
      render: (_, cluster) => <LastTestTag cluster={cluster} onShow={() => onShowTest(cluster)} />,
    },
    {
      title: t('clusters.columns.lastSync'),
      key: 'last_sync',
      width: 176,
      render: (_, cluster) => <LastSyncCell cluster={cluster} />,
    },
    {
      title: t('common.actions'),
      key: 'actions',
      width: 108,
      fixed: 'right',
      render: (_, cluster) => (
        <Space size={4}>
          <Tooltip title={t('clusters.test.action')}>
            <Button
              type="text"
              size="small"
              icon={<ApiOutlined />}
              loading={testingId === cluster.id}
              onClick={() => onTest(cluster)}
              aria-label={t('clusters.test.action')}
              data-testid="cluster-test"
            />
          </Tooltip>
          <Tooltip title={t('common.edit')}>
            <Button
              type="text"
              size="small"
              icon={<EditOutlined />}
              onClick={() => onEdit(cluster)}
              aria-label={t('common.edit')}
              data-testid="cluster-edit"
            />
          </Tooltip>
          <Popconfirm
            title={t('clusters.deleteConfirm', { name: cluster.name })}
            description={<div className="popconfirm-text">{t('clusters.deleteDesc')}</div>}
            okText={<ConfirmText>{t('common.delete')}</ConfirmText>}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true }}
            onConfirm={() => onDelete(cluster)}
            placement="topRight"
          >
            <Button
              type="text"
              size="small"
              danger
              icon={<DeleteOutlined />}
              aria-label={t('common.delete')}
              data-testid="cluster-delete"
            />
          </Popconfirm>
        </Space>
      ),
    },
  ];

  return (
    <Table<K8sConfig>
      rowKey="id"
      columns={columns}
      dataSource={clusters}
      loading={loading}
      size="middle"
      scroll={{ x: 900 }}
      rowSelection={{ selectedRowKeys: selected, onChange: onSelect, preserveSelectedRowKeys: false }}
      pagination={
        clusters.length > 20
          ? {
              pageSize: 20,
              showSizeChanger: false,
              showTotal: (total) => t('common.total', { count: total }),
            }
          : false
      }
      locale={{ emptyText }}
      data-testid="cluster-table"
      data-busy={loading}
    />
  );
}
