import type { JobRun } from '@kra/contracts';
import { SyncOutlined } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

type RunStatus = JobRun['status'];

const COLORS: Record<RunStatus, string> = {
  running: 'processing',
  succeeded: 'success',
  'partly-failed': 'warning',
  failed: 'error',
  cancelled: 'default',
  skipped: 'default',
};

/** How a scheduled job's run went (or that it is still running). */
export function RunStatusTag({ status, testId = 'run-status' }: { status: RunStatus; testId?: string }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={COLORS[status]}
      icon={status === 'running' ? <SyncOutlined spin /> : undefined}
      className="tag-flush"
      data-testid={testId}
      data-status={status}
    >
      {t(`scheduler.status.${status}`)}
    </Tag>
  );
}
