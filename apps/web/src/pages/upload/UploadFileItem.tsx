import type { UploadedFile } from '@kra/contracts';
import { CloseOutlined, FileTextOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, Button, Progress, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { ErrorDetailList } from '../../components/ErrorDetailList';
import { useElapsedSeconds } from '../../hooks/useElapsedSeconds';
import { dateFromFileName, formatCount, formatFileSize } from '../../lib/format';
import type { UploadItem, UploadStatus } from './upload-queue';

const STATUS_COLORS: Record<UploadStatus, string> = {
  queued: 'default',
  uploading: 'processing',
  processing: 'processing',
  done: 'success',
  failed: 'error',
  error: 'error',
  cancelled: 'default',
};

const ENCODING_LABELS: Record<NonNullable<UploadedFile['encoding']>, string> = {
  'utf-8': 'UTF-8',
  'utf-8-bom': 'UTF-8 (BOM)',
  gbk: 'GBK',
};

function FileFacts({ result }: { result: UploadedFile }) {
  const { t } = useTranslation();
  const facts = [
    { key: 'date', label: t('upload.result.date'), value: result.date ?? '—' },
    {
      key: 'encoding',
      label: t('upload.result.encoding'),
      value: result.encoding ? ENCODING_LABELS[result.encoding] : '—',
    },
    { key: 'lines', label: t('upload.result.lines'), value: formatCount(result.line_count) },
    { key: 'rows', label: t('upload.result.rows'), value: formatCount(result.row_count) },
  ];
  return (
    <div className="file-facts">
      {facts.map((fact) => (
        <span key={fact.key} className="file-fact" data-testid={`upload-fact-${fact.key}`}>
          <span className="file-fact-label">{fact.label}</span>
          <span className="file-fact-value">{fact.value}</span>
        </span>
      ))}
      {result.ok && (
        <Tag
          color={result.replaced ? 'gold' : 'blue'}
          data-testid="upload-replaced"
          data-replaced={result.replaced}
        >
          {result.replaced ? t('upload.result.replacedYes') : t('upload.result.replacedNo')}
        </Tag>
      )}
    </div>
  );
}

function UploadProgress({ item }: { item: UploadItem }) {
  const { t } = useTranslation();
  const seconds = useElapsedSeconds(item.status === 'processing' ? item.sentAt : undefined);
  if (item.status === 'uploading') {
    const percent = item.file.size > 0 ? Math.floor((item.loaded / item.file.size) * 100) : 0;
    return (
      <Progress percent={Math.min(percent, 99)} size="small" status="active" data-testid="upload-progress" />
    );
  }
  if (item.status === 'processing') {
    return (
      <Progress
        percent={100}
        size="small"
        status="active"
        format={() => t('upload.processingFor', { seconds })}
        data-testid="upload-progress"
      />
    );
  }
  return null;
}

interface UploadFileItemProps {
  item: UploadItem;
  dateOverride: string | undefined;
  onRemove: () => void;
  onCancel: () => void;
}

export function UploadFileItem({ item, dateOverride, onRemove, onCancel }: UploadFileItemProps) {
  const { t } = useTranslation();
  const nameDate = dateFromFileName(item.file.name);
  const busy = item.status === 'uploading' || item.status === 'processing';
  const plannedDate =
    item.status === 'queued' || item.status === 'error' || item.status === 'cancelled'
      ? dateOverride
        ? t('upload.dateOverridden', { date: dateOverride })
        : nameDate
          ? t('upload.dateFromName', { date: nameDate })
          : undefined
      : undefined;

  return (
    <div
      className="upload-file"
      data-testid="upload-file"
      data-file-name={item.file.name}
      data-status={item.status}
    >
      <div className="upload-file-head">
        <FileTextOutlined className="upload-file-icon" />
        <div className="upload-file-title">
          <span className="upload-file-name" data-testid="upload-file-name">
            {item.file.name}
          </span>
          <Typography.Text type="secondary" className="upload-file-meta">
            {formatFileSize(item.file.size)}
            {plannedDate && ` · ${plannedDate}`}
          </Typography.Text>
        </div>
        <Tag color={STATUS_COLORS[item.status]} data-testid="upload-status">
          {t(`upload.status.${item.status}`)}
        </Tag>
        {busy ? (
          <Tooltip title={t('upload.cancel')}>
            <Button
              type="text"
              size="small"
              icon={<StopOutlined />}
              onClick={onCancel}
              aria-label={t('upload.cancel')}
            />
          </Tooltip>
        ) : (
          <Tooltip title={t('upload.remove')}>
            <Button
              type="text"
              size="small"
              icon={<CloseOutlined />}
              onClick={onRemove}
              aria-label={t('upload.remove')}
            />
          </Tooltip>
        )}
      </div>
      {!dateOverride && !nameDate && item.status === 'queued' && (
        <Typography.Text type="warning" className="upload-file-warning">
          {t('upload.noDateInName')}
        </Typography.Text>
      )}
      <UploadProgress item={item} />
      {item.result && <FileFacts result={item.result} />}
      {item.result && !item.result.ok && (
        <Alert
          type="error"
          showIcon
          title={t('upload.result.errors', { count: item.result.error_count })}
          description={<ErrorDetailList details={item.result.errors} total={item.result.error_count} />}
          data-testid="upload-errors"
        />
      )}
      {item.status === 'error' && item.error !== undefined && <ApiErrorAlert error={item.error} />}
    </div>
  );
}
