import type { PrometheusTest } from '@kra/contracts';
import { CheckCircleFilled, CloseCircleFilled } from '@ant-design/icons';
import { Alert, Descriptions, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatDateTime, formatDuration } from '../../lib/format';
import { errorKindKey } from './test-error-kind';

function TestHeadline({ test }: { test: PrometheusTest }) {
  const { t } = useTranslation();
  if (test.ok) {
    return <Alert type="success" showIcon title={t('prometheus.test.ok')} description={test.message} />;
  }
  const kind = errorKindKey(test.error_kind);
  return (
    <Alert
      type={kind === 'no_metrics' ? 'warning' : 'error'}
      showIcon
      title={t(`prometheus.errorKind.${kind}`)}
      description={
        <>
          <div className="test-message" data-testid="test-message">
            {test.message}
          </div>
          <div className="test-hint" data-testid="test-hint">
            {t(`prometheus.hint.${kind}`)}
          </div>
        </>
      }
    />
  );
}

function MetricList({ metrics }: { metrics: PrometheusTest['metrics'] }) {
  const { t } = useTranslation();
  return (
    <ul className="permission-list">
      {metrics.map((metric) => (
        <li
          key={metric.name}
          className="permission-item"
          data-testid="test-metric"
          data-name={metric.name}
          data-series={metric.series}
        >
          {metric.series > 0 ? (
            <CheckCircleFilled className="permission-allowed" />
          ) : (
            <CloseCircleFilled className="permission-denied" />
          )}
          <span className="mono">{metric.name}</span>
          <Typography.Text type="secondary" className="numeric metric-series">
            {t('prometheus.test.series', { count: metric.series })}
          </Typography.Text>
        </li>
      ))}
    </ul>
  );
}

/** A source's connection test: what failed and what to check, or the version, targets and metric series. */
export function SourceTestResult({ test, url }: { test: PrometheusTest; url: string }) {
  const { t } = useTranslation();
  const connected = test.version !== null;
  const items = [
    { key: 'url', label: t('prometheus.test.url'), children: <span className="mono">{url}</span> },
    ...(connected
      ? [
          {
            key: 'version',
            label: t('prometheus.test.version'),
            children: <span data-testid="test-version">{test.version}</span>,
          },
          {
            key: 'targets',
            label: t('prometheus.test.targets'),
            children: (
              <span className="numeric" data-testid="test-targets" data-count={test.up_series ?? ''}>
                {test.up_series === null ? '—' : t('prometheus.test.targetsValue', { count: test.up_series })}
              </span>
            ),
          },
        ]
      : []),
    { key: 'duration', label: t('prometheus.test.duration'), children: formatDuration(test.duration_ms) },
    { key: 'at', label: t('prometheus.test.testedAt'), children: formatDateTime(test.at) },
  ];

  return (
    <div
      className="connection-test"
      data-testid="prometheus-test-result"
      data-ok={test.ok}
      data-error-kind={test.error_kind ?? ''}
    >
      <TestHeadline test={test} />
      <Descriptions column={1} size="small" bordered items={items} />
      {test.metrics.length > 0 && (
        <div>
          <Typography.Text strong>{t('prometheus.test.metrics')}</Typography.Text>
          <MetricList metrics={test.metrics} />
          <Typography.Text type="secondary" className="small">
            {t('prometheus.test.now')}
          </Typography.Text>
        </div>
      )}
    </div>
  );
}
