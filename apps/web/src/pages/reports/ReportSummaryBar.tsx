import type { ReportSummary } from '@kra/contracts';
import { Card } from 'antd';
import { useTranslation } from 'react-i18next';
import { levelColor } from '../../components/LevelTag';
import { formatCount } from '../../lib/format';
import type { LevelFilter, MatchedFilters } from './report-filters';

interface ReportSummaryBarProps {
  summary: ReportSummary;
  filters: MatchedFilters;
  onFiltersChange: (filters: MatchedFilters) => void;
  onShowUnmatched: () => void;
}

interface SummaryItemProps {
  testId: string;
  label: string;
  value: number;
  dot?: string;
  active?: boolean;
  onClick?: () => void;
}

function SummaryItem({ testId, label, value, dot, active, onClick }: SummaryItemProps) {
  const content = (
    <>
      <div className="summary-label">
        {dot && <span className="summary-dot" style={{ background: dot }} />}
        {label}
      </div>
      <div className="summary-value" data-testid={`${testId}-value`}>
        {formatCount(value)}
      </div>
    </>
  );
  if (!onClick) {
    return (
      <div className="summary-item" data-testid={testId}>
        {content}
      </div>
    );
  }
  return (
    <button
      type="button"
      className={active ? 'summary-item summary-item-active' : 'summary-item'}
      onClick={onClick}
      aria-pressed={active}
      data-testid={testId}
    >
      {content}
    </button>
  );
}

const only = (levels: LevelFilter[] | null, level: LevelFilter) =>
  levels?.length === 1 && levels[0] === level;

/** The day's counts; the level and over-quota counts also filter the matched-projects table. */
export function ReportSummaryBar({
  summary,
  filters,
  onFiltersChange,
  onShowUnmatched,
}: ReportSummaryBarProps) {
  const { t } = useTranslation();
  const toggle = (level: LevelFilter) =>
    onFiltersChange({ ...filters, levels: only(filters.levels, level) ? null : [level] });

  return (
    <Card className="summary-card" data-testid="report-summary">
      <div className="summary-grid">
        <SummaryItem
          testId="summary-projects"
          label={t('reports.summary.projects')}
          value={summary.project_count}
        />
        <SummaryItem
          testId="summary-matched"
          label={t('reports.summary.matched')}
          value={summary.matched_count}
          dot="#1456f0"
        />
        <SummaryItem
          testId="summary-unmatched"
          label={t('reports.summary.unmatched')}
          value={summary.unmatched_count}
          dot="#adb5bd"
          onClick={onShowUnmatched}
        />
        <SummaryItem
          testId="summary-over-quota"
          label={t('reports.summary.overQuota')}
          value={summary.over_quota_count}
          dot="#a61e4d"
          active={only(filters.levels, 'over')}
          onClick={() => toggle('over')}
        />
        {(['high', 'medium', 'low'] as const).map((level) => (
          <SummaryItem
            key={level}
            testId={`summary-${level}`}
            label={t(`reports.summary.${level}`)}
            value={summary[`${level}_count`]}
            dot={levelColor(level)}
            active={only(filters.levels, level)}
            onClick={() => toggle(level)}
          />
        ))}
      </div>
    </Card>
  );
}
