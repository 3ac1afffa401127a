import type { JobRun, JobSchedule } from '@kra/contracts';
import { Button, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { RunStatusTag } from '../../components/scheduler/RunStatusTag';
import { useLanguage } from '../../i18n';
import { formatDateMinute, formatDateTime, formatShortDateTime } from '../../lib/format';
import { clock, dailyTimes } from './schedule';

interface JobStatusPanelProps {
  job: JobSchedule;
  timezone: string;
  /** False when the job or the whole scheduler is switched off: the times are when it would run. */
  scheduled: boolean;
  onShowRun: (id: number) => void;
}

/** The saved schedule in words: the times of day, or every N days. Cron speaks for itself. */
function ScheduleText({ job }: { job: JobSchedule }) {
  const { t } = useTranslation();
  if (job.mode === 'cron') return null;
  const text =
    job.interval_hours > 24
      ? t('scheduler.job.runsEveryDays', { days: job.interval_hours / 24, time: clock(job.hour, job.minute) })
      : t('scheduler.job.runsAt', {
          times: dailyTimes(job.hour, job.minute, job.interval_hours).join(t('scheduler.units.separator')),
        });
  return <span data-testid="job-schedule-text">{text}</span>;
}

function NextRuns({ job, timezone, scheduled }: Omit<JobStatusPanelProps, 'onShowRun'>) {
  const { t } = useTranslation();
  const language = useLanguage();
  const weekday = new Intl.DateTimeFormat(language === 'en' ? 'en-US' : 'zh-CN', {
    weekday: 'short',
    timeZone: timezone,
  });
  return (
    <div className="job-facts-row">
      <Typography.Text type="secondary">{t('scheduler.job.nextRuns')}</Typography.Text>
      <div>
        {!scheduled && (
          <Tag className="tag-flush" data-testid="job-paused">
            {t('scheduler.job.paused')}
          </Tag>
        )}
        <ol className={scheduled ? 'next-runs' : 'next-runs next-runs-paused'}>
          {job.next_runs.map((at) => (
            <li key={at} className="numeric" data-testid="job-next-run" data-at={at}>
              <span data-testid="job-next-run-time">{formatDateMinute(at, timezone)}</span>
              <span className="next-run-weekday">{weekday.format(new Date(at))}</span>
            </li>
          ))}
        </ol>
      </div>
    </div>
  );
}

function LastRun({
  run,
  timezone,
  onShowRun,
}: {
  run: JobRun;
  timezone: string;
  onShowRun: (id: number) => void;
}) {
  const { t } = useTranslation();
  return (
    <div data-testid="job-last-run" data-id={run.id}>
      <div className="last-run-head">
        <RunStatusTag status={run.status} testId="job-last-status" />
        <Tooltip title={formatDateTime(run.started_at, timezone)}>
          <span className="numeric" data-testid="job-last-time">
            {formatShortDateTime(run.started_at, timezone)}
          </span>
        </Tooltip>
        <Typography.Text type="secondary">{t(`scheduler.trigger.${run.trigger}`)}</Typography.Text>
        <Button type="link" size="small" onClick={() => onShowRun(run.id)} data-testid="job-last-detail">
          {t('scheduler.job.detail')}
        </Button>
      </div>
      <Typography.Paragraph
        type="secondary"
        className="small last-run-summary"
        ellipsis={{ rows: 2, tooltip: run.summary }}
        data-testid="job-last-summary"
      >
        {run.summary}
      </Typography.Paragraph>
    </div>
  );
}

/** When the job runs next (in the configured zone), how its last run went and when it last succeeded. */
export function JobStatusPanel({ job, timezone, scheduled, onShowRun }: JobStatusPanelProps) {
  const { t } = useTranslation();
  return (
    <div className="job-facts">
      <div className="job-facts-row">
        <Typography.Text type="secondary">{t('scheduler.job.schedule')}</Typography.Text>
        <div className="job-schedule">
          <ScheduleText job={job} />
          <code className="inline-code" data-testid="job-expression">
            {job.expression}
          </code>
        </div>
      </div>
      <NextRuns job={job} timezone={timezone} scheduled={scheduled} />
      <div className="job-facts-row">
        <Typography.Text type="secondary">{t('scheduler.job.lastRun')}</Typography.Text>
        {job.last_run ? (
          <LastRun run={job.last_run} timezone={timezone} onShowRun={onShowRun} />
        ) : (
          <Typography.Text type="secondary" data-testid="job-last-run" data-id="">
            {t('scheduler.job.never')}
          </Typography.Text>
        )}
      </div>
      <div className="job-facts-row">
        <Typography.Text type="secondary">{t('scheduler.job.lastSuccess')}</Typography.Text>
        <span className="numeric" data-testid="job-last-success" data-at={job.last_success_at ?? ''}>
          {job.last_success_at
            ? formatDateTime(job.last_success_at, timezone)
            : t('scheduler.job.neverSucceeded')}
        </span>
      </div>
    </div>
  );
}
