import { useMemo, useState } from 'react';
import type { NamespaceQuota } from '@kra/contracts';
import { DownloadOutlined, FileExcelOutlined, UploadOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Input, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { useClusters } from '../../api/clusters';
import {
  NAMESPACE_QUOTA_TEMPLATE_URL,
  namespaceQuotaExportUrl,
  useDeleteNamespaceQuota,
  useNamespaceQuotas,
  type NamespaceQuotaFilters,
} from '../../api/namespace-quotas';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { SyncButton } from '../../components/sync/SyncButton';
import { useDebouncedValue } from '../../hooks/useDebouncedValue';
import { compareText } from '../../lib/compare';
import { NamespaceQuotaImportModal } from './NamespaceQuotaImportModal';
import { NamespaceQuotaTable } from './NamespaceQuotaTable';

const sortedUnique = (values: (string | null)[]) =>
  [...new Set(values.filter((v): v is string => v !== null))].sort(compareText);

function NoNamespaceQuotas() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        <>
          <div>{t('namespaceQuotas.empty')}</div>
          <Typography.Text type="secondary">{t('namespaceQuotas.emptyHint')}</Typography.Text>
        </>
      }
      data-testid="ns-empty"
    >
      <Button type="primary" onClick={() => navigate('/k8s')} data-testid="ns-go-k8s">
        {t('namespaceQuotas.goK8s')}
      </Button>
    </Empty>
  );
}

export default function NamespaceQuotasPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [cluster, setCluster] = useState<string>();
  const [project, setProject] = useState<string>();
  const [search, setSearch] = useState('');
  const [importOpen, setImportOpen] = useState(false);
  const debouncedSearch = useDebouncedValue(search.trim(), 250);
  const filters: NamespaceQuotaFilters = useMemo(
    () => ({
      ...(cluster ? { cluster } : {}),
      ...(project ? { project } : {}),
      ...(debouncedSearch ? { search: debouncedSearch } : {}),
    }),
    [cluster, project, debouncedSearch],
  );
  const filtered = Object.keys(filters).length > 0;
  // The unfiltered list (the same query when nothing is filtered) feeds the filters' options.
  const everything = useNamespaceQuotas({});
  const shown = useNamespaceQuotas(filters);
  const clusters = useClusters();
  const deleteQuota = useDeleteNamespaceQuota();
  const configured = clusters.data?.items ?? [];
  const all = everything.data?.items ?? [];

  // Imported rows may name clusters that are not connected; they can be filtered too.
  const clusterOptions = sortedUnique([...configured.map((c) => c.name), ...all.map((q) => q.cluster_name)]);
  const projectOptions = sortedUnique(
    all.filter((q) => !cluster || q.cluster_name === cluster).map((q) => q.project_name),
  );

  const remove = async (quota: NamespaceQuota) => {
    try {
      await deleteQuota.mutateAsync({ cluster: quota.cluster_name, namespace: quota.namespace });
      message.success(t('namespaceQuotas.deleted', { namespace: quota.namespace }));
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };

  const emptyText = filtered ? (
    <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('namespaceQuotas.noMatch')} />
  ) : (
    <NoNamespaceQuotas />
  );

  return (
    <div className="page" data-testid="namespace-quotas-page">
      <PageHeader
        title={t('namespaceQuotas.title')}
        description={t('namespaceQuotas.description')}
        extra={
          <>
            <Button
              href={NAMESPACE_QUOTA_TEMPLATE_URL}
              download
              icon={<DownloadOutlined />}
              data-testid="ns-template"
            >
              {t('common.template')}
            </Button>
            <Button
              href={namespaceQuotaExportUrl(filters)}
              download
              icon={<FileExcelOutlined />}
              data-testid="ns-export"
            >
              {t('common.exportExcel')}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="ns-import">
              {t('common.importExcel')}
            </Button>
            <SyncButton
              kind="namespaces"
              label={t('namespaceQuotas.sync')}
              clusterCount={configured.length}
              primary
              unavailable={
                clusters.isSuccess && configured.length === 0
                  ? t('namespaceQuotas.syncNeedsCluster')
                  : undefined
              }
              testId="ns-sync"
            />
          </>
        }
      />
      {shown.isError && <ApiErrorAlert error={shown.error} title={t('common.loadFailed')} />}
      <Card>
        <Flex align="center" gap={12} wrap className="table-toolbar">
          <Select
            allowClear
            showSearch
            placeholder={t('namespaceQuotas.allClusters')}
            value={cluster}
            onChange={(value?: string) => {
              setCluster(value);
              setProject(undefined);
            }}
            options={clusterOptions.map((name) => ({ value: name, label: name }))}
            style={{ width: 200 }}
            data-testid="ns-filter-cluster"
          />
          <Select
            allowClear
            showSearch
            placeholder={t('namespaceQuotas.allProjects')}
            value={project}
            onChange={(value?: string) => setProject(value)}
            options={projectOptions.map((name) => ({ value: name, label: name }))}
            style={{ width: 200 }}
            data-testid="ns-filter-project"
          />
          <Input.Search
            allowClear
            placeholder={t('namespaceQuotas.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={setSearch}
            style={{ width: 280 }}
            data-testid="ns-search"
          />
        </Flex>
        <NamespaceQuotaTable
          quotas={shown.data?.items ?? []}
          loading={shown.isFetching}
          filterKey={`${cluster ?? ''}|${project ?? ''}|${debouncedSearch}`}
          onDelete={(quota) => void remove(quota)}
          emptyText={emptyText}
        />
      </Card>
      <NamespaceQuotaImportModal open={importOpen} onClose={() => setImportOpen(false)} />
    </div>
  );
}
