import type { PrometheusConfig } from '@kra/contracts';
import { Form, Input, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { AUTH_KINDS, secretRequired, type SourceFormValues } from './source-form';

/**
 * The auth kind and its credentials. When editing, a secret of the same kind is stored and never
 * shown: an empty box keeps it; switching kind needs the new one.
 */
export function AuthFields({ editing }: { editing: PrometheusConfig | undefined }) {
  const { t } = useTranslation();
  const form = Form.useFormInstance<SourceFormValues>();
  const authKind = Form.useWatch('auth_kind', form) ?? 'none';
  const required = secretRequired({ auth_kind: authKind }, editing);
  const secretRules = required
    ? [
        {
          required: true,
          message: t(
            authKind === 'bearer' ? 'prometheus.form.tokenRequired' : 'prometheus.form.passwordRequired',
          ),
        },
      ]
    : [];
  const keep = t(authKind === 'bearer' ? 'prometheus.form.keepToken' : 'prometheus.form.keepPassword');

  return (
    <>
      <Form.Item<SourceFormValues> name="auth_kind" label={t('prometheus.form.auth')} required>
        <Radio.Group optionType="button">
          {AUTH_KINDS.map((kind) => (
            <Radio.Button key={kind} value={kind}>
              <span data-testid={`source-form-auth-${kind}`}>{t(`prometheus.auth.${kind}`)}</span>
            </Radio.Button>
          ))}
        </Radio.Group>
      </Form.Item>
      {authKind === 'basic' && (
        <div className="form-row">
          <Form.Item<SourceFormValues>
            name="username"
            label={t('prometheus.form.username')}
            rules={[{ required: true, whitespace: true, message: t('prometheus.form.usernameRequired') }]}
          >
            <Input autoComplete="off" data-testid="source-form-username" />
          </Form.Item>
          <Form.Item<SourceFormValues>
            name="secret"
            label={t('prometheus.form.password')}
            required={required}
            rules={secretRules}
          >
            <Input.Password
              autoComplete="new-password"
              placeholder={required ? undefined : keep}
              data-testid="source-form-secret"
            />
          </Form.Item>
        </div>
      )}
      {authKind === 'bearer' && (
        <Form.Item<SourceFormValues>
          name="secret"
          label={t('prometheus.form.token')}
          required={required}
          rules={secretRules}
        >
          <Input.Password
            autoComplete="new-password"
            placeholder={required ? undefined : keep}
            className="mono"
            data-testid="source-form-secret"
          />
        </Form.Item>
      )}
    </>
  );
}
