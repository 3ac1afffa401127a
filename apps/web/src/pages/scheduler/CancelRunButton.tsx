import { StopOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCancelRun } from '../../api/scheduler';
import { ConfirmText } from '../../components/ConfirmText';

interface CancelRunButtonProps {
  runId: number;
  /** A cancel was already asked for: the run stops after its current step. */
  requested: boolean;
  /** An icon with its label on hover, for table rows. */
  compact?: boolean;
  testId: string;
}

/** Asks a running run to stop, wherever it runs; confirmed first. */
export function CancelRunButton({ runId, requested, compact = false, testId }: CancelRunButtonProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const cancel = useCancelRun();
  const asked = requested || (cancel.isSuccess && cancel.variables === runId);
  const label = asked ? t('scheduler.job.cancelling') : t('scheduler.job.cancel');
  return (
    <Popconfirm
      title={t('scheduler.job.cancelConfirm', { id: runId })}
      description={<div className="popconfirm-text">{t('scheduler.job.cancelDesc')}</div>}
      okText={<ConfirmText>{t('scheduler.job.cancel')}</ConfirmText>}
      cancelText={t('scheduler.job.keepRunning')}
      okButtonProps={{ danger: true }}
      onConfirm={() => cancel.mutate(runId, { onError: (error) => message.error(error.message) })}
      placement="bottomRight"
      disabled={asked}
    >
      <Tooltip title={compact ? label : undefined}>
        <Button
          danger
          size={compact ? 'small' : 'middle'}
          icon={<StopOutlined />}
          loading={cancel.isPending}
          disabled={asked}
          aria-label={label}
          data-testid={testId}
          data-requested={asked}
        >
          {!compact && label}
        </Button>
      </Tooltip>
    </Popconfirm>
  );
}
