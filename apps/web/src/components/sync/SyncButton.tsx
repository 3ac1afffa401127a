import { SyncOutlined } from '@ant-design/icons';
import { Button, Modal, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SyncKind } from '../../api/clusters';
import { SyncOutcome } from './SyncOutcome';
import { useSyncRun } from './useSyncRun';

interface SyncButtonProps {
  kind: SyncKind;
  label: string;
  /** Clusters to sync; all when undefined. */
  clusterIds?: number[];
  /** How many clusters that is. */
  clusterCount: number;
  primary?: boolean;
  /** Why the button cannot be used now, shown on hover; the button is disabled when set. */
  unavailable?: string;
  testId: string;
}

/** Starts a sync and shows its outcome in a dialog; disabled with a spinner while it runs. */
export function SyncButton({
  kind,
  label,
  clusterIds,
  clusterCount,
  primary,
  unavailable,
  testId,
}: SyncButtonProps) {
  const { t } = useTranslation();
  const run = useSyncRun(kind);
  const running = run.sync.isPending;
  return (
    <>
      <Tooltip title={unavailable}>
        <Button
          type={primary ? 'primary' : 'default'}
          icon={<SyncOutlined />}
          loading={running}
          disabled={running || unavailable !== undefined}
          onClick={() => run.start(clusterIds)}
          data-testid={testId}
        >
          {label}
        </Button>
      </Tooltip>
      <Modal
        open={run.open}
        title={t(`sync.title.${kind}`)}
        onCancel={run.close}
        width={960}
        footer={
          <Button type="primary" onClick={run.close} data-testid="sync-close">
            {t('common.close')}
          </Button>
        }
        data-testid="sync-dialog"
      >
        <SyncOutcome kind={kind} sync={run.sync} clusterCount={clusterCount} />
      </Modal>
    </>
  );
}
