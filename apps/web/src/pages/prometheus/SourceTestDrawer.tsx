import type { PrometheusConfig, PrometheusTest } from '@kra/contracts';
import { ReloadOutlined } from '@ant-design/icons';
import type { UseMutationResult } from '@tanstack/react-query';
import { Button, Drawer, Empty, Spin, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { SourceTestResult } from './SourceTestResult';

/** Exposed as `data-state` for page objects. */
type TestState = 'running' | 'done' | 'error' | 'untested';

interface SourceTestDrawerProps {
  /** The source shown, as the list has it now (its `last_test` follows each test). */
  source: PrometheusConfig | undefined;
  test: UseMutationResult<PrometheusTest, Error, number>;
  onClose: () => void;
}

/** The newest connection test of a source: the one just run, else the one stored with it. */
export function SourceTestDrawer({ source, test, onClose }: SourceTestDrawerProps) {
  const { t } = useTranslation();
  const result = test.data ?? source?.last_test ?? null;
  const state: TestState = test.isPending ? 'running' : test.isError ? 'error' : result ? 'done' : 'untested';

  return (
    <Drawer
      open={source !== undefined}
      title={source ? t('prometheus.test.title', { name: source.name }) : undefined}
      size={560}
      onClose={onClose}
      extra={
        source && (
          <Button
            icon={<ReloadOutlined />}
            loading={test.isPending}
            onClick={() => test.mutate(source.id)}
            data-testid="prometheus-retest"
          >
            {t('prometheus.test.retest')}
          </Button>
        )
      }
      data-testid="prometheus-test"
      data-state={state}
    >
      {source && state === 'running' && (
        <div className="sync-progress">
          <Spin size="large" />
          <Typography.Text>{t('prometheus.test.running', { url: source.url })}</Typography.Text>
        </div>
      )}
      {state === 'error' && <ApiErrorAlert error={test.error} />}
      {source && state === 'done' && result && <SourceTestResult test={result} url={source.url} />}
      {state === 'untested' && <Empty description={t('prometheus.test.neverTested')} />}
    </Drawer>
  );
}
