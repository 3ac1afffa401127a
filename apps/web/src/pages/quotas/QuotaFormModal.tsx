import { useEffect, useState } from 'react';
import type { ProjectQuota, QuotaCreate, QuotaUpdate } from '@kra/contracts';
import { Alert, App, Form, Input, InputNumber, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateQuota, useUpdateQuota } from '../../api/quotas';
import { isApiError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { fieldErrors } from '../../lib/error-detail';

export type QuotaFormTarget =
  { mode: 'create'; projectName?: string } | { mode: 'edit'; quota: ProjectQuota };

interface QuotaFormModalProps {
  target: QuotaFormTarget | null;
  onClose: () => void;
}

const FIELDS = ['cloud_id', 'project_name', 'cpu_quota', 'memory_quota'] as const;

/**
 * Only the fields that changed: the server makes a synced quota manual as soon as a patch names
 * its project, CPU or memory, even unchanged, while a new 云序号 alone keeps it synced.
 */
function changedFields(quota: ProjectQuota, values: QuotaCreate): QuotaUpdate {
  const patch: QuotaUpdate = {};
  if (values.cloud_id !== quota.cloud_id) patch.cloud_id = values.cloud_id;
  if (values.project_name !== quota.project_name) patch.project_name = values.project_name;
  if (values.cpu_quota !== quota.cpu_quota) patch.cpu_quota = values.cpu_quota;
  if (values.memory_quota !== quota.memory_quota) patch.memory_quota = values.memory_quota;
  return patch;
}

export function QuotaFormModal({ target, onClose }: QuotaFormModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<QuotaCreate>();
  const create = useCreateQuota();
  const update = useUpdateQuota();
  const [error, setError] = useState<unknown>(null);
  const [errorsOnFields, setErrorsOnFields] = useState(false);
  const editing = target?.mode === 'edit' ? target.quota : undefined;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    if (target.mode === 'edit') form.setFieldsValue(target.quota);
    else if (target.projectName) form.setFieldsValue({ project_name: target.projectName });
  }, [target, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setError(null);
    try {
      if (editing) {
        const patch = changedFields(editing, values);
        if (Object.keys(patch).length === 0) {
          message.info(t('common.noChanges'));
          onClose();
          return;
        }
        await update.mutateAsync({ cloudId: editing.cloud_id, patch });
        message.success(t('quotas.updated', { name: values.project_name }));
      } else {
        await create.mutateAsync(values);
        message.success(t('quotas.created', { name: values.project_name }));
      }
      onClose();
    } catch (cause) {
      const errors = isApiError(cause) ? fieldErrors(cause.details, FIELDS) : [];
      setError(cause);
      setErrorsOnFields(errors.length > 0);
      form.setFields(errors);
    }
  };

  const conflict = isApiError(error) && error.status === 409;
  /** The mutation of this dialog's mode; its state is exposed for page objects. */
  const active = editing ? update : create;
  const synced = editing?.source === 'k8s';

  return (
    <Modal
      open={target !== null}
      title={editing ? t('quotas.form.editTitle') : t('quotas.form.createTitle')}
      okText={<span data-testid="quota-form-save">{t('common.save')}</span>}
      cancelText={t('common.cancel')}
      onOk={() => void submit().catch(() => undefined)}
      onCancel={onClose}
      afterClose={() => setError(null)}
      confirmLoading={create.isPending || update.isPending}
      forceRender
      data-testid="quota-form"
    >
      {error !== null && (
        <div className="modal-alert">
          <ApiErrorAlert
            error={error}
            title={conflict ? t('quotas.form.conflict') : undefined}
            showDetails={!errorsOnFields}
          />
        </div>
      )}
      {synced && (
        <Alert
          type="info"
          showIcon
          title={t('quotas.form.syncedNote')}
          className="modal-alert"
          data-testid="quota-form-synced-note"
        />
      )}
      <div data-save-status={active.status} data-saved-at={active.submittedAt} className="form-state" />
      <Form form={form} layout="vertical" requiredMark="optional" onFinish={() => void submit()}>
        <Form.Item
          name="cloud_id"
          label={t('quotas.columns.cloudId')}
          extra={synced ? t('quotas.form.cloudIdSyncedExtra') : t('quotas.form.cloudIdExtra')}
          rules={[
            { required: true, whitespace: true, message: t('quotas.form.cloudIdRequired') },
            { max: 128, message: t('quotas.form.tooLong', { max: 128 }) },
          ]}
          normalize={(value: string) => value.trim()}
        >
          <Input data-testid="quota-form-cloud-id" autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="project_name"
          label={t('quotas.columns.projectName')}
          extra={t('quotas.form.projectNameExtra')}
          rules={[
            { required: true, whitespace: true, message: t('quotas.form.projectNameRequired') },
            { max: 253, message: t('quotas.form.tooLong', { max: 253 }) },
          ]}
        >
          <Input data-testid="quota-form-project-name" autoComplete="off" />
        </Form.Item>
        <div className="form-row">
          <Form.Item
            name="cpu_quota"
            label={t('quotas.columns.cpuQuota')}
            rules={[{ required: true, message: t('quotas.form.cpuRequired') }]}
          >
            <InputNumber<number>
              min={0}
              step={1}
              suffix={t('common.cores')}
              style={{ width: '100%' }}
              data-testid="quota-form-cpu"
            />
          </Form.Item>
          <Form.Item
            name="memory_quota"
            label={t('quotas.columns.memoryQuota')}
            rules={[{ required: true, message: t('quotas.form.memoryRequired') }]}
          >
            <InputNumber<number>
              min={0}
              step={1}
              suffix={t('common.gib')}
              style={{ width: '100%' }}
              data-testid="quota-form-memory"
            />
          </Form.Item>
        </div>
        <button type="submit" hidden aria-hidden="true" />
      </Form>
    </Modal>
  );
}
