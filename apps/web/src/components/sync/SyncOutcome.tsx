import type { SyncResult } from '@kra/contracts';
import type { UseMutationResult } from '@tanstack/react-query';
import { Alert, Spin, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncKind } from '../../api/clusters';
import { useElapsedSeconds } from '../../hooks/useElapsedSeconds';
import { ApiErrorAlert } from '../ApiErrorAlert';
import { syncSummary } from './sync-summary';
import { SyncResultTable } from './SyncResultTable';

export type SyncMutation = UseMutationResult<SyncResult, Error, number[] | undefined>;

function SyncProgress({ clusterCount, since }: { clusterCount: number; since: number }) {
  const { t } = useTranslation();
  const seconds = useElapsedSeconds(since);
  return (
    <div className="sync-progress" data-testid="sync-outcome" data-state="pending">
      <Spin size="large" />
      <Typography.Text strong>{t('sync.running', { count: clusterCount })}</Typography.Text>
      <Typography.Text type="secondary">{t('sync.runningHint', { seconds })}</Typography.Text>
    </div>
  );
}

function SkippedProjects({ projects }: { projects: string[] }) {
  const { t } = useTranslation();
  return (
    <Alert
      type="info"
      showIcon
      title={t('sync.skippedTitle', { count: projects.length })}
      description={
        <div className="tag-list">
          {projects.map((project) => (
            <Tag key={project} data-testid="sync-skipped-project">
              {project}
            </Tag>
          ))}
        </div>
      }
    />
  );
}

/** A finished sync: its one-line summary, the manual projects it left alone and the per-cluster table. */
export function SyncResultView({ kind, result }: { kind: SyncKind; result: SyncResult }) {
  const { t } = useTranslation();
  const summary = syncSummary(t, result);
  return (
    <div className="sync-outcome" data-testid="sync-outcome" data-state="done" data-ok={result.ok}>
      <Alert type={summary.type} showIcon title={summary.text} data-testid="sync-summary" />
      {kind === 'projects' && result.skipped_projects.length > 0 && (
        <SkippedProjects projects={result.skipped_projects} />
      )}
      <SyncResultTable kind={kind} clusters={result.clusters} />
    </div>
  );
}

interface SyncOutcomeProps {
  kind: SyncKind;
  sync: SyncMutation;
  /** How many clusters the running sync covers, for the progress line. */
  clusterCount: number;
}

/** A started sync: a spinner while it runs, then the per-cluster results, or the error that stopped it. */
export function SyncOutcome({ kind, sync, clusterCount }: SyncOutcomeProps) {
  if (sync.isPending) return <SyncProgress clusterCount={clusterCount} since={sync.submittedAt} />;
  if (sync.isError) {
    return (
      <div data-testid="sync-outcome" data-state="error">
        <ApiErrorAlert error={sync.error} />
      </div>
    );
  }
  if (sync.isSuccess) return <SyncResultView kind={kind} result={sync.data} />;
  return null;
}
