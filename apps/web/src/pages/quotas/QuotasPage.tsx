import { useState, type Key } from 'react';
import type { ProjectQuota } from '@kra/contracts';
import {
  DeleteOutlined,
  DownloadOutlined,
  FileExcelOutlined,
  PlusOutlined,
  SyncOutlined,
  UploadOutlined,
} from '@ant-design/icons';
import { App, Button, Card, Empty, Flex, Input, Popconfirm, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router-dom';
import {
  QUOTA_EXPORT_URL,
  QUOTA_TEMPLATE_URL,
  useBatchDeleteQuotas,
  useDeleteQuota,
  useQuotas,
} from '../../api/quotas';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConfirmText } from '../../components/ConfirmText';
import { PageHeader } from '../../components/PageHeader';
import { useSyncRun } from '../../components/sync/useSyncRun';
import { useDebouncedValue } from '../../hooks/useDebouncedValue';
import { QuotaFormModal, type QuotaFormTarget } from './QuotaFormModal';
import { QuotaImportModal } from './QuotaImportModal';
import { ProjectQuotaSyncModal } from './ProjectQuotaSyncModal';
import { QuotaTable } from './QuotaTable';

/**
 * Links from the unmatched projects of a report: `?new=<project>` opens the form prefilled;
 * `?search=<project>` lists the project's quota of 0/0 to edit.
 */
const NEW_PARAM = 'new';
const SEARCH_PARAM = 'search';

export default function QuotasPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [params, setParams] = useSearchParams();
  const [search, setSearch] = useState(() => params.get(SEARCH_PARAM) ?? '');
  const debouncedSearch = useDebouncedValue(search.trim(), 250);
  const quotas = useQuotas(debouncedSearch);
  const deleteQuota = useDeleteQuota();
  const batchDelete = useBatchDeleteQuotas();
  const [selected, setSelected] = useState<Key[]>([]);
  const [importOpen, setImportOpen] = useState(false);
  const sync = useSyncRun('projects');
  const requestedProject = params.get(NEW_PARAM);
  const [formTarget, setFormTarget] = useState<QuotaFormTarget | null>(() =>
    requestedProject !== null ? { mode: 'create', projectName: requestedProject } : null,
  );

  const closeForm = () => {
    setFormTarget(null);
    if (params.has(NEW_PARAM)) setParams({}, { replace: true });
  };

  const remove = async (quota: ProjectQuota) => {
    try {
      await deleteQuota.mutateAsync(quota.cloud_id);
      setSelected((keys) => keys.filter((key) => key !== quota.cloud_id));
      message.success(t('quotas.deleted', { name: quota.project_name }));
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };

  const removeSelected = async () => {
    try {
      const result = await batchDelete.mutateAsync(selected.map(String));
      setSelected([]);
      message.success(t('quotas.batchDeleted', { count: result.deleted }));
      if (result.not_found.length > 0) {
        message.warning(
          t('quotas.batchNotFound', { count: result.not_found.length, ids: result.not_found.join(', ') }),
        );
      }
    } catch (error) {
      message.error(error instanceof Error ? error.message : String(error));
    }
  };

  const items = quotas.data?.items ?? [];
  const emptyText = (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={
        debouncedSearch ? (
          t('quotas.noMatch', { search: debouncedSearch })
        ) : (
          <>
            <div>{t('quotas.empty')}</div>
            <Typography.Text type="secondary">{t('quotas.emptyHint')}</Typography.Text>
          </>
        )
      }
    />
  );

  return (
    <div className="page" data-testid="quotas-page">
      <PageHeader
        title={t('quotas.title')}
        description={t('quotas.description')}
        extra={
          <>
            <Button
              href={QUOTA_TEMPLATE_URL}
              download
              icon={<DownloadOutlined />}
              data-testid="quota-template"
            >
              {t('common.template')}
            </Button>
            <Button href={QUOTA_EXPORT_URL} download icon={<FileExcelOutlined />} data-testid="quota-export">
              {t('common.exportExcel')}
            </Button>
            <Button icon={<UploadOutlined />} onClick={() => setImportOpen(true)} data-testid="quota-import">
              {t('common.importExcel')}
            </Button>
            <Button
              icon={<SyncOutlined />}
              loading={sync.sync.isPending}
              disabled={sync.sync.isPending}
              onClick={() => {
                sync.sync.reset();
                sync.show();
              }}
              data-testid="quota-k8s-sync"
            >
              {t('quotas.sync.action')}
            </Button>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setFormTarget({ mode: 'create' })}
              data-testid="quota-add"
            >
              {t('quotas.add')}
            </Button>
          </>
        }
      />
      {quotas.isError && <ApiErrorAlert error={quotas.error} title={t('common.loadFailed')} />}
      <Card>
        <Flex justify="space-between" align="center" gap={12} wrap className="table-toolbar">
          <Input.Search
            allowClear
            placeholder={t('quotas.searchPlaceholder')}
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            onSearch={setSearch}
            style={{ width: 320 }}
            data-testid="quota-search"
          />
          <Flex align="center" gap={8}>
            {selected.length > 0 && (
              <>
                <Typography.Text type="secondary" data-testid="quota-selected-count">
                  {t('quotas.selected', { count: selected.length })}
                </Typography.Text>
                <Button type="link" size="small" onClick={() => setSelected([])}>
                  {t('quotas.clearSelection')}
                </Button>
              </>
            )}
            <Popconfirm
              title={t('quotas.batchDeleteConfirm', { count: selected.length })}
              description={t('quotas.batchDeleteDesc')}
              okText={<ConfirmText>{t('common.delete')}</ConfirmText>}
              cancelText={t('common.cancel')}
              okButtonProps={{ danger: true }}
              onConfirm={removeSelected}
              disabled={selected.length === 0}
            >
              <Button
                danger
                icon={<DeleteOutlined />}
                disabled={selected.length === 0}
                loading={batchDelete.isPending}
                data-testid="quota-batch-delete"
              >
                {t('quotas.batchDelete')}
              </Button>
            </Popconfirm>
          </Flex>
        </Flex>
        <QuotaTable
          quotas={items}
          search={debouncedSearch}
          loading={quotas.isFetching}
          selected={selected}
          onSelect={setSelected}
          onEdit={(quota) => setFormTarget({ mode: 'edit', quota })}
          onDelete={(quota) => void remove(quota)}
          emptyText={emptyText}
        />
      </Card>
      <QuotaFormModal target={formTarget} onClose={closeForm} />
      <QuotaImportModal open={importOpen} onClose={() => setImportOpen(false)} />
      <ProjectQuotaSyncModal run={sync} />
    </div>
  );
}
