import type { SyncResult } from '@kra/contracts';
import type { TFunction } from 'i18next';

export interface SyncSummary {
  type: 'success' | 'warning' | 'error';
  text: string;
}

/**
 * One line on a whole sync: all clusters synced (some with problems of single namespaces), some
 * failed, or all failed.
 */
export function syncSummary(t: TFunction, result: SyncResult): SyncSummary {
  const count = result.clusters.length;
  const failed = result.clusters.filter((c) => !c.ok).length;
  const problems = result.clusters.reduce((n, c) => n + c.errors.length, 0);
  if (failed === 0 && problems > 0)
    return { type: 'warning', text: t('sync.allOkWithProblems', { count, problems }) };
  if (failed === 0) return { type: 'success', text: t('sync.allOk', { count }) };
  if (failed === count) return { type: 'error', text: t('sync.allFailed', { count }) };
  return { type: 'warning', text: t('sync.someFailed', { failed, count }) };
}
