import { useState } from 'react';
import { SyncOutlined } from '@ant-design/icons';
import { Button, Card, Flex, Segmented, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useStartRangeSync, useSyncJobs, useUsageSync } from '../../../api/prometheus';
import { useSettings } from '../../../api/settings';
import { ApiErrorAlert } from '../../../components/ApiErrorAlert';
import { DateInput, DateRangeInput } from '../../../components/DateInput';
import { lastCompleteDay } from '../../../lib/dates';
import { DaySyncOutcome } from './DaySyncOutcome';
import { RecentJobs } from './RecentJobs';
import { SyncJobView } from './SyncJobView';

type Mode = 'day' | 'range';

interface UsageSyncCardProps {
  /** Selected sources; all are synced when none is. */
  selectedIds: number[];
  total: number;
  onClearSelection: () => void;
}

/** Which sources a sync covers: the selected ones, or all of them when none is selected. */
function SyncScope({ selected, total, onClear }: { selected: number; total: number; onClear: () => void }) {
  const { t } = useTranslation();
  if (selected === 0) {
    return (
      <Typography.Text type="secondary" className="small" data-testid="usage-sync-scope">
        {t('prometheus.sync.scopeAll', { count: total })}
      </Typography.Text>
    );
  }
  return (
    <Flex align="center" gap={4}>
      <Typography.Text className="small" data-testid="usage-sync-scope">
        {t('prometheus.sync.scopeSelected', { count: selected })}
      </Typography.Text>
      <Button type="link" size="small" onClick={onClear}>
        {t('prometheus.clearSelection')}
      </Button>
    </Flex>
  );
}

/** Range syncs run in the background: the one shown (the newest unless another is picked) and the list. */
function RangeJobs({ shownId, onShow }: { shownId: string | undefined; onShow: (id: string) => void }) {
  const { t } = useTranslation();
  const jobs = useSyncJobs();
  const items = jobs.data?.items ?? [];
  const shown = shownId ?? items[0]?.id;
  return (
    <>
      {shown && <SyncJobView key={shown} id={shown} />}
      <div className="recent-jobs">
        <Flex align="baseline" gap={8} wrap>
          <Typography.Text strong>{t('prometheus.job.recent')}</Typography.Text>
          <Typography.Text type="secondary" className="small">
            {t('prometheus.job.recentHint')}
          </Typography.Text>
        </Flex>
        <RecentJobs jobs={items} loading={jobs.isFetching && !jobs.data} shownId={shown} onShow={onShow} />
      </div>
    </>
  );
}

/** 同步: one day (default yesterday) with per-source results, or a range as a background job. */
export function UsageSyncCard({ selectedIds, total, onClearSelection }: UsageSyncCardProps) {
  const { t } = useTranslation();
  const settings = useSettings();
  const [mode, setMode] = useState<Mode>('day');
  const [date, setDate] = useState<string>();
  const [range, setRange] = useState<[string, string]>();
  const [shownJobId, setShownJobId] = useState<string>();
  const daySync = useUsageSync();
  const startRange = useStartRangeSync();
  const timezone = settings.data?.timezone;
  const lastDay = timezone ? lastCompleteDay(new Date(), timezone) : undefined;
  const ids = selectedIds.length > 0 ? selectedIds : undefined;
  const running = daySync.isPending || startRange.isPending;
  const unavailable =
    total === 0
      ? t('prometheus.sync.needsSource')
      : mode === 'range' && !range
        ? t('prometheus.sync.chooseRange')
        : undefined;

  const switchMode = (next: Mode) => {
    setMode(next);
    setDate(undefined);
    setRange(undefined);
  };

  const start = () => {
    if (mode === 'day') {
      daySync.mutate({ ids, date });
      return;
    }
    if (!range) return;
    startRange.mutate({ ids, from: range[0], to: range[1] }, { onSuccess: (job) => setShownJobId(job.id) });
  };

  return (
    <Card
      title={t('prometheus.sync.title')}
      extra={<SyncScope selected={selectedIds.length} total={total} onClear={onClearSelection} />}
      data-testid="usage-sync"
    >
      <div className="sync-outcome">
        <Flex align="center" gap={8} wrap>
          <Segmented<Mode>
            value={mode}
            onChange={switchMode}
            options={[
              {
                value: 'day',
                label: <span data-testid="usage-sync-mode-day">{t('prometheus.sync.modeDay')}</span>,
              },
              {
                value: 'range',
                label: <span data-testid="usage-sync-mode-range">{t('prometheus.sync.modeRange')}</span>,
              },
            ]}
          />
          {mode === 'day' ? (
            <DateInput
              placeholder={lastDay ? t('prometheus.sync.yesterday', { date: lastDay }) : undefined}
              lastDate={lastDay}
              onChange={setDate}
              width={216}
              testId="usage-sync-date"
            />
          ) : (
            <DateRangeInput lastDate={lastDay} onChange={setRange} testId="usage-sync-range" />
          )}
          <Tooltip title={unavailable}>
            <Button
              type="primary"
              icon={<SyncOutlined />}
              loading={running}
              disabled={running || unavailable !== undefined}
              onClick={start}
              data-testid="usage-sync-start"
            >
              {mode === 'day' ? t('prometheus.sync.start') : t('prometheus.sync.startRange')}
            </Button>
          </Tooltip>
        </Flex>
        <Typography.Text type="secondary" className="small">
          {mode === 'day'
            ? t('prometheus.sync.dayHelp', { timezone: timezone ?? '—' })
            : t('prometheus.sync.rangeHelp')}
        </Typography.Text>
        {mode === 'day' ? (
          <DaySyncOutcome sync={daySync} sourceCount={ids?.length ?? total} />
        ) : (
          <>
            {startRange.isError && <ApiErrorAlert error={startRange.error} />}
            <RangeJobs shownId={shownJobId} onShow={setShownJobId} />
          </>
        )}
      </div>
    </Card>
  );
}
