export { AppShell, MENU, type Language, type MenuKey } from './AppShell';
export { QuotasPage, type QuotaInput, type QuotaRowText, type QuotaShareView } from './QuotasPage';
export { UploadPage, type UploadedFileView, type UploadStatus } from './UploadPage';
export {
  ReportsPage,
  type JobFreshnessView,
  type NamespaceRowView,
  type ReportRowView,
  type ReportSummaryView,
  type WorkloadRowView,
} from './ReportsPage';
export { ExportPage, ExportRefusedError, type ExportFileFormat } from './ExportPage';
export { SettingsPage } from './SettingsPage';
export {
  ClustersPage,
  type ClusterInput,
  type ClusterRowView,
  type ConnectionTestView,
  type QuotaSourceChoice,
} from './ClustersPage';
export {
  NamespaceQuotasPage,
  type NamespaceQuotaFilter,
  type NamespaceQuotaRowView,
} from './NamespaceQuotasPage';
export {
  PrometheusPage,
  type DaySyncView,
  type JobDayView,
  type RecentJobView,
  type SourceAuthChoice,
  type SourceInput,
  type SourceRowView,
  type SourceSyncRowView,
  type SourceTestView,
  type SyncJobView,
  type UsageStrategyChoice,
} from './PrometheusPage';
export {
  SchedulerPage,
  type DailyInput,
  type JobKeyChoice,
  type JobScheduleView,
  type JobStatusView,
  type RunDetailView,
  type RunFilterInput,
  type RunNowOutcome,
  type RunRowView,
  type RunStatusChoice,
  type RunTriggerChoice,
  type SchedulerGlobalInput,
  type SchedulerGlobalView,
} from './SchedulerPage';
export { type ImportCountKey, type ImportErrorRow, type ImportOutcome } from './import-dialog';
export {
  closeSyncDialog,
  openSyncDialog,
  type SyncClusterRowView,
  type SyncOptions,
  type SyncResultView,
} from './sync-dialog';
export { DEFAULT_DOWNLOAD_DIR, confirmPopup, toasts, waitForToast } from './antd';
