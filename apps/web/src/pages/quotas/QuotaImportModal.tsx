import { useTranslation } from 'react-i18next';
import { QUOTA_TEMPLATE_URL, useImportQuotas } from '../../api/quotas';
import { countedImportSummary, SheetImportModal } from '../../components/SheetImportModal';

interface QuotaImportModalProps {
  open: boolean;
  onClose: () => void;
}

export function QuotaImportModal({ open, onClose }: QuotaImportModalProps) {
  const { t } = useTranslation();
  const importQuotas = useImportQuotas();
  return (
    <SheetImportModal
      open={open}
      onClose={onClose}
      title={t('quotas.import.title')}
      hint={t('quotas.import.dragHint')}
      templateUrl={QUOTA_TEMPLATE_URL}
      importer={importQuotas}
      summarize={countedImportSummary}
    />
  );
}
