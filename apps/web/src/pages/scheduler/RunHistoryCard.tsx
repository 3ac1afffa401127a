import { useState } from 'react';
import type { JobKey, JobRun } from '@kra/contracts';
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Select, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useJobRuns, type RunFilter } from '../../api/scheduler';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { RunTable } from './RunTable';

const STATUSES: JobRun['status'][] = [
  'running',
  'succeeded',
  'partly-failed',
  'failed',
  'cancelled',
  'skipped',
];
const TRIGGERS: JobRun['trigger'][] = ['schedule', 'manual', 'cli', 'retry'];

interface RunHistoryCardProps {
  jobs: JobKey[];
  timezone: string;
  keepDays: number;
  onShowRun: (id: number) => void;
}

interface FilterSelectProps<T extends string> {
  value: T | undefined;
  values: readonly T[];
  label: (value: T) => string;
  placeholder: string;
  onChange: (value: T | undefined) => void;
  testId: string;
}

function FilterSelect<T extends string>({
  value,
  values,
  label,
  placeholder,
  onChange,
  testId,
}: FilterSelectProps<T>) {
  return (
    <Select<T>
      allowClear
      value={value}
      placeholder={placeholder}
      options={values.map((v) => ({
        value: v,
        label: (
          <span data-testid="runs-filter-option" data-value={v}>
            {label(v)}
          </span>
        ),
      }))}
      onChange={onChange}
      style={{ width: 180 }}
      data-testid={testId}
    />
  );
}

/** Every job's runs, newest first, narrowed by job, status and trigger; followed while one runs. */
export function RunHistoryCard({ jobs, timezone, keepDays, onShowRun }: RunHistoryCardProps) {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<RunFilter>({});
  const runs = useJobRuns(filter);
  const filtered = Object.values(filter).some((value) => value !== undefined);

  return (
    <Card
      title={
        <Flex align="baseline" gap={8} wrap>
          <span>{t('scheduler.history.title')}</span>
          <Typography.Text type="secondary" className="small">
            {t('scheduler.history.hint', { days: keepDays })}
          </Typography.Text>
        </Flex>
      }
      className="scheduler-card"
      data-testid="run-history"
    >
      <Flex gap={8} wrap className="table-toolbar">
        <FilterSelect<JobKey>
          value={filter.job}
          values={jobs}
          label={(job) => t(`scheduler.jobs.${job}.name`)}
          placeholder={t('scheduler.history.allJobs')}
          onChange={(job) => setFilter({ ...filter, job })}
          testId="runs-filter-job"
        />
        <FilterSelect<JobRun['status']>
          value={filter.status}
          values={STATUSES}
          label={(status) => t(`scheduler.status.${status}`)}
          placeholder={t('scheduler.history.allStatuses')}
          onChange={(status) => setFilter({ ...filter, status })}
          testId="runs-filter-status"
        />
        <FilterSelect<JobRun['trigger']>
          value={filter.trigger}
          values={TRIGGERS}
          label={(trigger) => t(`scheduler.trigger.${trigger}`)}
          placeholder={t('scheduler.history.allTriggers')}
          onChange={(trigger) => setFilter({ ...filter, trigger })}
          testId="runs-filter-trigger"
        />
        <Tooltip title={t('common.refresh')}>
          <Button
            icon={<ReloadOutlined />}
            onClick={() => void runs.refetch()}
            aria-label={t('common.refresh')}
            data-testid="runs-refresh"
          />
        </Tooltip>
      </Flex>
      {runs.isError && <ApiErrorAlert error={runs.error} title={t('common.loadFailed')} />}
      <RunTable
        filterKey={`${filter.job ?? ''}|${filter.status ?? ''}|${filter.trigger ?? ''}`}
        runs={runs.data?.items ?? []}
        loading={runs.isPending}
        busy={runs.isFetching}
        timezone={timezone}
        emptyText={
          <Empty
            image={Empty.PRESENTED_IMAGE_SIMPLE}
            description={filtered ? t('scheduler.history.noMatch') : t('scheduler.history.empty')}
          />
        }
        onShowRun={onShowRun}
      />
    </Card>
  );
}
