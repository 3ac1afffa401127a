import { useTranslation } from 'react-i18next';
import { NAMESPACE_QUOTA_TEMPLATE_URL, useImportNamespaceQuotas } from '../../api/namespace-quotas';
import { countedImportSummary, SheetImportModal } from '../../components/SheetImportModal';

export function NamespaceQuotaImportModal({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { t } = useTranslation();
  const importQuotas = useImportNamespaceQuotas();
  return (
    <SheetImportModal
      open={open}
      onClose={onClose}
      title={t('namespaceQuotas.import.title')}
      hint={t('namespaceQuotas.import.dragHint')}
      templateUrl={NAMESPACE_QUOTA_TEMPLATE_URL}
      importer={importQuotas}
      summarize={countedImportSummary}
    />
  );
}
