import type { UsageStrategy } from '@kra/contracts';
import { Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<UsageStrategy, string> = {
  'pod-peak': 'blue',
  'replica-dedup': 'purple',
  'concurrent-peak': 'cyan',
  average: 'gold',
};

export function StrategyTag({ strategy }: { strategy: UsageStrategy }) {
  const { t } = useTranslation();
  return (
    <Tooltip title={t(`prometheus.strategyShort.${strategy}`)}>
      <Tag color={COLORS[strategy]} data-testid="source-strategy" data-strategy={strategy}>
        {t(`prometheus.strategy.${strategy}`)}
      </Tag>
    </Tooltip>
  );
}
