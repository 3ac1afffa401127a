import { Badge, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useHealth } from '../api/settings';

/** A dot telling whether the API answers, with its version on hover. */
export function ServerStatus() {
  const { t } = useTranslation();
  const health = useHealth();
  if (health.isPending) return null;
  const up = health.isSuccess;
  const label = up
    ? t('app.serverInfo', { version: health.data.version, database: health.data.database })
    : t('app.serverDown');
  return (
    <Tooltip title={label}>
      <span className="server-status" data-testid="server-status" data-up={up}>
        <Badge status={up ? 'success' : 'error'} />
        <span className="server-status-text">{up ? `v${health.data.version}` : t('app.serverDown')}</span>
      </span>
    </Tooltip>
  );
}
