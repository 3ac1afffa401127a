import type { UsageLevel } from '@kra/contracts';
import { formatPercent } from '../lib/format';
import { levelColor } from './LevelTag';

interface RateBarProps {
  /** Percent, not capped. */
  rate: number | null;
  level: UsageLevel | null;
}

/**
 * A utilization bar. The bar fills at most its track, but the number is always the true rate,
 * and a rate above 100 % gets an overflow mark so 130 % never reads as "full".
 */
export function RateBar({ rate, level }: RateBarProps) {
  if (rate === null) return <span className="rate-empty">—</span>;
  const over = rate > 100;
  const width = Math.max(0, Math.min(rate, 100));
  return (
    <div className="rate-bar" data-testid="rate-bar" data-rate={rate} title={formatPercent(rate)}>
      <div className="rate-bar-track">
        <div className="rate-bar-fill" style={{ width: `${width}%`, background: levelColor(level) }} />
        {over && <div className="rate-bar-overflow" />}
      </div>
      <span className={over ? 'rate-bar-value rate-bar-value-over' : 'rate-bar-value'}>
        {formatPercent(rate)}
      </span>
    </div>
  );
}
