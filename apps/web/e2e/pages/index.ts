export { AppShell, MENU, type Language, type MenuKey } from './AppShell';
export {
  QuotasPage,
  type ImportErrorRow,
  type ImportOutcome,
  type QuotaInput,
  type QuotaRowText,
} from './QuotasPage';
export { UploadPage, type UploadedFileView, type UploadStatus } from './UploadPage';
export {
  ReportsPage,
  type NamespaceRowView,
  type ReportRowView,
  type ReportSummaryView,
} from './ReportsPage';
export { ExportPage, ExportRefusedError, type ExportFileFormat } from './ExportPage';
export { SettingsPage } from './SettingsPage';
export { DEFAULT_DOWNLOAD_DIR, confirmPopup, toasts, waitForToast } from './antd';
