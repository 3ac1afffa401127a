import type { JobSchedule } from '@kra/contracts';
import { Alert, Button, Card, Col, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { useRunJob, useUpdateScheduler } from '../../api/scheduler';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { JobActions } from './JobActions';
import { JobScheduleForm } from './JobScheduleForm';
import { JobStatusPanel } from './JobStatusPanel';
import { jobFormValues } from './schedule';

interface JobCardProps {
  job: JobSchedule;
  timezone: string;
  schedulerEnabled: boolean;
  onShowRun: (id: number) => void;
}

type RunNow = ReturnType<typeof useRunJob>;

/** Why "run now" did not start: the job is held by a run (here or elsewhere), or another error. */
function RunNowRefusal({ runNow, onShowRun }: { runNow: RunNow; onShowRun: (id: number) => void }) {
  const { t } = useTranslation();
  const error = runNow.error;
  if (!error) return null;
  const holder = isApiError(error) && error.code === 'job_running' ? error.runningRunId : null;
  if (holder === null) return <ApiErrorAlert error={error} />;
  return (
    <Alert
      type="warning"
      showIcon
      closable={{ onClose: () => runNow.reset() }}
      title={error.message}
      action={
        <Button size="small" onClick={() => onShowRun(holder)} data-testid="job-conflict-show">
          {t('scheduler.job.showRun', { id: holder })}
        </Button>
      }
      data-testid="job-run-conflict"
    />
  );
}

/** One job: what it syncs, its schedule (editable), when it runs next and how its last run went. */
export function JobCard({ job, timezone, schedulerEnabled, onShowRun }: JobCardProps) {
  const { t } = useTranslation();
  const update = useUpdateScheduler();
  const runNow = useRunJob();
  const saved = jobFormValues(job);

  return (
    <Card
      title={
        <span className="job-title">
          {t(`scheduler.jobs.${job.job}.name`)}
          <Typography.Text type="secondary" className="mono small">
            {job.job}
          </Typography.Text>
        </span>
      }
      extra={<JobActions job={job} runNow={runNow} onShowRun={onShowRun} />}
      className="scheduler-card"
      data-testid="job-card"
      data-job={job.job}
      data-running={job.running_run_id ?? ''}
    >
      <div data-save-status={update.status} data-saved-at={update.submittedAt} className="form-state" />
      <div
        data-testid="job-run-state"
        data-status={runNow.status}
        data-at={runNow.submittedAt}
        data-run-id={runNow.data?.id ?? ''}
        className="form-state"
      />
      <div className="job-card-body">
        <Typography.Text type="secondary" data-testid="job-description">
          {t(`scheduler.jobs.${job.job}.description`)}
        </Typography.Text>
        <RunNowRefusal runNow={runNow} onShowRun={onShowRun} />
        <Row gutter={24}>
          <Col span={13}>
            <JobScheduleForm key={JSON.stringify(saved)} job={job} saved={saved} update={update} />
          </Col>
          <Col span={11}>
            <JobStatusPanel
              job={job}
              timezone={timezone}
              scheduled={schedulerEnabled && job.enabled}
              onShowRun={onShowRun}
            />
          </Col>
        </Row>
      </div>
    </Card>
  );
}
