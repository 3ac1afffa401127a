import { useState } from 'react';
import type { JobSchedule } from '@kra/contracts';
import { ClockCircleOutlined } from '@ant-design/icons';
import { App, AutoComplete, Button, Flex, Form, Input, InputNumber, Segmented, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import type { useUpdateScheduler } from '../../api/scheduler';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { TextWithCode } from '../../components/TextWithCode';
import { fieldErrors } from '../../lib/error-detail';
import { RetryDelays } from './RetryDelays';
import { INTERVAL_CHOICES, jobUpdate, parseInterval, parseTime, type JobFormValues } from './schedule';

type Update = ReturnType<typeof useUpdateScheduler>;

interface JobScheduleFormProps {
  job: JobSchedule;
  saved: JobFormValues;
  update: Update;
}

function IntervalInput(props: { value?: string; onChange?: (value: string) => void }) {
  const { t } = useTranslation();
  const options = INTERVAL_CHOICES.map((hours) => ({
    value: String(hours),
    label: t('scheduler.job.hoursOption', { count: hours }),
  }));
  return (
    <AutoComplete
      {...props}
      options={options}
      showSearch={{ filterOption: false }}
      style={{ width: 96 }}
      popupMatchSelectWidth={168}
      data-testid="job-interval"
    />
  );
}

/** 每天 [hh:mm] 起，每 [N] 小时: both fields on one line, their errors under it. */
function DailyFields() {
  const { t } = useTranslation();
  return (
    <Form.Item label={t('scheduler.job.time')} extra={t('scheduler.job.intervalHelp')}>
      <Flex align="center" gap={8} wrap>
        <span>{t('scheduler.job.dailyFrom')}</span>
        <Form.Item
          name="time"
          noStyle
          rules={[
            {
              validator: (_, value: string) =>
                parseTime(value ?? '')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('scheduler.job.timeInvalid'))),
            },
          ]}
        >
          <Input
            prefix={<ClockCircleOutlined />}
            placeholder="02:00"
            style={{ width: 96 }}
            className="numeric"
            data-testid="job-time"
          />
        </Form.Item>
        <span>{t('scheduler.job.dailyEvery')}</span>
        <Form.Item
          name="interval"
          noStyle
          rules={[
            {
              validator: (_, value: string) =>
                parseInterval(value ?? '') !== null
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('scheduler.job.intervalInvalid'))),
            },
          ]}
        >
          <IntervalInput />
        </Form.Item>
        <span>{t('scheduler.job.hours')}</span>
      </Flex>
    </Form.Item>
  );
}

function CronField() {
  const { t } = useTranslation();
  return (
    <Form.Item
      name="cron"
      label={t('scheduler.job.cron')}
      extra={<TextWithCode text={t('scheduler.job.cronHelp')} />}
      rules={[{ required: true, whitespace: true, message: t('scheduler.job.cronRequired') }]}
    >
      <Input className="mono" placeholder="0 2 * * *" style={{ maxWidth: 280 }} data-testid="job-cron" />
    </Form.Item>
  );
}

function RetryFields() {
  const { t } = useTranslation();
  const form = Form.useFormInstance<JobFormValues>();
  const retries = Form.useWatch('retries', form) ?? 0;
  const backoff = Form.useWatch('backoffSeconds', form) ?? 0;
  return (
    <Form.Item label={t('scheduler.job.retries')} extra={<RetryDelays retries={retries} backoff={backoff} />}>
      <Flex align="center" gap={8} wrap>
        <Form.Item name="retries" noStyle>
          <InputNumber min={0} max={10} precision={0} style={{ width: 72 }} data-testid="job-retries" />
        </Form.Item>
        <span>{t('scheduler.job.times')}</span>
        <span>{t('scheduler.job.backoff')}</span>
        <Form.Item name="backoffSeconds" noStyle>
          <InputNumber
            min={1}
            max={86_400}
            precision={0}
            suffix={t('scheduler.job.seconds')}
            style={{ width: 112 }}
            data-testid="job-backoff"
          />
        </Form.Item>
      </Flex>
    </Form.Item>
  );
}

/**
 * A job's schedule: daily from a time every N hours, or a cron expression; whether it runs on it,
 * and its retries. The server's refusal (an interval that drifts, a bad expression) shows under the
 * field it concerns. Mounted afresh when the saved schedule changes.
 */
export function JobScheduleForm({ job, saved, update }: JobScheduleFormProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<JobFormValues>();
  const [error, setError] = useState<unknown>(null);
  const mode = Form.useWatch('mode', form) ?? saved.mode;

  const save = async (values: JobFormValues) => {
    setError(null);
    try {
      await update.mutateAsync({ jobs: [jobUpdate(job.job, values)] });
      message.success(t('scheduler.job.saved', { name: t(`scheduler.jobs.${job.job}.name`) }));
    } catch (cause) {
      const problems = isApiError(cause) ? fieldErrors(cause.details, [job.job]) : [];
      const errors = problems.flatMap((problem) => problem.errors);
      if (errors.length > 0) form.setFields([{ name: values.mode === 'cron' ? 'cron' : 'interval', errors }]);
      else setError(cause);
    }
  };

  return (
    <Form<JobFormValues>
      form={form}
      initialValues={saved}
      labelCol={{ flex: '112px' }}
      labelAlign="left"
      labelWrap
      colon={false}
      requiredMark={false}
      onFinish={(values) => void save(values)}
      className="job-form"
      data-testid="job-form"
      data-mode={mode}
    >
      <Form.Item name="enabled" label={t('scheduler.job.enabled')} valuePropName="checked">
        <Switch data-testid="job-enabled" />
      </Form.Item>
      <Form.Item name="mode" label={t('scheduler.job.mode')}>
        <Segmented<JobFormValues['mode']>
          options={[
            {
              value: 'daily',
              label: <span data-testid="job-mode-daily">{t('scheduler.job.modeDaily')}</span>,
            },
            { value: 'cron', label: <span data-testid="job-mode-cron">{t('scheduler.job.modeCron')}</span> },
          ]}
        />
      </Form.Item>
      {mode === 'daily' ? <DailyFields /> : <CronField />}
      <RetryFields />
      {error !== null && <ApiErrorAlert error={error} />}
      <Form.Item label=" ">
        <Button htmlType="submit" loading={update.isPending} data-testid="job-save">
          {t('common.save')}
        </Button>
      </Form.Item>
    </Form>
  );
}
