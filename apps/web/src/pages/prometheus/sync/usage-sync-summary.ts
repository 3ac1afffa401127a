import type { UsageSyncResult } from '@kra/contracts';
import type { TFunction } from 'i18next';
import type { SyncSummary } from '../../../components/sync/sync-summary';

/** One line on a day's sync: every source synced, some failed, or all failed. */
export function usageSyncSummary(t: TFunction, result: UsageSyncResult): SyncSummary {
  const { date } = result;
  const count = result.sources.length;
  const failed = result.sources.filter((s) => !s.ok).length;
  if (failed === 0) return { type: 'success', text: t('prometheus.sync.allOk', { date, count }) };
  if (failed === count) return { type: 'error', text: t('prometheus.sync.allFailed', { date, count }) };
  return { type: 'warning', text: t('prometheus.sync.someFailed', { date, failed, count }) };
}
