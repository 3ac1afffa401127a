import { SyncResult, UsageSyncResult, type JobRun } from '@kra/contracts';
import { Empty } from 'antd';
import { useTranslation } from 'react-i18next';
import { SyncResultView } from '../../components/sync/SyncOutcome';
import { JobDaysTable } from '../prometheus/sync/JobDaysTable';

/**
 * A run's results with the tables of the syncs it ran: per cluster for the quota jobs, per day (each
 * opening to its sources) for the Prometheus job. A run that stopped before syncing has none.
 */
export function RunResults({ run }: { run: JobRun }) {
  const { t } = useTranslation();
  if (run.job === 'prometheus-sync') {
    const days = UsageSyncResult.array().safeParse(run.result);
    if (days.success && days.data.length > 0) return <JobDaysTable results={days.data} />;
  } else {
    const sync = SyncResult.safeParse(run.result);
    const kind = run.job === 'namespace-quota-sync' ? 'namespaces' : 'projects';
    if (sync.success) return <SyncResultView kind={kind} result={sync.data} />;
  }
  return (
    <Empty
      image={Empty.PRESENTED_IMAGE_SIMPLE}
      description={t('scheduler.detail.noResults')}
      data-testid="run-no-results"
    />
  );
}
