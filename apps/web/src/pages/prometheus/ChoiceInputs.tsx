import type { UsageStrategy } from '@kra/contracts';
import { Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { MEMORY_METRICS, STRATEGIES, type MemoryMetric } from './source-form';

interface ChoiceProps<T> {
  id?: string;
  value?: T;
  onChange?: (value: T) => void;
}

/** The four strategies, each with what it measures in a line. */
export function StrategyInput({ id, value, onChange }: ChoiceProps<UsageStrategy>) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      id={id}
      orientation="vertical"
      value={value}
      onChange={(event) => onChange?.(event.target.value as UsageStrategy)}
      className="choice-list choice-list-stacked"
    >
      {STRATEGIES.map((strategy) => (
        <Radio key={strategy} value={strategy} data-testid={`source-form-strategy-${strategy}`}>
          <span className="choice-title">{t(`prometheus.strategy.${strategy}`)}</span>
          <Typography.Text type="secondary" className="small">
            {t(`prometheus.strategyShort.${strategy}`)}
          </Typography.Text>
        </Radio>
      ))}
    </Radio.Group>
  );
}

/** The memory metric: the metric's own name, and what it counts. */
export function MemoryMetricInput({ id, value, onChange }: ChoiceProps<MemoryMetric>) {
  const { t } = useTranslation();
  return (
    <Radio.Group
      id={id}
      orientation="vertical"
      value={value}
      onChange={(event) => onChange?.(event.target.value as MemoryMetric)}
      className="choice-list choice-list-stacked"
    >
      {MEMORY_METRICS.map((metric) => (
        <Radio key={metric} value={metric} data-testid={`source-form-memory-${metric}`}>
          <code className="label-key">{`container_memory_${metric}`}</code>
          <Typography.Text type="secondary" className="small">
            {t(`prometheus.memoryMetric.${metric}`)}
          </Typography.Text>
        </Radio>
      ))}
    </Radio.Group>
  );
}
