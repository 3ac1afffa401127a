import type { SortOrder } from 'antd/es/table/interface';
import { CaretDownFilled, CaretUpFilled } from '@ant-design/icons';

/**
 * A sort icon shown only on the sorted column, so narrow numeric headers keep their words whole;
 * the other headers stay clickable and show the pointer cursor.
 */
export function compactSortIcon({ sortOrder }: { sortOrder: SortOrder }) {
  if (sortOrder === 'ascend') return <CaretUpFilled className="sort-icon-active" />;
  if (sortOrder === 'descend') return <CaretDownFilled className="sort-icon-active" />;
  return null;
}
