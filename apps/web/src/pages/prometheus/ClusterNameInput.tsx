import { AutoComplete, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClusters } from '../../api/clusters';

interface ClusterNameInputProps {
  id?: string;
  value?: string;
  onChange?: (name: string) => void;
}

/** A cluster connected under K8s接入, or any name typed (a cluster that is not connected). */
export function ClusterNameInput({ id, value = '', onChange }: ClusterNameInputProps) {
  const { t } = useTranslation();
  const clusters = useClusters();
  const typed = value.trim().toLowerCase();
  const options = (clusters.data?.items ?? [])
    .filter((cluster) => cluster.name.toLowerCase().includes(typed))
    .map((cluster) => ({
      value: cluster.name,
      label: (
        <span className="date-option" data-testid={`cluster-option-${cluster.name}`}>
          <span>{cluster.name}</span>
          <Tag color="success">{t('prometheus.form.clusterConnected')}</Tag>
        </span>
      ),
    }));
  return (
    <AutoComplete
      id={id}
      value={value}
      onChange={(next) => onChange?.(next)}
      options={options}
      data-testid="source-form-cluster"
    />
  );
}

/** Whether `name` is a cluster connected under K8s接入 (unknown while the list loads). */
export function useClusterKnown(name: string | undefined): boolean | undefined {
  const clusters = useClusters();
  if (!clusters.data || !name?.trim()) return undefined;
  return clusters.data.items.some((cluster) => cluster.name === name.trim());
}
