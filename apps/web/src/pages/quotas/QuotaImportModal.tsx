import { useState } from 'react';
import type { QuotaImportResult } from '@kra/contracts';
import { InboxOutlined } from '@ant-design/icons';
import { Alert, App, Button, Checkbox, Modal, Statistic, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { QUOTA_TEMPLATE_URL, useImportQuotas } from '../../api/quotas';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ImportErrorsTable } from './ImportErrorsTable';

interface QuotaImportModalProps {
  open: boolean;
  onClose: () => void;
}

function ImportCounts({ result }: { result: QuotaImportResult }) {
  const { t } = useTranslation();
  const counts = [
    { key: 'total_rows', label: t('quotas.import.totalRows'), value: result.total_rows },
    { key: 'created', label: t('quotas.import.created'), value: result.created },
    { key: 'updated', label: t('quotas.import.updated'), value: result.updated },
    { key: 'unchanged', label: t('quotas.import.unchanged'), value: result.unchanged },
    { key: 'rejected_rows', label: t('quotas.import.rejected'), value: result.rejected_rows },
  ];
  return (
    <div className="import-counts" data-testid="import-counts">
      {counts.map((count) => (
        <Statistic
          key={count.key}
          title={count.label}
          value={count.value}
          data-testid={`import-count-${count.key}`}
        />
      ))}
    </div>
  );
}

function ImportOutcome({ result }: { result: QuotaImportResult }) {
  const { t } = useTranslation();
  const title = !result.stored
    ? t('quotas.import.notStored')
    : result.rejected_rows > 0
      ? t('quotas.import.partialStored', { count: result.rejected_rows })
      : t('quotas.import.stored');
  return (
    <div className="import-outcome" data-testid="import-result">
      <Alert
        type={!result.stored ? 'error' : result.rejected_rows > 0 ? 'warning' : 'success'}
        showIcon
        title={title}
      />
      <ImportCounts result={result} />
      {result.errors.length > 0 && (
        <>
          <Typography.Text strong>
            {t('quotas.import.errorsTitle', { count: result.errors.length })}
          </Typography.Text>
          <ImportErrorsTable errors={result.errors} />
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
        title={t('quotas.import.notStored')}
        description={
          <>
            <div data-testid="api-error-message">{error instanceof Error ? error.message : ''}</div>
            <div>{t('quotas.import.notStoredHint')}</div>
          </>
        }
      />
      <Typography.Text strong>{t('quotas.import.errorsTitle', { count: details.length })}</Typography.Text>
      <ImportErrorsTable errors={details} />
    </div>
  );
}

export function QuotaImportModal({ open, onClose }: QuotaImportModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const importQuotas = useImportQuotas();
  const [file, setFile] = useState<File | null>(null);
  const [partial, setPartial] = useState(false);

  const reset = () => {
    setFile(null);
    importQuotas.reset();
  };

  const close = () => {
    reset();
    setPartial(false);
    onClose();
  };

  const submit = () => {
    if (!file) {
      message.warning(t('quotas.import.chooseFile'));
      return;
    }
    importQuotas.mutate({ file, partial });
  };

  const finished = importQuotas.isSuccess || importQuotas.isError;

  const footer = finished
    ? [
        <Button key="again" onClick={reset} data-testid="import-again">
          {t('quotas.import.again')}
        </Button>,
        <Button key="close" type="primary" onClick={close} data-testid="import-close">
          {t('common.close')}
        </Button>,
      ]
    : [
        <Button
          key="template"
          href={QUOTA_TEMPLATE_URL}
          download
          className="footer-left"
          data-testid="import-template"
        >
          {t('quotas.template')}
        </Button>,
        <Button key="cancel" onClick={close}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="submit"
          type="primary"
          onClick={submit}
          loading={importQuotas.isPending}
          disabled={!file}
          data-testid="import-submit"
        >
          {t('quotas.import.submit')}
        </Button>,
      ];

  return (
    <Modal
      open={open}
      title={t('quotas.import.title')}
      onCancel={close}
      footer={footer}
      width={640}
      data-testid="import-modal"
    >
      {importQuotas.isSuccess && <ImportOutcome result={importQuotas.data} />}
      {importQuotas.isError && <ImportRejected error={importQuotas.error} />}
      {!finished && (
        <div className="import-form">
          <Upload.Dragger
            accept=".xlsx"
            multiple={false}
            maxCount={1}
            fileList={file ? [{ uid: 'chosen', name: file.name, size: file.size, status: 'done' }] : []}
            beforeUpload={(chosen) => {
              if (!chosen.name.toLowerCase().endsWith('.xlsx')) message.error(t('quotas.import.onlyXlsx'));
              else setFile(chosen);
              return Upload.LIST_IGNORE;
            }}
            onRemove={() => setFile(null)}
            data-testid="import-dragger"
          >
            <p className="ant-upload-drag-icon">
              <InboxOutlined />
            </p>
            <p className="ant-upload-text">{t('quotas.import.drag')}</p>
            <p className="ant-upload-hint">{t('quotas.import.dragHint')}</p>
          </Upload.Dragger>
          <div>
            <Checkbox
              checked={partial}
              onChange={(e) => setPartial(e.target.checked)}
              data-testid="import-partial"
            >
              {t('quotas.import.partial')}
            </Checkbox>
            <Typography.Text type="secondary" className="checkbox-help">
              {t('quotas.import.partialHelp')}
            </Typography.Text>
          </div>
        </div>
      )}
    </Modal>
  );
}
