import { useState, type DragEvent } from 'react';
import { FolderOpenOutlined } from '@ant-design/icons';
import { App, Button, Flex, Input, Tag, Typography, Upload } from 'antd';
import { useTranslation } from 'react-i18next';
import { kubeconfigFormat } from './cluster-form';

/** The server refuses more; a real kubeconfig is a few KiB. */
const MAX_BYTES = 1_000_000;

function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(typeof reader.result === 'string' ? reader.result : '');
    reader.onerror = () => reject(reader.error ?? new Error(`cannot read ${file.name}`));
    reader.readAsText(file);
  });
}

const carriesFiles = (event: DragEvent) => event.dataTransfer.types.includes('Files');

interface KubeconfigInputProps {
  id?: string;
  value?: string;
  onChange?: (text: string) => void;
  placeholder: string;
}

/**
 * A kubeconfig as text, three ways in: pasted YAML, pasted base64, or a file chosen or dropped on
 * the box (read here and sent as text, so the server never sees a path).
 */
export function KubeconfigInput({ id, value = '', onChange, placeholder }: KubeconfigInputProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [dragging, setDragging] = useState(false);
  const format = kubeconfigFormat(value);

  const load = async (file: File) => {
    if (file.size > MAX_BYTES) {
      message.error(t('clusters.form.fileTooLarge', { name: file.name }));
      return;
    }
    try {
      onChange?.(await readText(file));
      message.success(t('clusters.form.fileRead', { name: file.name }));
    } catch {
      message.error(t('clusters.form.fileUnreadable', { name: file.name }));
    }
  };

  const drop = (event: DragEvent<HTMLDivElement>) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (file) void load(file);
  };

  return (
    <div
      className={dragging ? 'kubeconfig-input kubeconfig-input-dragging' : 'kubeconfig-input'}
      onDragOver={(event) => {
        if (!carriesFiles(event)) return;
        event.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={drop}
    >
      <Flex justify="space-between" align="center" gap={8} className="kubeconfig-toolbar">
        <Typography.Text type="secondary" className="small">
          {t('clusters.form.kubeconfigWays')}
        </Typography.Text>
        <Flex align="center" gap={8}>
          {format && (
            <Tag data-testid="kubeconfig-format" data-format={format}>
              {t(`clusters.form.format.${format}`)}
            </Tag>
          )}
          <span data-testid="cluster-form-kubeconfig-file">
            <Upload
              showUploadList={false}
              beforeUpload={(file) => {
                void load(file);
                return Upload.LIST_IGNORE;
              }}
            >
              <Button size="small" icon={<FolderOpenOutlined />}>
                {t('clusters.form.chooseFile')}
              </Button>
            </Upload>
          </span>
        </Flex>
      </Flex>
      <Input.TextArea
        id={id}
        value={value}
        onChange={(event) => onChange?.(event.target.value)}
        placeholder={placeholder}
        rows={11}
        spellCheck={false}
        autoComplete="off"
        className="kubeconfig-text"
        data-testid="cluster-form-kubeconfig"
      />
      {dragging && <div className="kubeconfig-drop-hint">{t('clusters.form.dropHere')}</div>}
    </div>
  );
}
