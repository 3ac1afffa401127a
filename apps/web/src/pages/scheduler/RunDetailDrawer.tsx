import type { ReactNode } from 'react';
import type { JobRun } from '@kra/contracts';
import { Alert, Descriptions, Drawer, Flex, Skeleton, Typography, type DescriptionsProps } from 'antd';
import { useTranslation } from 'react-i18next';
import { useJobRun } from '../../api/scheduler';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RunStatusTag } from '../../components/scheduler/RunStatusTag';
import { formatDateTime, formatDuration } from '../../lib/format';
import { CancelRunButton } from './CancelRunButton';
import { RunResults } from './RunResults';
import { runDuration } from './RunTable';

interface RunDetailDrawerProps {
  /** The run shown; the drawer is closed when undefined. */
  runId: number | undefined;
  timezone: string;
  onClose: () => void;
}

function RunFacts({ run, timezone }: { run: JobRun; timezone: string }) {
  const { t } = useTranslation();
  const duration = runDuration(run);
  const fact = (key: string, label: string, children: ReactNode, span = 1) => ({
    key,
    label,
    span,
    children: <span data-testid={`run-detail-${key}`}>{children}</span>,
  });
  const items: DescriptionsProps['items'] = [
    fact(
      'status',
      t('scheduler.detail.status'),
      <RunStatusTag status={run.status} testId="run-detail-tag" />,
    ),
    fact('trigger', t('scheduler.detail.trigger'), t(`scheduler.trigger.${run.trigger}`)),
    fact(
      'slot',
      t('scheduler.detail.slot'),
      run.scheduled_for ? formatDateTime(run.scheduled_for, timezone) : t('scheduler.detail.slotNone'),
    ),
    fact(
      'attempt',
      t('scheduler.detail.attempt'),
      t('scheduler.detail.attemptValue', { attempt: run.attempt }),
    ),
    fact('started', t('scheduler.detail.startedAt'), formatDateTime(run.started_at, timezone)),
    fact('finished', t('scheduler.detail.finishedAt'), formatDateTime(run.finished_at, timezone)),
    fact('duration', t('scheduler.detail.duration'), duration === null ? '—' : formatDuration(duration)),
    fact('instance', t('scheduler.detail.instance'), <span className="mono small">{run.instance}</span>),
    ...(run.next_retry_at
      ? [fact('retry', t('scheduler.detail.nextRetry'), formatDateTime(run.next_retry_at, timezone), 2)]
      : []),
    fact('summary', t('scheduler.detail.summary'), run.summary || '—', 2),
  ];
  return <Descriptions size="small" bordered column={2} items={items} />;
}

/** One run: why and where it ran, when, how it went, and its per-cluster or per-day results. */
export function RunDetailDrawer({ runId, timezone, onClose }: RunDetailDrawerProps) {
  const { t } = useTranslation();
  const query = useJobRun(runId);
  const run = query.data;
  const shown = run && run.id === runId ? run : undefined;

  return (
    <Drawer
      open={runId !== undefined}
      title={
        shown && t('scheduler.detail.title', { id: shown.id, job: t(`scheduler.jobs.${shown.job}.name`) })
      }
      size={960}
      onClose={onClose}
      extra={
        shown?.status === 'running' && (
          <CancelRunButton runId={shown.id} requested={shown.cancel_requested} testId="run-detail-cancel" />
        )
      }
      data-testid="run-detail"
      data-id={shown?.id ?? ''}
      data-status={shown?.status ?? ''}
    >
      {query.isError && <ApiErrorAlert error={query.error} />}
      {!shown && !query.isError && <Skeleton active paragraph={{ rows: 6 }} />}
      {shown && (
        <Flex vertical gap={16}>
          {shown.cancel_requested && shown.status === 'running' && (
            <Alert type="info" showIcon title={t('scheduler.detail.cancelRequested')} />
          )}
          <RunFacts run={shown} timezone={timezone} />
          <Typography.Title level={5} className="drawer-section-title">
            {t('scheduler.detail.results')}
          </Typography.Title>
          <RunResults run={shown} />
        </Flex>
      )}
    </Drawer>
  );
}
