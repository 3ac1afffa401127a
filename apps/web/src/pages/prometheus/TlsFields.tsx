import type { PrometheusConfig } from '@kra/contracts';
import { Alert, Checkbox, Form, Input } from 'antd';
import { useTranslation } from 'react-i18next';
import type { SourceFormValues } from './source-form';

/** A CA to trust (the stored one is kept unless replaced or removed), or skip-verify with its warning. */
export function TlsFields({ editing }: { editing: PrometheusConfig | undefined }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<SourceFormValues>();
  const insecure = Form.useWatch('insecure_skip_tls_verify', form) ?? false;
  const clearingCa = Form.useWatch('clear_ca', form) ?? false;
  const storedCa = editing?.has_ca ?? false;

  return (
    <>
      <Form.Item<SourceFormValues> label={t('prometheus.form.ca')} extra={t('prometheus.form.caExtra')}>
        <Form.Item<SourceFormValues> name="ca_pem" noStyle>
          <Input.TextArea
            rows={4}
            placeholder={storedCa ? t('prometheus.form.keptCa') : '-----BEGIN CERTIFICATE-----'}
            disabled={clearingCa}
            spellCheck={false}
            className="kubeconfig-text"
            data-testid="source-form-ca"
          />
        </Form.Item>
        {storedCa && (
          <Form.Item<SourceFormValues> name="clear_ca" valuePropName="checked" noStyle>
            <Checkbox className="field-below" data-testid="source-form-clear-ca">
              {t('prometheus.form.clearCa')}
            </Checkbox>
          </Form.Item>
        )}
      </Form.Item>
      <Form.Item<SourceFormValues> name="insecure_skip_tls_verify" valuePropName="checked" noStyle>
        <Checkbox data-testid="source-form-insecure">{t('prometheus.form.insecure')}</Checkbox>
      </Form.Item>
      {insecure && (
        <Alert
          type="warning"
          showIcon
          title={t('prometheus.form.insecureWarning')}
          className="field-below"
          data-testid="source-form-insecure-warning"
        />
      )}
    </>
  );
}
