import type { UsageLevel } from '@kra/contracts';
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';

const COLORS: Record<UsageLevel, string> = { high: '#e5484d', medium: '#f08c00', low: '#2f9e44' };
const TAG_COLORS: Record<UsageLevel, string> = { high: 'red', medium: 'orange', low: 'green' };

export const levelColor = (level: UsageLevel | null): string => (level ? COLORS[level] : '#adb5bd');

export function LevelTag({ level }: { level: UsageLevel | null }) {
  const { t } = useTranslation();
  if (!level) return <span>—</span>;
  return (
    <Tag color={TAG_COLORS[level]} data-testid="level-tag" data-level={level}>
      {t(`reports.level.${level}`)}
    </Tag>
  );
}
