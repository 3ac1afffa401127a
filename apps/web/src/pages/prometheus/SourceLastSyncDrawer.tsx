import type { PrometheusConfig } from '@kra/contracts';
import { Descriptions, Drawer, Empty, Flex, type DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { ErrorDetailList } from '../../components/ErrorDetailList';
import { SyncStatusTag } from '../../components/sync/SyncStatusTag';
import { formatCount, formatDateTime, formatDuration } from '../../lib/format';

type Count = 'namespaces' | 'pods' | 'unassigned_namespaces' | 'queries' | 'retries' | 'batches';
type CountId = 'namespaces' | 'pods' | 'unassigned' | 'queries' | 'retries' | 'batches';

/** Each figure with the id page objects read (`sync-<id>`), as in the sync's result table. */
const COUNTS: { key: Count; id: CountId }[] = [
  { key: 'namespaces', id: 'namespaces' },
  { key: 'pods', id: 'pods' },
  { key: 'unassigned_namespaces', id: 'unassigned' },
  { key: 'queries', id: 'queries' },
  { key: 'retries', id: 'retries' },
  { key: 'batches', id: 'batches' },
];

/** What a source's last sync did: when, the day, its figures and its errors. */
export function SourceLastSyncDrawer({
  source,
  onClose,
}: {
  source: PrometheusConfig | undefined;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const result = source?.last_sync ?? null;
  const figures: NonNullable<DescriptionsProps['items']> = result
    ? [
        { key: 'date', label: t('prometheus.lastSync.date'), children: result.date },
        ...COUNTS.map(({ key, id }) => ({
          key,
          label: t(`prometheus.sync.columns.${id}`),
          children: (
            <span className="numeric" data-testid={`sync-${id}`}>
              {formatCount(result[key])}
            </span>
          ),
        })),
        {
          key: 'duration',
          label: t('prometheus.sync.columns.duration'),
          children: (
            <span className="numeric" data-testid="sync-duration">
              {formatDuration(result.duration_ms)}
            </span>
          ),
        },
      ]
    : [];
  const synced = source !== undefined && source.last_sync_at !== null;
  const items: DescriptionsProps['items'] = synced
    ? [
        {
          key: 'source',
          label: t('prometheus.sync.columns.source'),
          children: <span data-testid="sync-source">{source.name}</span>,
        },
        {
          key: 'status',
          label: t('prometheus.lastSync.status'),
          children: <SyncStatusTag ok={source.last_sync_ok === true} />,
        },
        {
          key: 'at',
          label: t('prometheus.lastSync.at'),
          children: <span className="numeric">{formatDateTime(source.last_sync_at!)}</span>,
        },
        // Syncs from before results were kept have only their one-line message.
        ...(result
          ? figures
          : [
              {
                key: 'message',
                label: t('prometheus.lastSync.message'),
                children: <span data-testid="last-sync-message">{source.last_sync_message}</span>,
              },
            ]),
      ]
    : [];
  return (
    <Drawer
      open={source !== undefined}
      title={source ? t('prometheus.lastSync.title', { name: source.name }) : undefined}
      size={560}
      onClose={onClose}
      data-testid="prometheus-last-sync"
      data-state={result ? 'done' : 'none'}
    >
      {!synced ? (
        <Empty description={t('prometheus.lastSync.neverTip')} />
      ) : (
        <Flex vertical gap={16}>
          <Descriptions column={1} size="small" bordered items={items} />
          {result && result.errors.length > 0 && (
            <div data-testid="sync-errors" data-source={source.name}>
              <ErrorDetailList details={result.errors} />
            </div>
          )}
          {!result && <Empty description={t('prometheus.lastSync.noDetail')} />}
        </Flex>
      )}
    </Drawer>
  );
}
