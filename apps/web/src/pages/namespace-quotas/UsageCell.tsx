import { levelOfRate } from '@kra/contracts';
import { RateBar } from '../../components/RateBar';

interface UsageCellProps {
  /** Prefix of the test ids: `<testId>-used`, `-limit`, `-rate`. */
  testId: string;
  used: number | null;
  limit: number | null;
  rate: number | null;
  format: (value: number | null) => string;
}

/** "used / limit" over the rate bar of the reports, coloured by the same levels. */
export function UsageCell({ testId, used, limit, rate, format }: UsageCellProps) {
  return (
    <div className="usage-cell">
      <div className="usage-figures numeric">
        <span data-testid={`${testId}-used`}>{format(used)}</span>
        <span className="usage-sep">/</span>
        <span data-testid={`${testId}-limit`}>{format(limit)}</span>
      </div>
      <span data-testid={`${testId}-rate`}>
        <RateBar rate={rate} level={rate === null ? null : levelOfRate(rate)} />
      </span>
    </div>
  );
}
