import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { durationParts, retryDelays } from './schedule';

/** The waits before each retry, as the server will take them: the backoff, then doubled each time. */
export function RetryDelays({ retries, backoff }: { retries: number; backoff: number }) {
  const { t } = useTranslation();
  const delays = retryDelays(retries, backoff).map((seconds) => {
    const { unit, count } = durationParts(seconds);
    return t(`scheduler.units.${unit}`, { count });
  });
  return (
    <Typography.Text type="secondary" data-testid="job-retry-delays">
      {delays.length === 0
        ? t('scheduler.job.noRetries')
        : t('scheduler.job.retryDelays', { delays: delays.join(t('scheduler.units.separator')) })}
    </Typography.Text>
  );
}
