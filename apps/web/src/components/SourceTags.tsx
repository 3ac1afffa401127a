import type { UsageSource } from '@kra/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Where a day's usage came from: an uploaded daily report or a Prometheus sync. */
export function UsageSourceTag({ source }: { source: UsageSource }) {
  const { t } = useTranslation();
  return (
    <Tag color={source === 'upload' ? 'blue' : 'purple'} data-testid="usage-source">
      {t(`reports.source.${source}`)}
    </Tag>
  );
}

/** A quota's origin: `manual`, or `k8s:<cluster>` after a cluster sync. */
export function QuotaSourceTag({ source }: { source: string }) {
  const { t } = useTranslation();
  const cluster = source.startsWith('k8s:') ? source.slice('k8s:'.length) : undefined;
  if (cluster !== undefined) {
    return (
      <Tag color="geekblue" data-testid="quota-source">
        {t('quotas.source.k8s', { cluster })}
      </Tag>
    );
  }
  return <Tag data-testid="quota-source">{source === 'manual' ? t('quotas.source.manual') : source}</Tag>;
}
