import { Card, Typography } from 'antd';
import { useTranslation } from 'react-i18next';

const RULES = [
  { title: 'exactlyOnce', text: 'exactlyOnceText' },
  { title: 'changes', text: 'changesText' },
  { title: 'catchUp', text: 'catchUpText' },
  { title: 'retries', text: 'retriesText' },
] as const;

/** What "exactly once", a changed schedule, catch-up and retries mean here, in a few lines. */
export function SchedulerRulesCard({ catchUpDays }: { catchUpDays: number }) {
  const { t } = useTranslation();
  return (
    <Card title={t('scheduler.rules.title')} className="scheduler-card" data-testid="scheduler-rules">
      <dl className="scheduler-rules">
        {RULES.map((rule) => (
          <div key={rule.title} data-testid={`scheduler-rule-${rule.title}`}>
            <dt>
              <Typography.Text strong>{t(`scheduler.rules.${rule.title}`)}</Typography.Text>
            </dt>
            <dd>
              <Typography.Text type="secondary">
                {t(`scheduler.rules.${rule.text}`, { days: catchUpDays })}
              </Typography.Text>
            </dd>
          </div>
        ))}
      </dl>
    </Card>
  );
}
