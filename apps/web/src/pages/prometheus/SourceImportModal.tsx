import type { PrometheusImportResult } from '@kra/contracts';
import { useTranslation } from 'react-i18next';
import { PROMETHEUS_TEMPLATE_URL, useImportSources } from '../../api/prometheus';
import { SheetImportModal, type ImportSummary } from '../../components/SheetImportModal';

/** Every valid row is created or updated, so the rest were left out. */
function summarize(result: PrometheusImportResult): ImportSummary {
  const { stored, total_rows, created, updated, errors } = result;
  const rejected = total_rows - created - updated;
  return {
    stored,
    rejectedRows: rejected,
    counts: { total_rows, created, updated, rejected_rows: rejected },
    errors,
  };
}

export function SourceImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const importSources = useImportSources();
  return (
    <SheetImportModal
      open={open}
      onClose={onClose}
      title={t('prometheus.import.title')}
      hint={t('prometheus.import.dragHint')}
      templateUrl={PROMETHEUS_TEMPLATE_URL}
      importer={importSources}
      summarize={summarize}
    />
  );
}
