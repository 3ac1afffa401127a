import type { ReactNode } from 'react';
import { Alert } from 'antd';
import { isApiError } from '../api/errors';
import { ErrorDetailList } from './ErrorDetailList';

interface ApiErrorAlertProps {
  error: unknown;
  /** Shown above the server's message, e.g. what the user was doing. */
  title?: ReactNode;
  action?: ReactNode;
  /** false when the details are already shown elsewhere, e.g. under the form fields they concern. */
  showDetails?: boolean;
}

/** Shows an API error's message and every one of its details. */
export function ApiErrorAlert({ error, title, action, showDetails = true }: ApiErrorAlertProps) {
  const message = error instanceof Error ? error.message : String(error);
  const details = showDetails && isApiError(error) ? error.details : [];
  return (
    <Alert
      type="error"
      showIcon
      data-testid="api-error"
      title={title ?? message}
      action={action}
      description={
        title || details.length > 0 ? (
          <>
            {title && <div data-testid="api-error-message">{message}</div>}
            <ErrorDetailList details={details} />
          </>
        ) : undefined
      }
    />
  );
}
