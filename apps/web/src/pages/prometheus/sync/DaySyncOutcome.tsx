import type { UsageSyncResult } from '@kra/contracts';
import { BarChartOutlined } from '@ant-design/icons';
import type { UseMutationResult } from '@tanstack/react-query';
import { Alert, Button, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router-dom';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { useElapsedSeconds } from '../../../hooks/useElapsedSeconds';
import { SourceSyncTable } from './SourceSyncTable';
import { usageSyncSummary } from './usage-sync-summary';

type DaySync = UseMutationResult<UsageSyncResult, Error, { ids?: number[]; date?: string }>;

function Pending({ sourceCount, since }: { sourceCount: number; since: number }) {
  const { t } = useTranslation();
  const seconds = useElapsedSeconds(since);
  return (
    <div className="sync-progress" data-testid="usage-sync-outcome" data-state="pending" data-run={since}>
      <Spin size="large" />
      <Typography.Text strong>{t('prometheus.sync.running', { count: sourceCount })}</Typography.Text>
      <Typography.Text type="secondary">{t('prometheus.sync.runningHint', { seconds })}</Typography.Text>
    </div>
  );
}

function Result({ result, run }: { result: UsageSyncResult; run: number }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const summary = usageSyncSummary(t, result);
  const stored = result.sources.some((s) => s.ok);
  return (
    <div
      className="sync-outcome"
      data-testid="usage-sync-outcome"
      data-state="done"
      data-ok={result.ok}
      data-run={run}
    >
      <Alert
        type={summary.type}
        showIcon
        title={summary.text}
        action={
          stored && (
            <Button
              size="small"
              icon={<BarChartOutlined />}
              onClick={() => navigate(`/reports?date=${result.date}`)}
              data-testid="usage-sync-open-report"
            >
              {t('prometheus.sync.openReport', { date: result.date })}
            </Button>
          )
        }
        data-testid="usage-sync-summary"
        data-date={result.date}
      />
      <SourceSyncTable sources={result.sources} />
    </div>
  );
}

/**
 * A day's sync: a spinner while it runs, then the per-source results, or the error that stopped it;
 * `data-run` tells one run from the next for page objects.
 */
export function DaySyncOutcome({ sync, sourceCount }: { sync: DaySync; sourceCount: number }) {
  if (sync.isPending) return <Pending sourceCount={sourceCount} since={sync.submittedAt} />;
  if (sync.isError) {
    return (
      <div data-testid="usage-sync-outcome" data-state="error" data-run={sync.submittedAt}>
        <ApiErrorAlert error={sync.error} />
      </div>
    );
  }
  if (sync.isSuccess) return <Result result={sync.data} run={sync.submittedAt} />;
  return null;
}
