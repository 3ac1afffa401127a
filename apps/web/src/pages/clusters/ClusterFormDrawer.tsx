import { useEffect, useState } from 'react';
import type { K8sConfig } from '@kra/contracts';
import { Alert, App, Button, Drawer, Flex, Form, Input, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useCreateCluster, useUpdateCluster } from '../../api/clusters';
import { isApiError } from '../../api/errors';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { fieldErrors } from '../../lib/error-detail';
import {
  createPayload,
  initialClusterValues,
  isLabelKey,
  updatePatch,
  type ClusterFormValues,
} from './cluster-form';
import { KubeconfigInput } from './KubeconfigInput';
import { ProjectLabelInput } from './ProjectLabelInput';

export type ClusterFormTarget = { mode: 'create' } | { mode: 'edit'; cluster: K8sConfig };

interface ClusterFormDrawerProps {
  target: ClusterFormTarget | null;
  onClose: () => void;
}

const FIELDS = ['name', 'kubeconfig', 'use_projectquota', 'project_label'] as const;

function QuotaSourceInput({
  id,
  value,
  onChange,
}: {
  id?: string;
  value?: boolean;
  onChange?: (v: boolean) => void;
}) {
  const { t } = useTranslation();
  const options = [
    {
      value: true,
      testId: 'cluster-form-source-projectquota',
      title: t('clusters.form.quotaSourceProjectQuota'),
      help: t('clusters.form.quotaSourceProjectQuotaHelp'),
    },
    {
      value: false,
      testId: 'cluster-form-source-resourcequota',
      title: t('clusters.form.quotaSourceResourceQuota'),
      help: t('clusters.form.quotaSourceResourceQuotaHelp'),
    },
  ];
  return (
    <Radio.Group
      id={id}
      orientation="vertical"
      value={value}
      onChange={(event) => onChange?.(event.target.value as boolean)}
      className="choice-list choice-list-stacked"
    >
      {options.map((option) => (
        <Radio key={String(option.value)} value={option.value} data-testid={option.testId}>
          <span className="choice-title">{option.title}</span>
          <Typography.Text type="secondary" className="small">
            {option.help}
          </Typography.Text>
        </Radio>
      ))}
    </Radio.Group>
  );
}

/** Adds a cluster, or edits one; the stored kubeconfig is never shown, and an empty box keeps it. */
export function ClusterFormDrawer({ target, onClose }: ClusterFormDrawerProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ClusterFormValues>();
  const create = useCreateCluster();
  const update = useUpdateCluster();
  const [error, setError] = useState<unknown>(null);
  const [errorsOnFields, setErrorsOnFields] = useState(false);
  const editing = target?.mode === 'edit' ? target.cluster : undefined;
  const kind = Form.useWatch('kind', form);

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    form.setFieldsValue(initialClusterValues(target.mode === 'edit' ? target.cluster : undefined));
  }, [target, form]);

  const submit = async () => {
    const values = await form.validateFields();
    setError(null);
    try {
      if (editing) {
        const patch = updatePatch(editing, values);
        if (Object.keys(patch).length === 0) {
          message.info(t('common.noChanges'));
          onClose();
          return;
        }
        await update.mutateAsync({ id: editing.id, patch });
        message.success(t('clusters.updated', { name: values.name.trim() }));
      } else {
        await create.mutateAsync(createPayload(values));
        message.success(t('clusters.created', { name: values.name.trim() }));
      }
      onClose();
    } catch (cause) {
      const details = isApiError(cause) ? cause.details : [];
      const errors = fieldErrors(details, FIELDS);
      const placed = errors.reduce((n, field) => n + field.errors.length, 0);
      setError(cause);
      // Each kubeconfig problem goes under the box; the alert then only repeats what is already shown.
      setErrorsOnFields(details.length > 0 && placed === details.length);
      form.setFields(errors);
      if (errors[0]) form.scrollToField(errors[0].name);
    }
  };

  /** The mutation of this drawer's mode; its state is exposed for page objects. */
  const active = editing ? update : create;
  const inCluster = (kind ?? editing?.kind) === 'in-cluster';

  return (
    <Drawer
      open={target !== null}
      title={editing ? t('clusters.form.editTitle', { name: editing.name }) : t('clusters.form.createTitle')}
      size={640}
      onClose={onClose}
      afterOpenChange={(open) => {
        if (!open) setError(null);
      }}
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose} data-testid="cluster-form-cancel">
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => void submit().catch(() => undefined)}
            data-testid="cluster-form-save"
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
      data-testid="cluster-form"
    >
      {error !== null && !errorsOnFields && (
        <div className="modal-alert">
          <ApiErrorAlert error={error} />
        </div>
      )}
      <div data-save-status={active.status} data-saved-at={active.submittedAt} className="form-state" />
      <Form
        form={form}
        layout="vertical"
        requiredMark="optional"
        onFinish={() => void submit()}
        initialValues={initialClusterValues()}
      >
        <Form.Item
          name="name"
          label={t('clusters.form.name')}
          extra={t('clusters.form.nameExtra')}
          rules={[
            { required: true, whitespace: true, message: t('clusters.form.nameRequired') },
            { max: 100, message: t('clusters.form.tooLong', { max: 100 }) },
          ]}
        >
          <Input autoComplete="off" data-testid="cluster-form-name" />
        </Form.Item>
        <Form.Item name="kind" label={t('clusters.form.kind')} required>
          <Radio.Group optionType="button" disabled={Boolean(editing)}>
            <Radio.Button value="kubeconfig">
              <span data-testid="cluster-form-kind-kubeconfig">{t('clusters.form.kindKubeconfig')}</span>
            </Radio.Button>
            <Radio.Button value="in-cluster">
              <span data-testid="cluster-form-kind-in-cluster">{t('clusters.form.kindInCluster')}</span>
            </Radio.Button>
          </Radio.Group>
        </Form.Item>
        {inCluster ? (
          <Alert type="info" showIcon title={t('clusters.form.inClusterHelp')} className="form-note" />
        ) : (
          <>
            {editing && (
              <Alert
                type="info"
                showIcon
                title={t('clusters.form.keepNote', {
                  server: editing.server,
                  auth: t(`clusters.auth.${editing.auth_kind}`),
                })}
                className="form-note"
                data-testid="cluster-form-keep-note"
              />
            )}
            <Form.Item
              name="kubeconfig"
              label={t('clusters.form.kubeconfig')}
              required={!editing}
              rules={
                editing
                  ? []
                  : [{ required: true, whitespace: true, message: t('clusters.form.kubeconfigRequired') }]
              }
            >
              <KubeconfigInput
                placeholder={
                  editing ? t('clusters.form.keepPlaceholder') : t('clusters.form.kubeconfigPlaceholder')
                }
              />
            </Form.Item>
          </>
        )}
        <Form.Item name="use_projectquota" label={t('clusters.form.quotaSource')} required>
          <QuotaSourceInput />
        </Form.Item>
        <Form.Item
          name="project_label"
          label={t('clusters.form.projectLabel')}
          required
          extra={t('clusters.form.projectLabelExtra')}
          rules={[
            {
              validator: async (_, label: string | null) => {
                if (label === null) return;
                if (label.trim() === '') throw new Error(t('clusters.form.labelRequired'));
                if (!isLabelKey(label.trim())) throw new Error(t('clusters.form.labelInvalid'));
              },
            },
          ]}
        >
          <ProjectLabelInput />
        </Form.Item>
        <button type="submit" hidden aria-hidden="true" />
      </Form>
    </Drawer>
  );
}
