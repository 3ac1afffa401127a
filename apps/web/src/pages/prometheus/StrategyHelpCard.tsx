import type { UsageStrategy } from '@kra/contracts';
import { QuestionCircleOutlined } from '@ant-design/icons';
import { Collapse, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { CodeBlock } from '../../components/CodeBlock';
import { TextWithCode } from '../../components/TextWithCode';
import { STRATEGIES } from './source-form';
import { CPU_QUERY, memoryPerContainer, SEED_RULES } from './strategy-promql';
import { StrategyTag } from './StrategyTag';

const WHY = ['containers', 'scrapes', 'groupBy', 'window', 'plan', 'dedup'] as const;

function StrategyRow({ strategy }: { strategy: UsageStrategy }) {
  const { t } = useTranslation();
  return (
    <div className="strategy-row" data-testid="strategy-help-item" data-strategy={strategy}>
      <div className="strategy-text">
        <StrategyTag strategy={strategy} />
        <Typography.Paragraph className="strategy-measures">
          {t(`prometheus.help.measures.${strategy}`)}
        </Typography.Paragraph>
      </div>
      <div>
        <Typography.Text type="secondary" className="small">
          {t('prometheus.help.cpuQuery')}
        </Typography.Text>
        <CodeBlock code={CPU_QUERY[strategy]} testId="strategy-promql" />
      </div>
    </div>
  );
}

function StrategyHelp() {
  const { t } = useTranslation();
  return (
    <div className="strategy-help" data-testid="strategy-help-body">
      <Typography.Paragraph>{t('prometheus.help.intro')}</Typography.Paragraph>
      {STRATEGIES.map((strategy) => (
        <StrategyRow key={strategy} strategy={strategy} />
      ))}
      <div className="strategy-row">
        <Typography.Text strong className="strategy-text">
          {t('prometheus.help.memoryTitle')}
        </Typography.Text>
        <CodeBlock code={memoryPerContainer('container_memory_usage_bytes')} />
      </div>
      <Typography.Text type="secondary" className="small">
        {t('prometheus.help.legend')}
      </Typography.Text>
      <div>
        <Typography.Text strong>{t('prometheus.help.whyTitle')}</Typography.Text>
        <ul className="help-list strategy-why">
          {WHY.map((key) => (
            <li key={key}>
              <TextWithCode text={t(`prometheus.help.why.${key}`)} />
            </li>
          ))}
        </ul>
      </div>
      <div className="strategy-row">
        <div className="strategy-text">
          <Typography.Text strong>{t('prometheus.help.seedTitle')}</Typography.Text>
          <Typography.Paragraph type="secondary" className="small strategy-measures">
            {t('prometheus.help.seedNote')}
          </Typography.Paragraph>
        </div>
        <CodeBlock code={SEED_RULES} />
      </div>
    </div>
  );
}

/** 策略说明: what each strategy measures and the PromQL it sends, collapsed until asked for. */
export function StrategyHelpCard() {
  const { t } = useTranslation();
  return (
    <Collapse
      className="strategy-help-card"
      items={[
        {
          key: 'strategies',
          label: (
            <span data-testid="strategy-help-toggle">
              <QuestionCircleOutlined /> {t('prometheus.help.title')}
            </span>
          ),
          children: <StrategyHelp />,
        },
      ]}
      data-testid="strategy-help"
    />
  );
}
