import { useEffect, useState } from 'react';
import { isUsableStep, type PrometheusConfig } from '@kra/contracts';
import { App, Button, Divider, Drawer, Flex, Form, Input, InputNumber, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { useCreateSource, useUpdateSource } from '../../api/prometheus';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { fieldErrors } from '../../lib/error-detail';
import { AuthFields } from './AuthFields';
import { MemoryMetricInput, StrategyInput } from './ChoiceInputs';
import { ClusterNameInput, useClusterKnown } from './ClusterNameInput';
import { HeaderRowsInput } from './HeaderRowsInput';
import {
  createPayload,
  initialSourceValues,
  isSourceUrl,
  updatePatch,
  type SourceFormValues,
} from './source-form';
import { TlsFields } from './TlsFields';

export type SourceFormTarget = { mode: 'create' } | { mode: 'edit'; source: PrometheusConfig };

/** The fields the server names in its error details. */
const FIELDS = [
  'name',
  'url',
  'cluster_name',
  'selector',
  'strategy',
  'tolerance',
  'memory_metric',
  'step',
  'timeout_seconds',
  'auth_kind',
  'username',
  'secret',
  'ca_pem',
] as const;

function SectionTitle({ children }: { children: string }) {
  return (
    <Divider titlePlacement="start" className="form-section">
      {children}
    </Divider>
  );
}

/** The cluster field's note: a cluster not connected under K8s接入 cannot map namespaces to projects. */
function ClusterExtra() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<SourceFormValues>();
  const known = useClusterKnown(Form.useWatch('cluster_name', form));
  return (
    <>
      <div>{t('prometheus.form.clusterExtra')}</div>
      {known === false && (
        <Typography.Text type="warning" data-testid="source-form-cluster-unknown">
          {t('prometheus.form.clusterUnknown')}
        </Typography.Text>
      )}
    </>
  );
}

/** Tolerance matters to replica-dedup only, so it shows for that strategy alone. */
function ToleranceField() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<SourceFormValues>();
  if (Form.useWatch('strategy', form) !== 'replica-dedup') return null;
  return (
    <Form.Item<SourceFormValues>
      name="tolerance"
      label={t('prometheus.form.tolerance')}
      extra={t('prometheus.form.toleranceExtra')}
      required
    >
      <InputNumber min={1} max={10} step={0.1} style={{ width: 120 }} data-testid="source-form-tolerance" />
    </Form.Item>
  );
}

/** Adds a source, or edits one; stored secrets, headers and CA are never shown and kept unless replaced. */
export function SourceFormDrawer({
  target,
  onClose,
}: {
  target: SourceFormTarget | null;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<SourceFormValues>();
  const create = useCreateSource();
  const update = useUpdateSource();
  const [error, setError] = useState<unknown>(null);
  const [errorsOnFields, setErrorsOnFields] = useState(false);
  const editing = target?.mode === 'edit' ? target.source : undefined;

  useEffect(() => {
    if (!target) return;
    form.resetFields();
    form.setFieldsValue(initialSourceValues(target.mode === 'edit' ? target.source : undefined));
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
        message.success(t('prometheus.updated', { name: values.name.trim() }));
      } else {
        await create.mutateAsync(createPayload(values));
        message.success(t('prometheus.created', { name: values.name.trim() }));
      }
      onClose();
    } catch (cause) {
      const details = isApiError(cause) ? cause.details : [];
      const errors = fieldErrors(details, FIELDS);
      const placed = errors.reduce((n, field) => n + field.errors.length, 0);
      setError(cause);
      // Problems shown under their fields are not repeated in the alert.
      setErrorsOnFields(details.length > 0 && placed === details.length);
      form.setFields(errors);
      if (errors[0]) form.scrollToField(errors[0].name);
    }
  };

  /** The mutation of this drawer's mode; its state is exposed for page objects. */
  const active = editing ? update : create;

  return (
    <Drawer
      open={target !== null}
      title={
        editing ? t('prometheus.form.editTitle', { name: editing.name }) : t('prometheus.form.createTitle')
      }
      size={640}
      onClose={onClose}
      afterOpenChange={(open) => {
        if (!open) setError(null);
      }}
      forceRender
      footer={
        <Flex justify="flex-end" gap={8}>
          <Button onClick={onClose} data-testid="source-form-cancel">
            {t('common.cancel')}
          </Button>
          <Button
            type="primary"
            loading={create.isPending || update.isPending}
            onClick={() => void submit().catch(() => undefined)}
            data-testid="source-form-save"
          >
            {t('common.save')}
          </Button>
        </Flex>
      }
      data-testid="source-form"
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
        initialValues={initialSourceValues()}
      >
        <SectionTitle>{t('prometheus.form.sectionSource')}</SectionTitle>
        <Form.Item<SourceFormValues>
          name="name"
          label={t('prometheus.form.name')}
          rules={[
            { required: true, whitespace: true, message: t('prometheus.form.nameRequired') },
            { max: 100, message: t('prometheus.form.tooLong', { max: 100 }) },
          ]}
        >
          <Input autoComplete="off" data-testid="source-form-name" />
        </Form.Item>
        <Form.Item<SourceFormValues>
          name="url"
          label={t('prometheus.form.url')}
          extra={t('prometheus.form.urlExtra')}
          rules={[
            { required: true, whitespace: true, message: t('prometheus.form.urlRequired') },
            {
              validator: async (_, url: string) => {
                if (url.trim() !== '' && !isSourceUrl(url.trim()))
                  throw new Error(t('prometheus.form.urlInvalid'));
              },
            },
          ]}
        >
          <Input
            autoComplete="off"
            placeholder="https://prometheus.example.internal:9090"
            className="mono"
            data-testid="source-form-url"
          />
        </Form.Item>
        <Form.Item<SourceFormValues>
          name="cluster_name"
          label={t('prometheus.form.cluster')}
          extra={<ClusterExtra />}
          rules={[{ required: true, whitespace: true, message: t('prometheus.form.clusterRequired') }]}
        >
          <ClusterNameInput />
        </Form.Item>
        <Form.Item<SourceFormValues>
          name="selector"
          label={t('prometheus.form.selector')}
          extra={t('prometheus.form.selectorExtra')}
        >
          <Input
            autoComplete="off"
            spellCheck={false}
            placeholder='cluster="prod"'
            className="mono"
            data-testid="source-form-selector"
          />
        </Form.Item>

        <SectionTitle>{t('prometheus.form.sectionQuery')}</SectionTitle>
        <Form.Item<SourceFormValues>
          name="strategy"
          label={t('prometheus.form.strategy')}
          extra={t('prometheus.form.strategyExtra')}
          required
        >
          <StrategyInput />
        </Form.Item>
        <ToleranceField />
        <Form.Item<SourceFormValues> name="memory_metric" label={t('prometheus.form.memoryMetric')} required>
          <MemoryMetricInput />
        </Form.Item>
        <div className="form-row">
          <Form.Item<SourceFormValues>
            name="step"
            label={t('prometheus.form.step')}
            extra={t('prometheus.form.stepExtra')}
            required
            rules={[
              {
                validator: async (_, step: string) => {
                  if (!isUsableStep(step.trim())) throw new Error(t('prometheus.form.stepInvalid'));
                },
              },
            ]}
          >
            <Input autoComplete="off" className="mono" data-testid="source-form-step" />
          </Form.Item>
          <Form.Item<SourceFormValues>
            name="timeout_seconds"
            label={t('prometheus.form.timeout')}
            extra={t('prometheus.form.timeoutExtra')}
            required
          >
            <InputNumber min={1} max={600} style={{ width: '100%' }} data-testid="source-form-timeout" />
          </Form.Item>
        </div>

        <SectionTitle>{t('prometheus.form.sectionConnection')}</SectionTitle>
        <AuthFields editing={editing} />
        <HeaderRowsInput editing={editing} />
        <TlsFields editing={editing} />
        <button type="submit" hidden aria-hidden="true" />
      </Form>
    </Drawer>
  );
}
