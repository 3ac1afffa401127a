import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

/** Whether one cluster's (or source's) part of a sync succeeded. */
export function SyncStatusTag({ ok }: { ok: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag
      color={ok ? 'success' : 'error'}
      icon={ok ? <CheckCircleFilled /> : <CloseCircleFilled />}
      data-testid="sync-status"
      data-ok={ok}
    >
      {ok ? t('sync.ok') : t('sync.failed')}
    </Tag>
  );
}
