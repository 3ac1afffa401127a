import type { PrometheusConfig } from '@kra/contracts';
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import { isHeaderName, type SourceFormValues } from './source-form';

/** Extra headers as name/value rows; when editing, the stored ones are named, kept, replaced or removed. */
export function HeaderRowsInput({ editing }: { editing: PrometheusConfig | undefined }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<SourceFormValues>();
  const stored = editing?.header_names ?? [];
  const clearing = Form.useWatch('clear_headers', form) ?? false;

  return (
    <Form.Item label={t('prometheus.form.headers')} extra={t('prometheus.form.headersExtra')}>
      {stored.length > 0 && (
        <Alert
          type="info"
          showIcon
          className="form-note-tight"
          title={t('prometheus.form.keptHeaders', { names: stored.join(', ') })}
          action={
            <Form.Item<SourceFormValues> name="clear_headers" valuePropName="checked" noStyle>
              <Checkbox data-testid="source-form-clear-headers">{t('prometheus.form.clearHeaders')}</Checkbox>
            </Form.Item>
          }
          data-testid="source-form-kept-headers"
        />
      )}
      <Form.List name="headers">
        {(fields, { add, remove }) => (
          <div className="header-rows">
            {fields.map((field) => (
              <div key={field.key} className="header-row" data-testid="source-form-header">
                <Form.Item
                  name={[field.name, 'name']}
                  rules={[
                    {
                      validator: async (_, name: string | undefined) => {
                        if (!name || !isHeaderName(name.trim()))
                          throw new Error(t('prometheus.form.headerNameInvalid'));
                      },
                    },
                  ]}
                  className="header-name"
                >
                  <Input
                    placeholder={t('prometheus.form.headerName')}
                    className="mono"
                    autoComplete="off"
                    data-testid="source-form-header-name"
                  />
                </Form.Item>
                <Form.Item
                  name={[field.name, 'value']}
                  rules={[{ required: true, message: t('prometheus.form.headerValueRequired') }]}
                  className="header-value"
                >
                  <Input.Password
                    placeholder={t('prometheus.form.headerValue')}
                    autoComplete="new-password"
                    data-testid="source-form-header-value"
                  />
                </Form.Item>
                <Button
                  type="text"
                  icon={<MinusCircleOutlined />}
                  onClick={() => remove(field.name)}
                  aria-label={t('prometheus.form.removeHeader')}
                  data-testid="source-form-header-remove"
                />
              </div>
            ))}
            <Button
              type="dashed"
              icon={<PlusOutlined />}
              onClick={() => add({ name: '', value: '' })}
              disabled={clearing}
              data-testid="source-form-header-add"
            >
              {t('prometheus.form.addHeader')}
            </Button>
          </div>
        )}
      </Form.List>
    </Form.Item>
  );
}
