import type { SyncJob } from '@kra/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<SyncJob['status'], string> = {
  running: 'processing',
  succeeded: 'success',
  'partly-failed': 'warning',
  failed: 'error',
  cancelled: 'default',
};

export function JobStatusTag({ status }: { status: SyncJob['status'] }) {
  const { t } = useTranslation();
  return (
    <Tag color={COLORS[status]} data-testid="sync-job-status" data-status={status}>
      {t(`prometheus.job.status.${status}`)}
    </Tag>
  );
}
