import { useState } from 'react';
import type { ErrorDetail, QuotaImportResult } from '@kra/contracts';
import { InboxOutlined } from '@ant-design/icons';
import type { UseMutationResult } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Modal, Statistic, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SheetUpload } from '../api/client';
import { isApiError } from '../api/errors';
import { ApiErrorAlert } from './ApiErrorAlert';
import { ImportErrorsTable } from './ImportErrorsTable';

export type ImportCountKey = 'total_rows' | 'created' | 'updated' | 'unchanged' | 'rejected_rows';
const COUNT_ORDER: ImportCountKey[] = ['total_rows', 'created', 'updated', 'unchanged', 'rejected_rows'];

/** What an import stored, in the terms the dialog shows whatever the sheet. */
export interface ImportSummary {
  stored: boolean;
  /** Rows left out because of an error (partial import only). */
  rejectedRows: number;
  /** The counts to show; the ones an import does not report are left out. */
  counts: Partial<Record<ImportCountKey, number>>;
  errors: ErrorDetail[];
}

/** Quota and namespace-quota imports report every count themselves (both answer this shape). */
export function countedImportSummary(result: QuotaImportResult): ImportSummary {
  const { stored, total_rows, created, updated, unchanged, rejected_rows, errors } = result;
  return {
    stored,
    rejectedRows: rejected_rows,
    counts: { total_rows, created, updated, unchanged, rejected_rows },
    errors,
  };
}

function ImportCounts({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const shown = COUNT_ORDER.filter((key) => summary.counts[key] !== undefined);
  return (
    <div
      className="import-counts"
      style={{ gridTemplateColumns: `repeat(${shown.length}, 1fr)` }}
      data-testid="import-counts"
    >
      {shown.map((key) => (
        <Statistic
          key={key}
          title={t(`sheetImport.counts.${key}`)}
          value={summary.counts[key]}
          data-testid={`import-count-${key}`}
        />
      ))}
    </div>
  );
}

function ImportOutcome({ summary }: { summary: ImportSummary }) {
  const { t } = useTranslation();
  const title = !summary.stored
    ? t('sheetImport.notStored')
    : summary.rejectedRows > 0
      ? t('sheetImport.partialStored', { count: summary.rejectedRows })
      : t('sheetImport.stored');
  return (
    <div className="import-outcome" data-testid="import-result">
      <Alert
        type={!summary.stored ? 'error' : summary.rejectedRows > 0 ? 'warning' : 'success'}
        showIcon
        title={title}
      />
      <ImportCounts summary={summary} />
      {summary.errors.length > 0 && (
        <>
          <Typography.Text strong>
            {t('sheetImport.errorsTitle', { count: summary.errors.length })}
          </Typography.Text>
          <ImportErrorsTable errors={summary.errors} />
        </>
      )}
    </div>
  );
}

/** Nothing stored: the sheet's row/column errors, and how to get past them. */
function ImportRejected({ error }: { error: unknown }) {
  const { t } = useTranslation();
  const details = isApiError(error) ? error.details : [];
  if (details.length === 0) return <ApiErrorAlert error={error} />;
  return (
    <div className="import-outcome" data-testid="import-rejected">
      <Alert
        type="error"
        showIcon
        title={t('sheetImport.notStored')}
        description={
          <>
            <div data-testid="api-error-message">{error instanceof Error ? error.message : ''}</div>
            <div>{t('sheetImport.notStoredHint')}</div>
          </>
        }
      />
      <Typography.Text strong>{t('sheetImport.errorsTitle', { count: details.length })}</Typography.Text>
      <ImportErrorsTable errors={details} />
    </div>
  );
}

interface SheetImportModalProps<R> {
  open: boolean;
  onClose: () => void;
  title: string;
  /** The sheet's columns and how its rows are matched to stored ones. */
  hint: string;
  templateUrl: string;
  importer: UseMutationResult<R, Error, SheetUpload>;
  summarize: (result: R) => ImportSummary;
}

/** Imports one .xlsx of a template: all rows or none, or the valid rows only, with every error by row and column. */
export function SheetImportModal<R>({
  open,
  onClose,
  title,
  hint,
  templateUrl,
  importer,
  summarize,
}: SheetImportModalProps<R>) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);

  const reset = () => {
    setFile(null);
    importer.reset();
  };

  const close = () => {
    reset();
    setPartial(false);
    onClose();
  };

  const submit = () => {
    if (!file) {
      message.warning(t('sheetImport.chooseFile'));
      return;
    }
    importer.mutate({ file, partial });
  };

  const finished = importer.isSuccess || importer.isError;

  const footer = finished
    ? [
        <Button key="again" onClick={reset} data-testid="import-again">
          {t('sheetImport.again')}
        </Button>,
        <Button key="close" type="primary" onClick={close} data-testid="import-close">
          {t('common.close')}
        </Button>,
      ]
    : [
        <Button
          key="template"
          href={templateUrl}
          download
          className="footer-left"
          data-testid="import-template"
        >
          {t('common.template')}
        </Button>,
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          onClick={submit}
          loading={importer.isPending}
          disabled={!file}
          data-testid="import-submit"
        >
          {t('sheetImport.submit')}
        </Button>,
      ];

  return (
    <Modal open={open} title={title} onCancel={close} footer={footer} width={640} data-testid="import-modal">
      {importer.isSuccess && <ImportOutcome summary={summarize(importer.data)} />}
      {importer.isError && <ImportRejected error={importer.error} />}
      {!finished && (
        <div className="import-form">
          <Upload.Dragger
            accept=".xlsx"
            multiple={false}
            maxCount={1}
            fileList={file ? [{ uid: 'chosen', name: file.name, size: file.size, status: 'done' }] : []}
            beforeUpload={(chosen) => {
              if (!chosen.name.toLowerCase().endsWith('.xlsx')) message.error(t('sheetImport.onlyXlsx'));
              else setFile(chosen);
              return Upload.LIST_IGNORE;
            }}
            onRemove={() => setFile(null)}
            data-testid="import-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('sheetImport.drag')}</p>
            <p className="ant-upload-hint">{hint}</p>
          </Upload.Dragger>
          <div>
            <Checkbox
              checked={partial}
              onChange={(e) => setPartial(e.target.checked)}
              data-testid="import-partial"
            >
              {t('sheetImport.partial')}
            </Checkbox>
            <Typography.Text type="secondary" className="checkbox-help">
              {t('sheetImport.partialHelp')}
            </Typography.Text>
          </div>
        </div>
      )}
    </Modal>
  );
}
