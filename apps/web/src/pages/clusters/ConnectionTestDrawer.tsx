import type { ConnectionTest, K8sConfig } from '@kra/contracts';
import { ReloadOutlined } from '@ant-design/icons';
import type { UseMutationResult } from '@tanstack/react-query';
import { Button, Drawer, Empty, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ConnectionTestResult } from './ConnectionTestResult';

/** Exposed as `data-state` for page objects. */
type TestState = 'running' | 'done' | 'error' | 'untested';

interface ConnectionTestDrawerProps {
  /** The cluster shown, as the list has it now (its `last_test` follows each test). */
  cluster: K8sConfig | undefined;
  test: UseMutationResult<ConnectionTest, Error, number>;
  onClose: () => void;
}

/** The newest connection test of a cluster: the one just run, else the one stored with it. */
export function ConnectionTestDrawer({ cluster, test, onClose }: ConnectionTestDrawerProps) {
  const { t } = useTranslation();
  const result = test.data ?? cluster?.last_test ?? null;
  const state: TestState = test.isPending ? 'running' : test.isError ? 'error' : result ? 'done' : 'untested';

  return (
    <Drawer
      open={cluster !== undefined}
      title={cluster ? t('clusters.test.title', { name: cluster.name }) : undefined}
      size={560}
      onClose={onClose}
      extra={
        cluster && (
          <Button
            icon={<ReloadOutlined />}
            loading={test.isPending}
            onClick={() => test.mutate(cluster.id)}
            data-testid="connection-retest"
          >
            {t('clusters.test.retest')}
          </Button>
        )
      }
      data-testid="connection-test"
      data-state={state}
    >
      {cluster && state === 'running' && (
        <div className="sync-progress">
          <Spin size="large" />
          <Typography.Text>{t('clusters.test.running', { server: cluster.server })}</Typography.Text>
        </div>
      )}
      {state === 'error' && <ApiErrorAlert error={test.error} />}
      {cluster && state === 'done' && result && (
        <ConnectionTestResult test={result} server={cluster.server} />
      )}
      {state === 'untested' && <Empty description={t('clusters.test.neverTested')} />}
    </Drawer>
  );
}
