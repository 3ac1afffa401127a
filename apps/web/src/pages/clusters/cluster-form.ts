import {
  DEFAULT_PROJECT_LABEL,
  K8sConfigCreate,
  PROJECT_LABEL_PRESETS,
  type ClusterKind,
  type K8sConfig,
  type K8sConfigUpdate,
} from '@kra/contracts';

export interface ClusterFormValues {
  name: string;
  kind: ClusterKind;
  /** Raw YAML or base64; empty when editing means "keep the stored one". */
  kubeconfig: string;
  use_projectquota: boolean;
  /** null: every namespace is its own project. */
  project_label: string | null;
}

export type LabelChoice = (typeof PROJECT_LABEL_PRESETS)[number]['id'] | 'custom';

export function initialClusterValues(cluster?: K8sConfig): ClusterFormValues {
  return {
    name: cluster?.name ?? '',
    kind: cluster?.kind ?? 'kubeconfig',
    kubeconfig: '',
    use_projectquota: cluster?.use_projectquota ?? true,
    project_label: cluster ? cluster.project_label : DEFAULT_PROJECT_LABEL,
  };
}

/** The preset a label is (null is "namespace = project"); any other key is custom. */
export function labelChoice(label: string | null): LabelChoice {
  return PROJECT_LABEL_PRESETS.find((preset) => preset.label === label)?.id ?? 'custom';
}

/** Whether the server takes `label` as a project label key (the same rule it checks). */
export function isLabelKey(label: string): boolean {
  return K8sConfigCreate.shape.project_label.safeParse(label).success;
}

export type KubeconfigFormat = 'yaml' | 'base64';

/** How pasted kubeconfig text is encoded; base64 has no `:` (every kubeconfig YAML has). */
export function kubeconfigFormat(text: string): KubeconfigFormat | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  return /^[A-Za-z0-9+/=\s]+$/.test(trimmed) ? 'base64' : 'yaml';
}

const trimLabel = (label: string | null) => (label === null ? null : label.trim());

export function createPayload(values: ClusterFormValues): K8sConfigCreate {
  return {
    name: values.name.trim(),
    kind: values.kind,
    kubeconfig: values.kind === 'kubeconfig' ? values.kubeconfig : undefined,
    use_projectquota: values.use_projectquota,
    project_label: trimLabel(values.project_label),
  };
}

/** Only what changed: an empty kubeconfig keeps the stored one. */
export function updatePatch(cluster: K8sConfig, values: ClusterFormValues): K8sConfigUpdate {
  const patch: K8sConfigUpdate = {};
  const name = values.name.trim();
  const label = trimLabel(values.project_label);
  if (name !== cluster.name) patch.name = name;
  if (values.kubeconfig.trim() !== '') patch.kubeconfig = values.kubeconfig;
  if (values.use_projectquota !== cluster.use_projectquota) patch.use_projectquota = values.use_projectquota;
  if (label !== cluster.project_label) patch.project_label = label;
  return patch;
}
