import type { NamespaceQuota, UsageSource } from '@kra/contracts';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

/** Where a day's usage came from: an uploaded daily report or a Prometheus sync. */
export function UsageSourceTag({ source }: { source: UsageSource }) {
  const { t } = useTranslation();
  return (
    <Tag color={source === 'upload' ? 'blue' : 'purple'} className="tag-flush" data-testid="usage-source">
      {t(`reports.source.${source}`)}
    </Tag>
  );
}

/** A project quota's origin: `manual` (a sync never writes it) or `k8s` (kept up to date by syncs). */
export function QuotaSourceTag({ source }: { source: string }) {
  const { t } = useTranslation();
  if (source !== 'manual' && source !== 'k8s') return <Tag data-testid="quota-source">{source}</Tag>;
  return (
    <Tooltip title={t(`quotas.sourceTip.${source}`)}>
      <Tag color={source === 'k8s' ? 'geekblue' : undefined} data-testid="quota-source" data-source={source}>
        {t(`quotas.source.${source}`)}
      </Tag>
    </Tooltip>
  );
}

/** A namespace quota's origin: a cluster sync or an Excel import. */
export function NamespaceQuotaSourceTag({ source }: { source: NamespaceQuota['source'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={source === 'k8s' ? 'geekblue' : 'cyan'} data-testid="ns-source" data-source={source}>
      {t(`namespaceQuotas.source.${source}`)}
    </Tag>
  );
}
