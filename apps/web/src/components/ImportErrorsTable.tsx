import type { ErrorDetail } from '@kra/contracts';
import { Table, type TableColumnsType } from 'antd';
import { useTranslation } from 'react-i18next';
import { detailReason } from '../lib/error-detail';

interface Row {
  key: number;
  detail: ErrorDetail;
}

/** Sheet errors as row | column | problem, so each cell to fix is easy to find. */
export function ImportErrorsTable({ errors }: { errors: ErrorDetail[] }) {
  const { t } = useTranslation();
  const columns: TableColumnsType<Row> = [
    { title: t('sheetImport.row'), width: 64, render: (_, { detail }) => detail.row ?? '—' },
    {
      title: t('sheetImport.column'),
      width: 150,
      render: (_, { detail }) => detail.column ?? detail.field ?? '—',
    },
    { title: t('sheetImport.message'), render: (_, { detail }) => detailReason(detail) },
  ];
  return (
    <Table<Row>
      size="small"
      columns={columns}
      dataSource={errors.map((detail, key) => ({ key, detail }))}
      pagination={errors.length > 8 ? { pageSize: 8, size: 'small', showSizeChanger: false } : false}
      data-testid="import-errors"
    />
  );
}
