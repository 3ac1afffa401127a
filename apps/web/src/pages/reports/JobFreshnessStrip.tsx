import type { JobSchedule } from '@kra/contracts';
import { FieldTimeOutlined, RightOutlined } from '@ant-design/icons';
import { Card, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { useSchedulerConfig } from '../../api/scheduler';
import { RunStatusTag } from '../../components/scheduler/RunStatusTag';
import { formatDateTime, formatShortDateTime } from '../../lib/format';

function JobFreshness({ job, timezone }: { job: JobSchedule; timezone: string }) {
  const { t } = useTranslation();
  const success = job.last_success_at;
  return (
    <div
      className="freshness-item"
      data-testid="job-freshness-item"
      data-job={job.job}
      data-status={job.last_run?.status ?? ''}
      data-success={success ?? ''}
    >
      <Typography.Text strong ellipsis className="freshness-name">
        {t(`scheduler.jobs.${job.job}.name`)}
      </Typography.Text>
      <div className="freshness-state">
        {job.last_run ? (
          <RunStatusTag status={job.last_run.status} testId="job-freshness-status" />
        ) : (
          <Tag className="tag-flush" data-testid="job-freshness-status" data-status="">
            {t('scheduler.freshness.notRun')}
          </Tag>
        )}
        <Tooltip title={success ? formatDateTime(success, timezone) : undefined}>
          <Typography.Text
            type={success ? undefined : 'secondary'}
            className="small numeric nowrap"
            data-testid="job-freshness-success"
          >
            {success
              ? t('scheduler.freshness.lastSuccess', { time: formatShortDateTime(success, timezone) })
              : t('scheduler.freshness.neverSucceeded')}
          </Typography.Text>
        </Tooltip>
      </div>
    </div>
  );
}

/** Whether the data is fresh: each job's last run and last success, one click from 定时任务. */
export function JobFreshnessStrip() {
  const { t } = useTranslation();
  const config = useSchedulerConfig();
  if (!config.data) return null;
  const { jobs, timezone, enabled } = config.data;
  return (
    <Card className="freshness-card" data-testid="job-freshness" data-enabled={enabled}>
      <div className="freshness">
        <div className="freshness-title">
          <FieldTimeOutlined />
          <span>{t('scheduler.freshness.title')}</span>
          {!enabled && (
            <Tag color="warning" className="tag-flush" data-testid="job-freshness-off">
              {t('scheduler.freshness.off')}
            </Tag>
          )}
        </div>
        {jobs.map((job) => (
          <JobFreshness key={job.job} job={job} timezone={timezone} />
        ))}
        <Link to="/scheduler" className="freshness-link" data-testid="job-freshness-open">
          {t('scheduler.freshness.open')} <RightOutlined />
        </Link>
      </div>
    </Card>
  );
}
