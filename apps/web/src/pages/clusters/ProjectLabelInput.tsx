import { PROJECT_LABEL_PRESETS } from '@kra/contracts';
import { Input, Radio, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { labelChoice, type LabelChoice } from './cluster-form';

interface ProjectLabelInputProps {
  id?: string;
  /** A label key, or null for "namespace = project". */
  value?: string | null;
  onChange?: (label: string | null) => void;
}

/**
 * The namespace label naming a namespace's project. The radios are shortcuts for the platforms'
 * presets; the text box below always holds the key itself, so typing one picks "custom".
 */
export function ProjectLabelInput({ id, value = null, onChange }: ProjectLabelInputProps) {
  const { t } = useTranslation();

  const pick = (choice: LabelChoice) => {
    if (choice === 'custom') onChange?.('');
    else onChange?.(PROJECT_LABEL_PRESETS.find((preset) => preset.id === choice)?.label ?? null);
  };

  return (
    <div className="project-label-input">
      <Radio.Group
        id={id}
        orientation="vertical"
        value={labelChoice(value)}
        onChange={(event) => pick(event.target.value as LabelChoice)}
        className="choice-list"
      >
        {PROJECT_LABEL_PRESETS.map((preset) => (
          <Radio key={preset.id} value={preset.id} data-testid={`cluster-form-label-${preset.id}`}>
            <span className="choice-title">
              {preset.label === null ? t('clusters.namespaceIsProject') : preset.title}
            </span>
            {preset.label === null ? (
              <Typography.Text type="secondary" className="small">
                {t('clusters.form.namespaceIsProjectHelp')}
              </Typography.Text>
            ) : (
              <code className="label-key">{preset.label}</code>
            )}
          </Radio>
        ))}
        <Radio value="custom" data-testid="cluster-form-label-custom">
          <span className="choice-title">{t('clusters.form.custom')}</span>
        </Radio>
      </Radio.Group>
      <Input
        value={value ?? ''}
        onChange={(event) => onChange?.(event.target.value)}
        placeholder={value === null ? t('clusters.namespaceIsProject') : t('clusters.form.customPlaceholder')}
        className="mono"
        autoComplete="off"
        spellCheck={false}
        data-testid="cluster-form-label-input"
      />
    </div>
  );
}
