import { useState } from 'react';
import { Alert, Card, Col, Row, Skeleton } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSchedulerConfig } from '../../api/scheduler';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { GlobalSettingsCard } from './GlobalSettingsCard';
import { JobCard } from './JobCard';
import { RunDetailDrawer } from './RunDetailDrawer';
import { RunHistoryCard } from './RunHistoryCard';
import { SchedulerRulesCard } from './SchedulerRulesCard';

export default function SchedulerPage() {
  const { t } = useTranslation();
  const config = useSchedulerConfig();
  const [shownRunId, setShownRunId] = useState<number>();
  const data = config.data;

  return (
    <div className="page" data-testid="scheduler-page" data-state={data ? 'ready' : 'loading'}>
      <PageHeader title={t('scheduler.title')} description={t('scheduler.description')} />
      {config.isError && <ApiErrorAlert error={config.error} title={t('common.loadFailed')} />}
      {config.isPending && (
        <Card>
          <Skeleton active paragraph={{ rows: 8 }} />
        </Card>
      )}
      {data && (
        <>
          {!data.enabled && (
            <Alert type="warning" showIcon title={t('scheduler.off')} data-testid="scheduler-off" />
          )}
          <Row gutter={16}>
            <Col span={14}>
              <GlobalSettingsCard config={data} />
            </Col>
            <Col span={10}>
              <SchedulerRulesCard catchUpDays={data.prometheus_catch_up_days} />
            </Col>
          </Row>
          {data.jobs.map((job) => (
            <JobCard
              key={job.job}
              job={job}
              timezone={data.timezone}
              schedulerEnabled={data.enabled}
              onShowRun={setShownRunId}
            />
          ))}
          <RunHistoryCard
            jobs={data.jobs.map((job) => job.job)}
            timezone={data.timezone}
            keepDays={data.keep_runs_days}
            onShowRun={setShownRunId}
          />
          <RunDetailDrawer
            runId={shownRunId}
            timezone={data.timezone}
            onClose={() => setShownRunId(undefined)}
          />
        </>
      )}
    </div>
  );
}
