import { useEffect, useMemo, useState } from 'react';
import type { Settings } from '@kra/contracts';
import { InfoCircleOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  AutoComplete,
  Button,
  Card,
  Col,
  Descriptions,
  Flex,
  Form,
  Row,
  Skeleton,
  Switch,
} from 'antd';
import { useTranslation } from 'react-i18next';
import { isApiError } from '../../api/errors';
import { useHealth, useSettings, useUpdateSettings } from '../../api/settings';
import { ApiErrorAlert } from '../../components/ApiErrorAlert';
import { fieldErrors } from '../../lib/error-detail';
import { PageHeader } from '../../components/PageHeader';

const SETTINGS_FIELDS = ['export_cap_at_one', 'timezone'] as const;
const BROWSER_TIME_ZONE = Intl.DateTimeFormat().resolvedOptions().timeZone;
const TIME_ZONES: string[] =
  typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];

function SystemCard() {
  const { t } = useTranslation();
  const health = useHealth();
  return (
    <Card title={t('settings.systemTitle')} data-testid="system-info">
      {health.isError ? (
        <ApiErrorAlert error={health.error} title={t('app.serverDown')} />
      ) : (
        <Descriptions
          column={1}
          size="small"
          items={[
            {
              key: 'status',
              label: t('settings.status'),
              children: health.isSuccess ? t('settings.online') : '—',
            },
            { key: 'version', label: t('settings.version'), children: health.data?.version ?? '—' },
            { key: 'database', label: t('settings.database'), children: health.data?.database ?? '—' },
            { key: 'browserTimezone', label: t('settings.browserTimezone'), children: BROWSER_TIME_ZONE },
          ]}
        />
      )}
    </Card>
  );
}

export default function SettingsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const settings = useSettings();
  const update = useUpdateSettings();
  const [form] = Form.useForm<Settings>();
  const [error, setError] = useState<unknown>(null);
  const timezone = Form.useWatch('timezone', form) ?? '';

  useEffect(() => {
    if (settings.data) form.setFieldsValue(settings.data);
  }, [settings.data, form]);

  const zoneOptions = useMemo(() => {
    const needle = timezone.toLowerCase();
    return TIME_ZONES.filter((zone) => zone.toLowerCase().includes(needle))
      .slice(0, 50)
      .map((zone) => ({ value: zone }));
  }, [timezone]);

  const save = async (values: Settings) => {
    setError(null);
    try {
      await update.mutateAsync({
        export_cap_at_one: values.export_cap_at_one,
        timezone: values.timezone.trim(),
      });
      message.success(t('settings.saved'));
    } catch (cause) {
      const errors = isApiError(cause) ? fieldErrors(cause.details, SETTINGS_FIELDS) : [];
      if (errors.length > 0) form.setFields(errors);
      else setError(cause);
    }
  };

  return (
    <div
      className="page"
      data-testid="settings-page"
      data-save-status={update.status}
      data-saved-at={update.submittedAt}
    >
      <PageHeader title={t('settings.title')} description={t('settings.description')} />
      {settings.isError && <ApiErrorAlert error={settings.error} title={t('common.loadFailed')} />}
      <Row gutter={16} align="top">
        <Col span={15}>
          {settings.isPending ? (
            <Card>
              <Skeleton active />
            </Card>
          ) : (
            <Form<Settings>
              form={form}
              layout="vertical"
              onFinish={(values) => void save(values)}
              disabled={settings.isError}
            >
              <Flex vertical gap={16}>
                <Card title={t('settings.exportTitle')} className="settings-card">
                  <Form.Item
                    name="export_cap_at_one"
                    label={t('settings.capLabel')}
                    extra={t('settings.capHelp')}
                    valuePropName="checked"
                  >
                    <Switch data-testid="settings-cap" />
                  </Form.Item>
                  <Alert
                    type="info"
                    showIcon
                    icon={<InfoCircleOutlined />}
                    title={t('settings.reportNeverCaps')}
                    data-testid="settings-report-never-caps"
                  />
                </Card>
                <Card title={t('settings.timeTitle')} className="settings-card">
                  <Form.Item
                    name="timezone"
                    label={t('settings.timezone')}
                    extra={t('settings.timezoneHelp')}
                    rules={[{ required: true, whitespace: true, message: t('settings.timezoneRequired') }]}
                  >
                    <AutoComplete
                      options={zoneOptions}
                      style={{ maxWidth: 360 }}
                      data-testid="settings-timezone"
                    />
                  </Form.Item>
                </Card>
                {error !== null && <ApiErrorAlert error={error} />}
                <Flex gap={8}>
                  <Button
                    type="primary"
                    htmlType="submit"
                    loading={update.isPending}
                    data-testid="settings-save"
                  >
                    {t('common.save')}
                  </Button>
                  <Button onClick={() => settings.data && form.setFieldsValue(settings.data)}>
                    {t('settings.reset')}
                  </Button>
                </Flex>
              </Flex>
            </Form>
          )}
        </Col>
        <Col span={9}>
          <SystemCard />
        </Col>
      </Row>
    </div>
  );
}
