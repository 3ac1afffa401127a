import type { JobSchedule } from '@kra/contracts';
import { CaretRightOutlined, SyncOutlined } from '@ant-design/icons';
import { App, Button, Flex } from 'antd';
import { useTranslation } from 'react-i18next';
import type { useRunJob } from '../../api/scheduler';
import { CancelRunButton } from './CancelRunButton';

interface JobActionsProps {
  job: JobSchedule;
  runNow: ReturnType<typeof useRunJob>;
  onShowRun: (id: number) => void;
}

/**
 * Run now, and while a run holds the job: a link to it and its cancel. Run now stays enabled while
 * the job runs: the page may not know yet, and the server's refusal says which run holds it.
 */
export function JobActions({ job, runNow, onShowRun }: JobActionsProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const running = job.running_run_id;
  const requested = job.last_run !== null && job.last_run.id === running && job.last_run.cancel_requested;
  return (
    <Flex gap={8} align="center">
      {running !== null && (
        <>
          <Button
            type="link"
            icon={<SyncOutlined spin />}
            onClick={() => onShowRun(running)}
            data-testid="job-running"
          >
            {t('scheduler.job.running', { id: running })}
          </Button>
          <CancelRunButton runId={running} requested={requested} testId="job-cancel" />
        </>
      )}
      <Button
        type="primary"
        icon={<CaretRightOutlined />}
        loading={runNow.isPending}
        onClick={() =>
          runNow.mutate(job.job, {
            onSuccess: (run) => message.success(t('scheduler.job.started', { id: run.id })),
          })
        }
        data-testid="job-run-now"
      >
        {t('scheduler.job.runNow')}
      </Button>
    </Flex>
  );
}
