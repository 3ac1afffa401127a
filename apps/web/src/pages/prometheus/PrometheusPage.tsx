import { useState, type Key } from 'react';
import type { PrometheusConfig } from '@kra/contracts';
import { DownloadOutlined, PlusOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import {
  PROMETHEUS_TEMPLATE_URL,
  useDeleteSource,
  usePrometheusSources,
  useTestSource,
} from '../../api/prometheus';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SourceFormDrawer, type SourceFormTarget } from './SourceFormDrawer';
import { SourceImportModal } from './SourceImportModal';
import { SourceLastSyncDrawer } from './SourceLastSyncDrawer';
import { SourceTable } from './SourceTable';
import { SourceTestDrawer } from './SourceTestDrawer';
import { StrategyHelpCard } from './StrategyHelpCard';
import { UsageSyncCard } from './sync/UsageSyncCard';

export default function PrometheusPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const sources = usePrometheusSources();
  const deleteSource = useDeleteSource();
  const test = useTestSource();
  const [selected, setSelected] = useState<Key[]>([]);
  const [formTarget, setFormTarget] = useState<SourceFormTarget | null>(null);
  const [importOpen, setImportOpen] = useState(false);
  const [shownTestId, setShownTestId] = useState<number | null>(null);
  const [shownSyncId, setShownSyncId] = useState<number | null>(null);
  const items = sources.data?.items ?? [];

  const runTest = (source: PrometheusConfig) => {
    setShownTestId(source.id);
    test.mutate(source.id);
  };

  /** Shows the stored result; the last run may have been of another source. */
  const showTest = (source: PrometheusConfig) => {
    if (test.variables !== source.id) test.reset();
    setShownTestId(source.id);
  };

  const remove = async (source: PrometheusConfig) => {
    try {
      await deleteSource.mutateAsync(source.id);
      setSelected((keys) => keys.filter((key) => key !== source.id));
      message.success(t('prometheus.deleted', { name: source.name }));
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };

  const emptyText = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <div>{t('prometheus.empty')}</div>
          <Typography.Text type="secondary">{t('prometheus.emptyHint')}</Typography.Text>
        </>
      }
      data-testid="sources-empty"
    />
  );

  return (
    <div className="page" data-testid="prometheus-page">
      <PageHeader
        title={t('prometheus.title')}
        description={t('prometheus.description')}
        extra={
          <>
            <Button
              href={PROMETHEUS_TEMPLATE_URL}
              download
              icon={<DownloadOutlined />}
              data-testid="source-template"
            >
              {t('common.template')}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="source-import">
              {t('prometheus.importAction')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setFormTarget({ mode: 'create' })}
              data-testid="source-add"
            >
              {t('prometheus.add')}
            </Button>
          </>
        }
      />
      {sources.isError && <ApiErrorAlert error={sources.error} title={t('common.loadFailed')} />}
      <Card>
        <SourceTable
          sources={items}
          loading={sources.isFetching}
          selected={selected}
          onSelect={setSelected}
          testingId={test.isPending ? test.variables : undefined}
          onTest={runTest}
          onShowTest={showTest}
          onShowSync={(source) => setShownSyncId(source.id)}
          onEdit={(source) => setFormTarget({ mode: 'edit', source })}
          onDelete={(source) => void remove(source)}
          emptyText={emptyText}
        />
      </Card>
      <UsageSyncCard
        selectedIds={selected.map(Number)}
        total={items.length}
        onClearSelection={() => setSelected([])}
      />
      <StrategyHelpCard />
      <SourceFormDrawer target={formTarget} onClose={() => setFormTarget(null)} />
      <SourceImportModal open={importOpen} onClose={() => setImportOpen(false)} />
      <SourceTestDrawer
        source={items.find((source) => source.id === shownTestId)}
        test={test}
        onClose={() => setShownTestId(null)}
      />
      <SourceLastSyncDrawer
        source={items.find((source) => source.id === shownSyncId)}
        onClose={() => setShownSyncId(null)}
      />
    </div>
  );
}
