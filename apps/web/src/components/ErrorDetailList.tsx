import type { ErrorDetail } from '@kra/contracts';
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { formatErrorDetail } from '../lib/error-detail';

/** Returns a formatter of error details in the current language. */
function useDetailFormatter(): (detail: ErrorDetail) => string {
  const { t } = useTranslation();
  return (detail) =>
    formatErrorDetail(detail, {
      cell: (row, column) => (column ? t('common.cell', { row, column }) : t('common.cellRow', { row })),
    });
}

interface ErrorDetailListProps {
  details: ErrorDetail[];
  /** All errors, when `details` holds only the first ones. */
  total?: number;
}

/** Every error detail on its own monospace line, scrolling when long. */
export function ErrorDetailList({ details, total }: ErrorDetailListProps) {
  const { t } = useTranslation();
  const format = useDetailFormatter();
  if (details.length === 0) return null;
  return (
    <div className="error-details">
      <ul data-testid="error-details">
        {details.map((detail, index) => (
          <li key={index} data-testid="error-detail">
            {format(detail)}
          </li>
        ))}
      </ul>
      {total !== undefined && total > details.length && (
        <Typography.Text type="secondary" data-testid="error-details-more">
          {t('common.errorDetailsMore', { shown: details.length, total })}
        </Typography.Text>
      )}
    </div>
  );
}
