import { useState, type Key } from 'react';
import type { K8sConfig } from '@kra/contracts';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CLUSTER_TEMPLATE_URL, useClusters, useDeleteCluster, useTestCluster } from '../../api/clusters';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SyncButton } from '../../components/sync/SyncButton';
import { ClusterFormDrawer, type ClusterFormTarget } from './ClusterFormDrawer';
import { ClusterImportModal } from './ClusterImportModal';
import { ClusterTable } from './ClusterTable';
import { ConnectionTestDrawer } from './ConnectionTestDrawer';

/** Which clusters a sync covers: the selected ones, or all of them when none is selected. */
function SyncScope({ selected, total, onClear }: { selected: number; total: number; onClear: () => void }) {
  const { t } = useTranslation();
  if (selected === 0) {
    return (
      <Typography.Text type="secondary" data-testid="cluster-sync-scope">
        {t('clusters.syncScopeAll', { count: total })}
      </Typography.Text>
    );
  }
  return (
    <Flex align="center" gap={8}>
      <Typography.Text data-testid="cluster-selected-count">
        {t('clusters.selected', { count: selected })}
      </Typography.Text>
      <Button type="link" size="small" onClick={onClear}>
        {t('clusters.clearSelection')}
      </Button>
    </Flex>
  );
}

export default function ClustersPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const clusters = useClusters();
  const deleteCluster = useDeleteCluster();
  const test = useTestCluster();
  const [selected, setSelected] = useState<Key[]>([]);
  const [formTarget, setFormTarget] = useState<ClusterFormTarget | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [shownTestId, setShownTestId] = useState<number | null>(null);
  const items = clusters.data?.items ?? [];
  const selectedIds = selected.map(Number);

  const runTest = (cluster: K8sConfig) => {
    setShownTestId(cluster.id);
    test.mutate(cluster.id);
  };

  /** Shows the stored result; the last run may have been of another cluster. */
  const showTest = (cluster: K8sConfig) => {
    if (test.variables !== cluster.id) test.reset();
    setShownTestId(cluster.id);
  };

  const remove = async (cluster: K8sConfig) => {
    try {
      await deleteCluster.mutateAsync(cluster.id);
      setSelected((keys) => keys.filter((key) => key !== cluster.id));
      message.success(t('clusters.deleted', { name: cluster.name }));
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };

  const emptyText = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <div>{t('clusters.empty')}</div>
          <Typography.Text type="secondary">{t('clusters.emptyHint')}</Typography.Text>
        </>
      }
      data-testid="clusters-empty"
    />
  );

  const syncIds = selectedIds.length > 0 ? selectedIds : undefined;
  const syncCount = selectedIds.length > 0 ? selectedIds.length : items.length;
  const noClusters =
    clusters.isSuccess && items.length === 0 ? t('namespaceQuotas.syncNeedsCluster') : undefined;

  return (
    <div className="page" data-testid="clusters-page">
      <PageHeader
        title={t('clusters.title')}
        description={t('clusters.description')}
        extra={
          <>
            <Button
              href={CLUSTER_TEMPLATE_URL}
              download
              icon={<DownloadOutlined />}
              data-testid="cluster-template"
            >
              {t('common.template')}
            </Button>
            <Button
              icon={<UploadOutlined />}
              onClick={() => setImportOpen(true)}
              data-testid="cluster-import"
            >
              {t('clusters.importAction')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setFormTarget({ mode: 'create' })}
              data-testid="cluster-add"
            >
              {t('clusters.add')}
            </Button>
          </>
        }
      />
      {clusters.isError && <ApiErrorAlert error={clusters.error} title={t('common.loadFailed')} />}
      <Card>
        <Flex justify="space-between" align="center" gap={12} wrap className="table-toolbar">
          <SyncScope selected={selectedIds.length} total={items.length} onClear={() => setSelected([])} />
          <Flex align="center" gap={8}>
            <SyncButton
              kind="namespaces"
              label={t('clusters.syncNamespaces')}
              clusterIds={syncIds}
              clusterCount={syncCount}
              unavailable={noClusters}
              testId="cluster-sync-namespaces"
            />
            <SyncButton
              kind="projects"
              label={t('clusters.syncProjects')}
              clusterIds={syncIds}
              clusterCount={syncCount}
              unavailable={noClusters}
              testId="cluster-sync-projects"
            />
          </Flex>
        </Flex>
        <ClusterTable
          clusters={items}
          loading={clusters.isFetching}
          selected={selected}
          onSelect={setSelected}
          testingId={test.isPending ? test.variables : undefined}
          onTest={runTest}
          onShowTest={showTest}
          onEdit={(cluster) => setFormTarget({ mode: 'edit', cluster })}
          onDelete={(cluster) => void remove(cluster)}
          emptyText={emptyText}
        />
      </Card>
      <ClusterFormDrawer target={formTarget} onClose={() => setFormTarget(null)} />
      <ClusterImportModal open={importOpen} onClose={() => setImportOpen(false)} />
      <ConnectionTestDrawer
        cluster={items.find((cluster) => cluster.id === shownTestId)}
        test={test}
        onClose={() => setShownTestId(null)}
      />
    </div>
  );
}
