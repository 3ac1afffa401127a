import type { K8sConfigImportResult } from '@kra/contracts';
import { useTranslation } from 'react-i18next';
import { CLUSTER_TEMPLATE_URL, useImportClusters } from '../../api/clusters';
import { SheetImportModal, type ImportSummary } from '../../components/SheetImportModal';

/** Every valid row is created or updated, so the rest were left out. */
function summarize(result: K8sConfigImportResult): ImportSummary {
  const { stored, total_rows, created, updated, errors } = result;
  const rejected = total_rows - created - updated;
  return {
    stored,
    rejectedRows: rejected,
    counts: { total_rows, created, updated, rejected_rows: rejected },
    errors,
  };
}

export function ClusterImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const importClusters = useImportClusters();
  return (
    <SheetImportModal
      open={open}
      onClose={onClose}
      title={t('clusters.import.title')}
      hint={t('clusters.import.dragHint')}
      templateUrl={CLUSTER_TEMPLATE_URL}
      importer={importClusters}
      summarize={summarize}
    />
  );
}
