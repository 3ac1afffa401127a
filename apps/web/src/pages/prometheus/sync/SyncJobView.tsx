import type { SyncJob } from '@kra/contracts';
import { StopOutlined } from '@ant-design/icons';
import { App, Button, Flex, Progress, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCancelSyncJob, useSyncJob } from '../../../api/prometheus';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { JobDaysTable } from './JobDaysTable';
import { JobStatusTag } from './JobStatusTag';

const PROGRESS_STATUS: Record<SyncJob['status'], 'active' | 'success' | 'exception' | 'normal'> = {
  running: 'active',
  succeeded: 'success',
  'partly-failed': 'exception',
  failed: 'exception',
  cancelled: 'normal',
};

function JobProgress({ job, cancelling }: { job: SyncJob; cancelling: boolean }) {
  const { t } = useTranslation();
  const percent = job.total_days === 0 ? 100 : Math.round((job.done_days / job.total_days) * 100);
  const progress = t('prometheus.job.progress', { done: job.done_days, total: job.total_days });
  return (
    <div className="job-progress">
      <Progress
        percent={percent}
        status={PROGRESS_STATUS[job.status]}
        format={() => progress}
        data-testid="sync-job-progress"
      />
      {job.status === 'running' && (
        <Typography.Text type="secondary" data-testid="sync-job-current" data-date={job.current_date ?? ''}>
          {cancelling
            ? t('prometheus.job.cancelling')
            : job.current_date && t('prometheus.job.current', { date: job.current_date })}
        </Typography.Text>
      )}
    </div>
  );
}

/** A range sync as it runs: progress, the day being synced, each finished day's results; cancellable. */
export function SyncJobView({ id }: { id: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const query = useSyncJob(id);
  const cancel = useCancelSyncJob();
  const job = query.data;

  if (query.isError) return <ApiErrorAlert error={query.error} />;
  if (!job) return <Skeleton active paragraph={{ rows: 3 }} />;
  const running = job.status === 'running';
  const cancelling = running && cancel.isSuccess && cancel.variables === id;

  return (
    <div
      className="sync-outcome"
      data-testid="sync-job"
      data-id={job.id}
      data-status={job.status}
      data-done={job.done_days}
      data-total={job.total_days}
    >
      <Flex justify="space-between" align="center" gap={12}>
        <Flex align="center" gap={8}>
          <Typography.Text strong>
            {t('prometheus.job.title', { from: job.from, to: job.to })}
          </Typography.Text>
          <JobStatusTag status={job.status} />
        </Flex>
        {running && (
          <Button
            danger
            icon={<StopOutlined />}
            loading={cancel.isPending}
            disabled={cancelling}
            onClick={() => cancel.mutate(id, { onError: (error) => message.error(error.message) })}
            data-testid="sync-job-cancel"
          >
            {t('prometheus.job.cancel')}
          </Button>
        )}
      </Flex>
      <JobProgress job={job} cancelling={cancelling} />
      <JobDaysTable results={job.results} />
    </div>
  );
}
