import { lazy, Suspense, useMemo, useRef, useState } from 'react';
import type { Report, ReportDate } from '@kra/contracts';
import {
  CloudUploadOutlined,
  ExportOutlined,
  InfoCircleOutlined,
  ReloadOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import { Alert, Button, Card, Col, Empty, Input, Result, Row, Skeleton, Spin, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router-dom';
import { isApiError } from '../../api/errors';
import { useReport, useReportDates } from '../../api/reports';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { PageHeader } from '../../components/PageHeader';
import { DeleteDayButton } from './DeleteDayButton';
import { JobFreshnessStrip } from './JobFreshnessStrip';
import { MatchedProjectsTable } from './MatchedProjectsTable';
import { NO_FILTERS, type MatchedFilters } from './report-filters';
import { ReportDatesCard } from './ReportDatesCard';
import { ReportDateSelect } from './ReportDateSelect';
import { ReportSummaryBar } from './ReportSummaryBar';
import { UnmatchedProjectsTable } from './UnmatchedProjectsTable';

const UtilizationChart = lazy(() => import('./UtilizationChart'));

/** Exposed as `data-state` so page objects can wait for a date to be shown. */
type PageState = 'loading' | 'ready' | 'empty' | 'not-found' | 'error';

function NoReports() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  return (
    <Card>
      <Result
        icon={<CloudUploadOutlined />}
        title={t('reports.noData')}
        subTitle={t('reports.noDataHint')}
        extra={
          <Button type="primary" onClick={() => navigate('/upload')} data-testid="reports-go-upload">
            {t('reports.goUpload')}
          </Button>
        }
        data-testid="reports-empty"
      />
    </Card>
  );
}

interface ReportBodyProps {
  report: Report;
  dates: ReportDate[];
  onSelectDate: (date: string) => void;
}

function ReportBody({ report, dates, onSelectDate }: ReportBodyProps) {
  const { t } = useTranslation();
  const [filters, setFilters] = useState<MatchedFilters>(NO_FILTERS);
  const unmatchedRef = useRef<HTMLDivElement>(null);
  const matched = useMemo(() => report.rows.filter((row) => row.matched), [report.rows]);
  const unmatched = useMemo(() => report.rows.filter((row) => !row.matched), [report.rows]);

  return (
    <>
      <ReportSummaryBar
        summary={report.summary}
        filters={filters}
        onFiltersChange={setFilters}
        onShowUnmatched={() => unmatchedRef.current?.scrollIntoView({ behavior: 'smooth', block: 'start' })}
      />
      <Row gutter={16}>
        <Col span={15}>
          <Card title={t('reports.chart.title')} className="chart-card">
            {matched.length > 0 ? (
              <Suspense fallback={<Spin className="chart-box" />}>
                <UtilizationChart rows={matched} />
              </Suspense>
            ) : (
              <Empty className="chart-box" description={t('reports.table.empty')} />
            )}
          </Card>
        </Col>
        <Col span={9}>
          <ReportDatesCard dates={dates} selected={report.date} onSelect={onSelectDate} />
        </Col>
      </Row>
      <Card
        title={`${t('reports.table.title')} (${matched.length})`}
        extra={
          <Input
            allowClear
            prefix={<SearchOutlined />}
            placeholder={t('reports.table.searchProject')}
            value={filters.search}
            onChange={(e) => setFilters({ ...filters, search: e.target.value })}
            style={{ width: 240 }}
            data-testid="matched-search"
          />
        }
      >
        <MatchedProjectsTable
          date={report.date}
          rows={matched}
          filters={filters}
          onFiltersChange={setFilters}
        />
      </Card>
      <div ref={unmatchedRef} className="scroll-anchor">
        <Card title={`${t('reports.unmatched.title')} (${unmatched.length})`} data-testid="unmatched-card">
          {unmatched.length > 0 && (
            <Alert
              type="warning"
              showIcon
              icon={<InfoCircleOutlined />}
              title={t('reports.unmatched.hint')}
              className="card-alert"
              data-testid="unmatched-hint"
            />
          )}
          <UnmatchedProjectsTable date={report.date} rows={unmatched} />
        </Card>
      </div>
    </>
  );
}

export default function ReportsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const datesQuery = useReportDates();
  const dates = useMemo(() => datesQuery.data?.items ?? [], [datesQuery.data]);
  const requested = params.get('date') ?? undefined;
  const date = requested ?? dates[0]?.date;
  const report = useReport(date);
  const day = dates.find((d) => d.date === date);

  const selectDate = (next: string) => setParams({ date: next });
  /** After a date's data is deleted, the newest other date (the list still holds the deleted one). */
  const showNextAfter = (deleted: string) => {
    const next = dates.find((d) => d.date !== deleted)?.date;
    setParams(next ? { date: next } : {});
  };
  const refresh = () => {
    void datesQuery.refetch();
    void report.refetch();
  };

  const notFound = isApiError(report.error) && report.error.status === 404;
  const state: PageState = datesQuery.isPending
    ? 'loading'
    : datesQuery.isError || (report.isError && !notFound)
      ? 'error'
      : dates.length === 0
        ? 'empty'
        : notFound
          ? 'not-found'
          : report.data && !report.isFetching
            ? 'ready'
            : 'loading';

  return (
    <div className="page" data-testid="reports-page" data-date={date} data-state={state}>
      <PageHeader
        title={t('reports.title')}
        description={t('reports.description')}
        extra={
          dates.length > 0 && (
            <>
              <ReportDateSelect
                dates={dates}
                value={date}
                onChange={selectDate}
                loading={datesQuery.isFetching}
              />
              <Tooltip title={t('common.refresh')}>
                <Button icon={<ReloadOutlined />} onClick={refresh} aria-label={t('common.refresh')} />
              </Tooltip>
              <Button
                icon={<ExportOutlined />}
                onClick={() => date && navigate(`/export?dates=${date}`)}
                disabled={!date}
                data-testid="report-export-day"
              >
                {t('reports.exportDay')}
              </Button>
              {day && <DeleteDayButton day={day} onDeleted={() => showNextAfter(day.date)} />}
            </>
          )
        }
      />
      <JobFreshnessStrip />
      {datesQuery.isError && <ApiErrorAlert error={datesQuery.error} title={t('common.loadFailed')} />}
      {datesQuery.isPending && <Skeleton active paragraph={{ rows: 8 }} />}
      {datesQuery.isSuccess && dates.length === 0 && <NoReports />}
      {notFound && date && (
        <Alert
          type="warning"
          showIcon
          title={t('reports.notFound', { date })}
          data-testid="report-not-found"
        />
      )}
      {report.isError && !notFound && <ApiErrorAlert error={report.error} title={t('common.loadFailed')} />}
      {date && report.isPending && dates.length > 0 && <Skeleton active paragraph={{ rows: 10 }} />}
      {report.data && (
        <ReportBody key={report.data.date} report={report.data} dates={dates} onSelectDate={selectDate} />
      )}
      {notFound && dates.length > 0 && (
        <ReportDatesCard dates={dates} selected={date} onSelect={selectDate} />
      )}
    </div>
  );
}
