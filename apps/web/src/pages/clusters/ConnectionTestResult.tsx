import type { ConnectionTest, Permission } from '@kra/contracts';
import { CheckCircleFilled, CloseCircleFilled, MinusCircleFilled } from '@ant-design/icons';
import { Alert, Descriptions, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration } from '../../lib/format';

/** A denied projectquotas matters only where the CRD is served: elsewhere the syncs never read it. */
const isNeeded = (permission: Permission, crd: boolean | null) =>
  permission.resource !== 'projectquotas' || crd !== false;

/** What reads a resource: the quota syncs, or Prometheus replica de-duplication (the workload kinds). */
const purposeOf = (permission: Permission) =>
  permission.group === 'apps' || permission.group === 'batch'
    ? 'replicaDedup'
    : permission.resource === 'projectquotas'
      ? 'projectQuotas'
      : 'quotaSyncs';

function PermissionItem({ permission, crd }: { permission: Permission; crd: boolean | null }) {
  const { t } = useTranslation();
  const needed = isNeeded(permission, crd);
  const resource = permission.group ? `${permission.resource}.${permission.group}` : permission.resource;
  const icon = permission.allowed ? (
    <CheckCircleFilled className="permission-allowed" />
  ) : needed ? (
    <CloseCircleFilled className="permission-denied" />
  ) : (
    <MinusCircleFilled className="permission-unneeded" />
  );
  return (
    <li
      className="permission-item"
      data-testid="test-permission"
      data-resource={permission.resource}
      data-allowed={permission.allowed}
      data-needed={needed}
    >
      {icon}
      <Tooltip title={permission.reason}>
        <span className="mono">
          {permission.verb} {resource}
        </span>
      </Tooltip>
      <Typography.Text type="secondary" className="small" data-testid="test-permission-purpose">
        {t(`clusters.test.purpose.${purposeOf(permission)}`)}
      </Typography.Text>
      {!permission.allowed && !needed && (
        <Typography.Text type="secondary" className="small">
          {t('clusters.test.notNeeded')}
        </Typography.Text>
      )}
    </li>
  );
}

function TestHeadline({ test }: { test: ConnectionTest }) {
  const { t } = useTranslation();
  if (test.ok) {
    return <Alert type="success" showIcon title={t('clusters.test.ok')} description={test.message} />;
  }
  const kind = test.error_kind ?? 'config';
  return (
    <Alert
      type="error"
      showIcon
      title={t(`clusters.errorKind.${kind}`)}
      description={
        <>
          <div className="test-message" data-testid="test-message">
            {test.message}
          </div>
          <div className="test-hint" data-testid="test-hint">
            {t(`clusters.hint.${kind}`)}
          </div>
        </>
      }
    />
  );
}

/** A connection test: what failed and what to check, or the server's version, identity and permissions. */
export function ConnectionTestResult({ test, server }: { test: ConnectionTest; server: string }) {
  const { t } = useTranslation();
  const connected = test.version !== null;
  const items = [
    { key: 'server', label: t('clusters.test.server'), children: <span className="mono">{server}</span> },
    ...(connected
      ? [
          {
            key: 'version',
            label: t('clusters.test.version'),
            children: <span data-testid="test-version">{test.version}</span>,
          },
          {
            key: 'identity',
            label: t('clusters.test.identity'),
            children: (
              <span className="mono" data-testid="test-identity">
                {test.identity ?? '—'}
              </span>
            ),
          },
          {
            key: 'groups',
            label: t('clusters.test.groups'),
            children: (
              <div className="tag-list">
                {test.groups.map((group) => (
                  <Tag key={group} data-testid="test-group">
                    {group}
                  </Tag>
                ))}
              </div>
            ),
          },
          {
            key: 'crd',
            label: t('clusters.test.crd'),
            children:
              test.projectquota_crd === null
                ? '—'
                : test.projectquota_crd
                  ? t('clusters.test.crdPresent')
                  : t('clusters.test.crdAbsent'),
          },
        ]
      : []),
    { key: 'duration', label: t('clusters.test.duration'), children: formatDuration(test.duration_ms) },
    { key: 'at', label: t('clusters.test.testedAt'), children: formatDateTime(test.at) },
  ];

  return (
    <div
      className="connection-test"
      data-testid="connection-test-result"
      data-ok={test.ok}
      data-error-kind={test.error_kind ?? ''}
      data-crd={String(test.projectquota_crd)}
    >
      <TestHeadline test={test} />
      <Descriptions column={1} size="small" bordered items={items} />
      {test.permissions.length > 0 && (
        <div>
          <Typography.Text strong>{t('clusters.test.permissions')}</Typography.Text>
          <ul className="permission-list">
            {test.permissions.map((permission) => (
              <PermissionItem
                key={`${permission.group}/${permission.resource}/${permission.verb}`}
                permission={permission}
                crd={test.projectquota_crd}
              />
            ))}
          </ul>
        </div>
      )}
    </div>
  );
}
