import { useState } from 'react';
import type { SchedulerConfig } from '@kra/contracts';
import { App, Button, Card, Form, InputNumber, Switch, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router-dom';
import { isApiError } from '../../api/errors';
import { useUpdateScheduler } from '../../api/scheduler';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { fieldErrors } from '../../lib/error-detail';

const GLOBAL_FIELDS = ['enabled', 'catch_up_missed', 'prometheus_catch_up_days', 'keep_runs_days'] as const;

type GlobalValues = Pick<SchedulerConfig, (typeof GLOBAL_FIELDS)[number]>;

const globalValues = (config: SchedulerConfig): GlobalValues => ({
  enabled: config.enabled,
  catch_up_missed: config.catch_up_missed,
  prometheus_catch_up_days: config.prometheus_catch_up_days,
  keep_runs_days: config.keep_runs_days,
});

type Update = ReturnType<typeof useUpdateScheduler>;

interface DaysInputProps {
  max: number;
  testId: string;
  /** Given by the form item. */
  value?: number;
  onChange?: (value: number | null) => void;
}

function DaysInput({ max, testId, value, onChange }: DaysInputProps) {
  const { t } = useTranslation();
  return (
    <InputNumber
      value={value}
      onChange={onChange}
      min={1}
      max={max}
      precision={0}
      suffix={t('scheduler.global.days')}
      style={{ width: 128 }}
      data-testid={testId}
    />
  );
}

/** The form, mounted afresh whenever the saved values change, so polling never overwrites an edit. */
function GlobalForm({ saved, timezone, update }: { saved: GlobalValues; timezone: string; update: Update }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<GlobalValues>();
  const [error, setError] = useState<unknown>(null);

  const save = async (values: GlobalValues) => {
    setError(null);
    try {
      await update.mutateAsync(values);
      message.success(t('scheduler.global.saved'));
    } catch (cause) {
      const errors = isApiError(cause) ? fieldErrors(cause.details, GLOBAL_FIELDS) : [];
      if (errors.length > 0) form.setFields(errors);
      else setError(cause);
    }
  };

  return (
    <Form<GlobalValues>
      form={form}
      layout="vertical"
      initialValues={saved}
      onFinish={(values) => void save(values)}
      className="scheduler-global-form"
    >
      <div className="form-row">
        <Form.Item
          name="enabled"
          label={t('scheduler.global.enabled')}
          extra={t('scheduler.global.enabledHelp')}
          valuePropName="checked"
        >
          <Switch data-testid="scheduler-enabled" />
        </Form.Item>
        <Form.Item label={t('scheduler.global.timezone')}>
          <Typography.Text strong className="mono" data-testid="scheduler-timezone">
            {timezone}
          </Typography.Text>
          <Link to="/settings" className="scheduler-timezone-link" data-testid="scheduler-timezone-link">
            {t('scheduler.global.timezoneLink')}
          </Link>
        </Form.Item>
        <Form.Item
          name="catch_up_missed"
          label={t('scheduler.global.catchUp')}
          extra={t('scheduler.global.catchUpHelp')}
          valuePropName="checked"
        >
          <Switch data-testid="scheduler-catch-up" />
        </Form.Item>
        <Form.Item name="prometheus_catch_up_days" label={t('scheduler.global.catchUpDays')}>
          <DaysInput max={90} testId="scheduler-catch-up-days" />
        </Form.Item>
        <Form.Item name="keep_runs_days" label={t('scheduler.global.keepRuns')}>
          <DaysInput max={3650} testId="scheduler-keep-days" />
        </Form.Item>
      </div>
      {error !== null && <ApiErrorAlert error={error} />}
      <Button type="primary" htmlType="submit" loading={update.isPending} data-testid="scheduler-global-save">
        {t('common.save')}
      </Button>
    </Form>
  );
}

/** The switches and limits that apply to every job; the time zone is the one of 系统设置. */
export function GlobalSettingsCard({ config }: { config: SchedulerConfig }) {
  const { t } = useTranslation();
  const update = useUpdateScheduler();
  const saved = globalValues(config);
  return (
    <Card title={t('scheduler.global.title')} className="scheduler-card" data-testid="scheduler-global">
      <div data-save-status={update.status} data-saved-at={update.submittedAt} className="form-state" />
      <GlobalForm key={JSON.stringify(saved)} saved={saved} timezone={config.timezone} update={update} />
    </Card>
  );
}
